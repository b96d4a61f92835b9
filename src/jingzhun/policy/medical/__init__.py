"""一站式结算 (medical one-stop settlement) of inpatient stays — POLICY.md §7, pure (no database).

``stays`` reads and validates the document (YAML/JSON ``{"stays": [...]}`` or CSV), ``settle`` applies the
five lines (基本医保, 大病保险, 补充医保, 医疗救助, "136" 兜底) with their yearly cumulation per person, and
``render`` writes DESIGN.md's JSON shape (with an ``explain`` per stay) or a Chinese table. Every number
is a dated parameter under ``parameters/medical/``; the module docstrings list the ambiguities of
POLICY.md resolved and how.
"""
