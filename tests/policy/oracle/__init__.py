"""The per-household engine as it was before each rule was written once (Calc step recorder, one
household at a time), kept frozen as an independent oracle: ``test_rules_match_oracle.py`` checks that
the rules as Polars expressions (``policy/programs``) give the same lines, errors and explanations.
Not used by the application.
"""
