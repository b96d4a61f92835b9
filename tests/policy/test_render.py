"""The JSON of a large document, computed on two cores, is byte-for-byte the one-process JSON."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from jingzhun.policy.document import parse_document
from jingzhun.policy.engine import compute_document
from jingzhun.policy.explain import result_json
from jingzhun.policy.render import PARALLEL_FROM, entitlements_json
from tests.policy.trees import no_urban_standard

SHARED_CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases" / "entitlements.yaml"


def large_document() -> dict[str, Any]:
    cases = yaml.safe_load(SHARED_CASES.read_text(encoding="utf-8"))
    templates = [h for case in cases if case["month"] == "2020-06" for h in case["input"]["households"]]
    households = []
    for i in range(PARALLEL_FROM + 11):
        household = copy.deepcopy(templates[i % len(templates)])
        household["id"] = f"{household['id']}-{i}"
        for member in household["members"]:
            member["id"] = f"{member['id']}-{i}"
        if i % 97 == 0:
            household["area"] = "urban"  # 无参数 households (see no_urban_standard) are reported from both halves
        households.append(household)
    return {"households": households, "cpi": {"2020-06": {"all": "2.5", "food": "11.1"}}}


def test_two_processes_write_exactly_what_one_writes() -> None:
    doc = parse_document(large_document())
    params = no_urban_standard()
    parallel, failed = entitlements_json(doc, "2020-06", params)
    single, failed_single = entitlements_json(doc, "2020-06", params, parallel=False)
    assert parallel == single
    assert failed == failed_single and len(failed) == len([h for h in doc.households if h.area == "urban"])
    reference = json.dumps(result_json(compute_document(doc, "2020-06", params=params)), ensure_ascii=False)
    assert parallel == reference
    assert [h["id"] for h in json.loads(parallel)["households"]] == [h.id for h in doc.households]
