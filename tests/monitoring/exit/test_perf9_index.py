"""村退出 (the exit index) reads the registry as it is on every request: an edit shows at once; checking only the
households of the villages that have not reached the incidence limit names the same blockers as checking all."""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
INDEX = "/monitoring/exit/?year=2020"
SAFE_WATER = {
    "relocated_keys": "",
    "water_litres_per_day": "40",
    "water_fetch_minutes": "10",
    "water_days_without": "0",
    "water_quality_ok": "true",
    "water_dry_area": "false",
}


def _village(page: str, code: str) -> str:
    found = re.search(rf'<tr id="village-{code}">(.*?)</tr>', page, re.S)
    assert found, code
    return found.group(1)


def test_an_exit_facts_edit_changes_the_index_at_once(login: Any, world: Any) -> None:
    alice, victor = login("alice"), login("victor")
    before = _village(alice.get(INDEX).content.decode(), "141102001001")
    assert "2 户未通过「饮水安全」" in before and "已达到退出标准" not in before
    # the village cadre fills in 刘家's water facts on the household's 退出核查信息 form
    household = world["own_other"]
    response = victor.post(f"/monitoring/exit/households/{household.pk}/facts/", SAFE_WATER, follow=True)
    assert "已保存户" in response.content.decode()
    after = _village(alice.get(INDEX).content.decode(), "141102001001")
    assert "1 户未通过「饮水安全」" in after and "2 户未通过「饮水安全」" not in after
    assert "其中 1 户已达到退出标准，可列入预退出名单" in after


def test_only_the_villages_above_the_limit_are_checked_with_the_same_blockers(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jingzhun.monitoring.exit import queries
    from jingzhun.policy.exit_rates import thresholds

    t = thresholds("141102", 2020)
    everything = {r.code: r.blocks(t) for r in queries.village_rows("141102", 2020)}
    assert any(everything.values())  # some village is blocked by its households' criteria
    assert {r.code: r.blocks(t) for r in queries.village_rows("141102", 2020, t)} == everything
    checked: list[list[int]] = []
    real = queries.check_households
    monkeypatch.setattr(queries, "check_households", lambda ids, year: checked.append(list(ids)) or real(ids, year))
    # with a limit every village is under, no village is blocked and no household needs the check
    lenient = dataclasses.replace(t, incidence_max=Fraction(2))
    rows = queries.village_rows("141102", 2020, lenient)
    assert checked == [[]] and not any(r.blocks(lenient) for r in rows)
    assert sum(r.households_left for r in rows) == sum(r.households_left for r in queries.village_rows("141102", 2020))
