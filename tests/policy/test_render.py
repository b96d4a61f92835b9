"""The compact JSON of a large document is exactly DESIGN.md's JSON, and is written without ``fork``."""

from __future__ import annotations

import copy
import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
import yaml

from jingzhun.policy.document import parse_document
from jingzhun.policy.engine import compute_document
from jingzhun.policy.explain import result_json
from jingzhun.policy.render import entitlements_json
from tests.policy.trees import no_urban_standard

SHARED_CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases" / "entitlements.yaml"
HOUSEHOLDS = 2_011


def large_document() -> dict[str, Any]:
    cases = yaml.safe_load(SHARED_CASES.read_text(encoding="utf-8"))
    templates = [h for case in cases if case["month"] == "2020-06" for h in case["input"]["households"]]
    households = []
    for i in range(HOUSEHOLDS):
        household = copy.deepcopy(templates[i % len(templates)])
        household["id"] = f"{household['id']}-{i}"
        for member in household["members"]:
            member["id"] = f"{member['id']}-{i}"
        if i % 97 == 0:
            household["area"] = "urban"  # 无参数 households (see no_urban_standard) are reported
        households.append(household)
    return {"households": households, "cpi": {"2020-06": {"all": "2.5", "food": "11.1"}}}


def test_the_compact_json_is_the_result_json_and_never_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Polars has run in this process (compute_document): a forked child could hang on its thread pool,
    so rendering must not fork (it used to, for documents of 2 000 households or more)."""
    doc = parse_document(large_document())
    params = no_urban_standard()
    reference = json.dumps(result_json(compute_document(doc, "2020-06", params=params)), ensure_ascii=False)

    def no_fork(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("entitlements_json must not start a process")

    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    text, failed = entitlements_json(doc, "2020-06", params)
    assert text == reference
    assert len(failed) == len([h for h in doc.households if h.area == "urban"])
    assert [h["id"] for h in json.loads(text)["households"]] == [h.id for h in doc.households]
