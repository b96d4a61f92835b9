"""The `jingzhun entitle` JSON text: DESIGN.md's shape, compact, households in document order.

One process. (It used to compute the second half of a large document in a forked child; the rules now
run in Polars, whose thread pool does not survive ``fork`` once used — a forked child could hang for
ever — and Polars already spreads the vectorised part over the cores.)
"""

from __future__ import annotations

import json

from jingzhun.policy.document import Document
from jingzhun.policy.document_text import households_text
from jingzhun.policy.engine import parse_month
from jingzhun.policy.params import ParameterTree

Failed = list[tuple[str, list[str]]]


def entitlements_json(doc: Document, month: str, params: ParameterTree) -> tuple[str, Failed]:
    """DESIGN.md's JSON (compact) for the whole document, and the households that could not be computed."""
    from jingzhun.policy.params_check import warnings_at

    texts, results = households_text(doc, doc.households, parse_month(month), params)
    body = ", ".join(texts)
    failed = [(h.id, h.errors) for h in results if h.errors]
    warnings = warnings_at(params, parse_month(month))
    tail = f', "warnings": {json.dumps(warnings, ensure_ascii=False)}' if warnings else ""
    return f'{{"month": {json.dumps(month)}, "households": [{body}]{tail}}}', failed
