"""Runs a worked-example case: a household document, a month, and every non-zero line expected.

Case keys: ``name``, ``month``, ``input``, ``expected`` ({household: {"program" or "program:member":
"0.00"}}). This suite's own cases may also have ``errors`` ({household: [messages]}) for households
that cannot be computed, ``invalid`` (substrings every one of which must appear among the document's
validation errors) and ``reform`` (a reform document applied before computing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from jingzhun.policy.document import DocumentError
from jingzhun.policy.engine import compute_document
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.params import load_parameters
from jingzhun.policy.reforms import apply_reform, parse_reform


def load_cases(path: Path) -> list[dict[str, Any]]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(cases, list) and cases, f"{path} holds no cases"
    return cases


def case_id(case: dict[str, Any]) -> str:
    return str(case["name"])


def run_case(case: dict[str, Any]) -> None:
    params = load_parameters()
    if "reform" in case:
        params = apply_reform(params, parse_reform(case["reform"]))
    if "invalid" in case:
        try:
            compute_document(case["input"], case["month"], params=params)
        except DocumentError as exc:
            text = "\n".join(exc.errors)
            for expected in case["invalid"]:
                assert expected in text, f"missing error {expected!r} in:\n{text}"
            return
        raise AssertionError("the document should have been rejected")
    result = compute_document(case["input"], case["month"], params=params)
    got = {
        h.id: {
            (f"{line.program}:{line.member}" if line.member else line.program): fen_to_str(line.amount_fen)
            for line in h.lines
        }
        for h in result.households
    }
    expected = {str(k): dict(v or {}) for k, v in (case.get("expected") or {}).items()}
    errors = {h.id: h.errors for h in result.households if h.errors}
    assert errors == {str(k): v for k, v in (case.get("errors") or {}).items()}
    for hid in errors:
        expected.setdefault(hid, {})
    assert got == expected


def _key(program: str, member: str | None) -> str:
    return f"{program}:{member}" if member else program
