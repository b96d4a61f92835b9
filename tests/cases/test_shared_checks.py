"""Every worked example in ../shared/cases/exit and ../shared/cases/monitoring, run unchanged through the
real command (``python -m jingzhun exit check`` / ``monitor assess`` in a subprocess, the case's households
on stdin as YAML, exactly as typed). Missing cases fail; they never skip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

SHARED_CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases"
KINDS = {"exit": ("year", ["exit", "check"]), "monitoring": ("month", ["monitor", "assess"])}


def _text_loader() -> Any:
    """The cases' dates stay as they were typed (the command parses them itself)."""
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc,valid-type]
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    return Loader


def _collect() -> list[Any]:
    params = []
    for kind in KINDS:
        files = sorted((SHARED_CASES / kind).glob("*.yaml"))
        if not files:
            params.append(pytest.param(kind, None, id=f"{kind}-cases-missing"))
        for path in files:
            cases = yaml.load(path.read_text(encoding="utf-8"), Loader=_text_loader())["cases"]
            params.extend(pytest.param(kind, case, id=f"{kind}/{path.stem}:{case['name']}") for case in cases)
    return params


@pytest.mark.parametrize(("kind", "case"), _collect())
def test_shared_check_case(kind: str, case: dict[str, Any] | None) -> None:
    if case is None:
        pytest.fail(f"no shared {kind} cases found in {SHARED_CASES / kind}")
    option, command = KINDS[kind]
    document = yaml.safe_dump({"households": case["households"]}, allow_unicode=True, sort_keys=False)
    done = subprocess.run(
        [sys.executable, "-m", "jingzhun", *command, "-", f"--{option}", str(case[option]), "--format", "json"],
        input=document,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = json.loads(done.stdout)
    if kind == "exit":
        assert out["year"] == int(case["year"])
        got = {h["id"]: {"exit_ok": h["exit_ok"], "failed": h["failed"]} for h in out["households"]}
    else:
        assert out["month"] == str(case["month"])
        got = {h["id"]: {"flags": h["flags"], "level": h["level"]} for h in out["households"]}
    assert got == {str(k): v for k, v in case["expect"].items()}
