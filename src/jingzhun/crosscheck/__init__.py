"""数据比对 (POLICY.md §8): department lists matched to registry persons — pure, no Django.

``link(persons, rows)`` (:mod:`jingzhun.crosscheck.link`): exact on validated 18-digit ID numbers
(15-digit old numbers converted; :mod:`~jingzhun.crosscheck.ids`), fuzzy with splink on DuckDB for the
rows without a usable ID (:mod:`~jingzhun.crosscheck.fuzzy`: name, birth date, village; trained on the
data); each row at most one person; a stated village is binding. :mod:`~jingzhun.crosscheck.quality`
compares hits with a known truth (the synthetic lists of :mod:`jingzhun.synth.departments`).
"""

from jingzhun.crosscheck.link import Linked, link

__all__ = ["Linked", "link"]
