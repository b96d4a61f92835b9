"""The `jingzhun entitle` JSON text, computed on both cores for large documents.

The document is validated once, in the parent. For a large document (≥ ``PARALLEL_FROM`` households, on
a system that can ``fork``) a child process computes and renders the second half of the households while
the parent does the first; the parent joins the two JSON fragments in document order. Output is
byte-for-byte what one process would write. If the child fails for any reason the parent computes its
half itself.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Sequence
from multiprocessing.connection import Connection

from jingzhun.policy.document import Document, Household
from jingzhun.policy.engine import EntitlementResult, compute_document
from jingzhun.policy.explain import household_json
from jingzhun.policy.params import ParameterTree

PARALLEL_FROM = 2_000

Failed = list[tuple[str, list[str]]]


def entitlements_json(doc: Document, month: str, params: ParameterTree, *, parallel: bool = True) -> tuple[str, Failed]:
    """DESIGN.md's JSON (compact) for the whole document, and the households that could not be computed."""
    households = doc.households
    if parallel and len(households) >= PARALLEL_FROM and _can_fork():
        half = len(households) // 2
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(sender, doc, households[half:], month, params), daemon=True)
        child.start()
        sender.close()
        first = _render(doc, households[:half], month, params)
        try:
            second: tuple[str, Failed] = receiver.recv()
        except (EOFError, OSError):
            second = _render(doc, households[half:], month, params)
        child.join()
        parts = [first, second]
    else:
        parts = [_render(doc, households, month, params)]
    body = ", ".join(text for text, _ in parts if text)
    failed = [entry for _, part_failed in parts for entry in part_failed]
    from jingzhun.policy.engine import parse_month
    from jingzhun.policy.params_check import warnings_at

    warnings = warnings_at(params, parse_month(month))
    tail = f', "warnings": {json.dumps(warnings, ensure_ascii=False)}' if warnings else ""
    return f'{{"month": {json.dumps(month)}, "households": [{body}]{tail}}}', failed


def _render(doc: Document, households: Sequence[Household], month: str, params: ParameterTree) -> tuple[str, Failed]:
    result: EntitlementResult = compute_document(doc, month, params=params, households=households)
    text = json.dumps([household_json(h) for h in result.households], ensure_ascii=False)
    failed = [(h.id, h.errors) for h in result.households if h.errors]
    return text[1:-1], failed


def _child(
    sender: Connection, doc: Document, households: Sequence[Household], month: str, params: ParameterTree
) -> None:
    sender.send(_render(doc, households, month, params))
    sender.close()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
