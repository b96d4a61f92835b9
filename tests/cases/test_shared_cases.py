"""Every worked example in ../shared/cases/*.yaml, run unchanged. Missing cases fail; they never skip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cases._cases import case_id, load_cases, run_case

SHARED_CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases"


def _collect() -> list[Any]:
    files = sorted(SHARED_CASES.glob("*.yaml")) if SHARED_CASES.is_dir() else []
    if not files:
        return [pytest.param(None, id="shared-cases-missing")]
    return [pytest.param(case, id=f"{path.stem}:{case_id(case)}") for path in files for case in load_cases(path)]


@pytest.mark.parametrize("case", _collect())
def test_shared_case(case: dict[str, Any] | None) -> None:
    if case is None:
        pytest.fail(f"no shared cases found in {SHARED_CASES}")
    run_case(case)
