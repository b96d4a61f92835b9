"""Every worked example in ../shared/cases/medical/*.yaml, run unchanged through `python -m jingzhun medical settle`.

Each case's ``stays`` become one ``{"stays": [...]}`` document; the command's JSON must give, per stay, the
five lines, ``oop`` and ``ratio`` exactly as ``expect`` says. The YAML cases go in as YAML files through a
real subprocess; each case is also piped as JSON on stdin (``-``) through the same subprocess front door.
Missing files fail; they never skip.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

MEDICAL_CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases" / "medical"
LINES = ("basic", "serious", "supplementary", "assistance", "cap136")


def _collect() -> list[Any]:
    files = sorted(MEDICAL_CASES.glob("*.yaml")) if MEDICAL_CASES.is_dir() else []
    if not files:
        return [pytest.param(None, id="medical-cases-missing")]
    params = []
    for path in files:
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert cases, f"{path} holds no cases"
        params += [pytest.param(case, id=f"{path.stem}:{case['name']}") for case in cases]
    return params


def _settle(args: list[str], stdin: str | None = None) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "jingzhun", "medical", "settle", *args, "--format", "json"],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def _check(out: dict[str, Any], case: dict[str, Any]) -> None:
    assert [s["id"] for s in out["stays"]] == [s["id"] for s in case["stays"]]
    for stay in out["stays"]:
        want = case["expect"][stay["id"]]
        got = {**stay["lines"], "oop": stay["oop"], "ratio": stay["ratio"]}
        assert got == {key: want[key] for key in (*LINES, "oop", "ratio")}, stay["id"]


@pytest.mark.parametrize("case", _collect())
def test_shared_medical_case(case: dict[str, Any] | None, tmp_path: Path) -> None:
    if case is None:
        pytest.fail(f"no medical cases found in {MEDICAL_CASES}")
    document = {"stays": case["stays"]}
    path = tmp_path / "stays.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    _check(_settle([str(path)]), case)
    _check(_settle(["-"], json.dumps(document, default=dt.date.isoformat)), case)
