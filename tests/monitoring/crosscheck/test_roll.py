"""低保名册 ↔ 建档立卡 both ways: 应保未保, 漏评 candidates, attribute mismatches (page as the county sees it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.monitoring.crosscheck.importer import import_list
from jingzhun.monitoring.crosscheck.queries import compare_roll
from jingzhun.monitoring.crosscheck.run import run_crosscheck
from tests.staff import make_household

from .conftest import head, write_list

pytestmark = pytest.mark.django_db


def _roll(tmp_path: Path, world: dict[str, Any], regions: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    unregistered = make_household(regions["v11"], "1411020010010009", "周来福", registered_year=None, status=None)
    registered_poor_on_roll = world["sibling_village"]  # 张建国, 1 person
    path = write_list(
        tmp_path / "dibao.csv",
        [
            {"姓名": head(unregistered).name, "身份证号": head(unregistered).id_number, "保障人数": "1"},
            {"姓名": "张建华", "身份证号": head(registered_poor_on_roll).id_number, "保障人数": "3"},
        ],
        headers=("姓名", "身份证号", "出生日期", "村代码", "保障人数"),
    )
    system = Actor.system("test")
    assert import_list(path, source="dibao_roll", as_of=as_of, actor=system).ok
    run_crosscheck(system)
    return {"unregistered": unregistered, "on_roll": registered_poor_on_roll}


@pytest.fixture
def roll(tmp_path: Path, world: dict[str, Any], regions: dict[str, Any]) -> dict[str, Any]:
    return _roll(tmp_path, world, regions, dt.date(2017, 6, 30))


def test_the_three_lists(roll: dict[str, Any], world: dict[str, Any]) -> None:
    result = compare_roll(Actor.system("test"))
    assert result.month == "2017-06"
    missing = {h["household_no"] for h in result.unprotected}
    assert world["own"].household_no in missing  # registered poor, no income, not on the roll
    assert roll["on_roll"].household_no not in missing
    assert [h["household_no"] for h in result.missed] == [roll["unregistered"].household_no]
    [missed] = result.missed  # no income of its own: counted at 2017's 低保 standard, 2 819 < 2 952 元
    assert (missed["per_capita_fen"], missed["counted_fen"], missed["line_fen"]) == (0, 281_900, 295_200)
    [mismatch] = result.mismatches
    assert mismatch["household_no"] == roll["on_roll"].household_no
    assert any("保障人数 3" in p for p in mismatch["problems"]) and any("张建华" in p for p in mismatch["problems"])


def test_roll_page_is_region_scoped(roll: dict[str, Any], world: dict[str, Any], login: Any) -> None:
    page = login("alice").get("/monitoring/crosscheck/roll/").content.decode()
    assert "应保未保" in page and world["own"].household_no in page and roll["unregistered"].household_no in page
    other = login("zoe").get("/monitoring/crosscheck/roll/").content.decode()  # 交口县: none of 离石区's households
    assert world["own"].household_no not in other and roll["unregistered"].household_no not in other
    assert login("carl").get("/monitoring/crosscheck/roll/").status_code == 403


def test_the_page_reads_what_the_run_stored(
    roll: dict[str, Any], world: dict[str, Any], regions: dict[str, Any], login: Any, monkeypatch: Any
) -> None:
    """Bounded: a page load never runs the rules engine; a registry change shows after the next run."""
    from jingzhun.monitoring.crosscheck import roll as roll_module
    from jingzhun.monitoring.models.crosscheck import RollCheck

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the page recomputed the comparison")

    monkeypatch.setattr(roll_module, "compute_roll", refuse)
    alice = login("alice")
    page = alice.get("/monitoring/crosscheck/roll/").content.decode()
    assert 'id="roll-computed"' in page and world["own"].household_no in page
    later = make_household(regions["v12"], "1411020010020009", "郭来顺", others=("郭小红",))  # like "own"
    assert later.household_no not in alice.get("/monitoring/crosscheck/roll/").content.decode()
    monkeypatch.undo()
    alice.post("/monitoring/crosscheck/run/", {"source": "dibao_roll"})  # the county's 重新比对 (a job)
    assert RollCheck.objects.count() == 2
    page = alice.get("/monitoring/crosscheck/roll/").content.decode()
    assert later.household_no in page and "应保未保" in page


def test_not_computed_until_a_run(tmp_path: Path, world: dict[str, Any], login: Any) -> None:
    path = write_list(
        tmp_path / "dibao.csv", [{"姓名": head(world["own"]).name, "身份证号": head(world["own"]).id_number}]
    )
    assert import_list(path, source="dibao_roll", as_of=dt.date(2020, 6, 30), actor=Actor.system("test")).ok
    page = login("alice").get("/monitoring/crosscheck/roll/").content.decode()
    assert 'id="roll-not-computed"' in page and "运行低保名册比对" in page
    assert compare_roll(Actor.system("test")).check is None


def test_a_dibao_household_counts_at_the_standard_so_2020_has_no_missed(
    tmp_path: Path, world: dict[str, Any], regions: dict[str, Any], login: Any
) -> None:
    """The reading (crosscheck.roll.compute_roll): a household on the roll is paid 低保, so its income counts at
    no less than the standard — 2020's 4 853 元 is above the 4 000 元 line: the same household is no 漏评候选."""
    made = _roll(tmp_path, world, regions, dt.date(2020, 6, 30))
    result = compare_roll(Actor.system("test"))
    assert result.month == "2020-06"
    assert result.missed == []
    assert world["own"].household_no in {h["household_no"] for h in result.unprotected}
    page = login("alice").get("/monitoring/crosscheck/roll/").content.decode()
    assert "计入低保后仍低于贫困线" in page and made["unregistered"].household_no not in page.split("漏评候选")[1]
