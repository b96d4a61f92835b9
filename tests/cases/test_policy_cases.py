"""This suite's own worked examples (tests/cases/*.yaml): every branch and boundary of POLICY.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cases._cases import case_id, load_cases, run_case

OWN_CASES = sorted(Path(__file__).resolve().parent.glob("*.yaml"))


@pytest.mark.parametrize(
    "case", [pytest.param(case, id=f"{path.stem}:{case_id(case)}") for path in OWN_CASES for case in load_cases(path)]
)
def test_policy_case(case: dict[str, Any]) -> None:
    run_case(case)
