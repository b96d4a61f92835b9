"""The `jingzhun entitle` JSON text: DESIGN.md's shape, compact, households in document order.

One process. (It used to compute the second half of a large document in a forked child; the rules now
run in Polars, whose thread pool does not survive ``fork`` once used — a forked child could hang for
ever — and Polars already spreads the vectorised part over the cores.)
"""

from __future__ import annotations

import json
from typing import TextIO

from jingzhun.policy.document import Document
from jingzhun.policy.document_text import households_text
from jingzhun.policy.engine import parse_month
from jingzhun.policy.params import ParameterTree

Failed = list[tuple[str, list[str]]]


def entitlements_json(doc: Document, month: str, params: ParameterTree) -> tuple[str, Failed]:
    """DESIGN.md's JSON (compact) for the whole document, and the households that could not be computed."""
    parts, failed = entitlements_json_parts(doc, month, params)
    return "".join(parts), failed


def write_entitlements_json(doc: Document, month: str, params: ParameterTree, out: TextIO) -> Failed:
    """:func:`entitlements_json` and a newline written to ``out`` piece by piece (no whole-document copies
    of a ≈ 10 MB text); the households that could not be computed."""
    parts, failed = entitlements_json_parts(doc, month, params)
    out.writelines([*parts, "\n"])
    return failed


def entitlements_json_parts(doc: Document, month: str, params: ParameterTree) -> tuple[list[str], Failed]:
    from jingzhun.policy.params_check import warnings_at

    texts, results = households_text(doc, doc.households, parse_month(month), params)
    failed = [(h.id, h.errors) for h in results if h.errors]
    warnings = warnings_at(params, parse_month(month))
    tail = f', "warnings": {json.dumps(warnings, ensure_ascii=False)}' if warnings else ""
    parts = [f'{{"month": {json.dumps(month)}, "households": [']
    for index, text in enumerate(texts):
        parts.append(f", {text}" if index else text)
    parts.append(f"]{tail}}}")
    return parts, failed
