"""Ties and shared IDs (待甄别): a list row that two registry persons fit equally gets no 疑点 but is listed on
the 数据比对 page for the village / county to resolve by hand — pick the person (→ an ordinary 疑点) or none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.crosscheck import link
from jingzhun.monitoring.crosscheck.actions import store_hits
from jingzhun.monitoring.crosscheck.importer import import_list
from jingzhun.monitoring.crosscheck.run import run_crosscheck
from jingzhun.monitoring.models.crosscheck import Ambiguity, DeptRow, Suspect
from jingzhun.registry.models import Household
from tests.staff import make_household

from .conftest import head, write_list

pytestmark = pytest.mark.django_db
BORN = dt.date(1951, 4, 9)


@pytest.fixture
def tie(tmp_path: Path, world: dict[str, Any], regions: dict[str, Any]) -> dict[str, Any]:
    """Two 王建军 born the same day in 信义村 (two households) and a death-list row naming 王建军, that
    birthday and 信义村 without an ID; plus an unrelated exact row so the run has ordinary hits too."""
    first = make_household(regions["v11"], "1411020010010011", "王建军", birth=BORN)
    second = make_household(regions["v11"], "1411020010010012", "王建军", birth=BORN)
    path = write_list(
        tmp_path / "death.csv",
        [
            {"姓名": "王建军", "出生日期": BORN.isoformat(), "村代码": "141102001001"},
            {"姓名": head(world["sibling_village"]).name, "身份证号": head(world["sibling_village"]).id_number},
        ],
    )
    system = Actor.system("test")
    assert import_list(path, source="death", as_of=dt.date(2020, 6, 30), actor=system).ok
    result = run_crosscheck(system)
    return {"first": head(first), "second": head(second), "result": result}


def test_a_tie_is_stored_not_matched(tie: dict[str, Any]) -> None:
    assert tie["result"].flagged == 1 and len(tie["result"].hits) == 1
    [row] = Ambiguity.objects.all()
    assert (row.reason, row.state, row.source, row.row.row) == ("tie", "open", "death", 2)
    assert set(row.candidates.values_list("pk", flat=True)) == {tie["first"].pk, tie["second"].pk}
    assert row.village_codes == ["141102001001"]
    assert not Suspect.objects.filter(row=row.row).exists()
    again = run_crosscheck(Actor.system("test"))  # idempotent: the row keeps its one entry
    assert again.flagged == 0 and Ambiguity.objects.count() == 1


def test_the_page_lists_it_by_region(tie: dict[str, Any], login: Any) -> None:
    page = login("victor").get("/monitoring/crosscheck/").content.decode()
    assert 'id="ambiguous-rows"' in page and "多人同等匹配" in page
    assert "1411020010010011" in page and "1411020010010012" in page and "提交甄别" in page
    assert 'id="ambiguous-rows"' not in login("zoe").get("/monitoring/crosscheck/").content.decode()
    audrey = login("audrey").get("/monitoring/crosscheck/").content.decode()  # auditor reads, cannot resolve
    assert 'id="ambiguous-rows"' in audrey and "提交甄别" not in audrey


def test_resolving_picks_a_person_or_none(tie: dict[str, Any], login: Any) -> None:
    row = Ambiguity.objects.get()
    url = f"/monitoring/crosscheck/ambiguous/{row.pk}/resolve/"
    assert login("zoe").post(url, {"person": tie["first"].pk, "reason": "x"}).status_code == 404
    assert login("audrey").post(url, {"person": tie["first"].pk, "reason": "x"}).status_code == 403
    victor = login("victor")
    blank = victor.post(url, {"person": tie["first"].pk, "reason": ""}, follow=True).content.decode()
    assert "甄别须填写说明" in blank and Ambiguity.objects.get().state == "open"
    victor.post(url, {"person": tie["second"].pk, "reason": "入户核对：第二户的王建军已去世"})
    done = Ambiguity.objects.get()
    assert (done.state, done.chosen_id, done.decided_label) == ("chosen", tie["second"].pk, "victor")
    suspect = Suspect.objects.get(row=done.row)
    assert (suspect.person_id, suspect.match, suspect.state) == (tie["second"].pk, "manual", "open")
    assert AuditEvent.objects.filter(action="crosscheck.resolve", object_id=str(done.pk)).count() == 1
    assert Household.objects.get(pk=tie["second"].household_id).status == "not_exited"  # nothing changed
    again = victor.post(url, {"person": "none", "reason": "x"}, follow=True).content.decode()
    assert "不能再次甄别" in again
    page = victor.get("/monitoring/crosscheck/").content.decode()
    assert "人工甄别" in page and "本区域暂无待甄别名单行" in page


def test_none_of_them(tie: dict[str, Any], login: Any) -> None:
    row = Ambiguity.objects.get()
    login("tom").post(f"/monitoring/crosscheck/ambiguous/{row.pk}/resolve/", {"person": "none", "reason": "外村人"})
    assert Ambiguity.objects.get().state == "none" and not Suspect.objects.filter(row=row.row).exists()


def test_shared_id_is_flagged_by_the_engine() -> None:
    """The registry's 身份证号 is unique, so a shared ID reaches the database run only from a registry that
    held one (the engine keeps the case); the run stores it like a tie (reason ``duplicate_id``)."""
    persons = pl.DataFrame(
        {
            "id": [1, 2],
            "household_no": ["A", "B"],
            "name": ["甲", "乙"],
            "id_number": ["11010519491231002X", "11010519491231002x"],
            "birth_date": [dt.date(1949, 12, 31)] * 2,
            "village": ["141102001001", "141102001002"],
        }
    )
    rows = pl.DataFrame(
        {
            "source": ["death"],
            "row": [2],
            "name": ["甲"],
            "id_number": ["11010519491231002X"],
            "birth_date": [None],
            "village": [None],
        },
        schema_overrides={"birth_date": pl.Date, "village": pl.String},
    )
    linked = link(persons, rows, fuzzy_matching=False)
    assert linked.hits.height == 0
    assert linked.flagged.select("reason", "candidates").to_dicts() == [
        {"reason": "duplicate_id", "candidates": [1, 2]}
    ]


def tie_across(tmp_path: Path, *persons: Any) -> Ambiguity:
    """A death-list row naming 王建军 with his birthday but no village, stored as the run stores a tie
    (:func:`store_hits`' ``flagged``) between ``persons`` — in a county this small the trained model gives a
    row without a village too low a weight to reach the tie test, so the entry is written as the run would."""
    path = write_list(tmp_path / "death.csv", [{"姓名": "王建军", "出生日期": BORN.isoformat()}])
    system = Actor.system("test")
    assert import_list(path, source="death", as_of=dt.date(2020, 6, 30), actor=system).ok
    text, number = pl.String, pl.Float64
    found = pl.DataFrame(
        schema={
            "row": pl.Int64,
            "list_source": text,
            "person_id": pl.Int64,
            "household_pk": pl.Int64,
            "person_village": text,
            "match": text,
            "weight": number,
            "match_weight": number,
            **{f"agree_{k}": text for k in ("id", "name", "birth", "village")},
        }
    )
    [row] = DeptRow.objects.all()
    flagged = {
        "row_id": row.pk,
        "source": "death",
        "reason": "tie",
        "weight": 0.97,
        "candidates": [p.pk for p in persons],
        "village_codes": sorted({p.household.village.code for p in persons}),
    }
    store_hits(system, found, sources=["death"], flagged=[flagged])
    return Ambiguity.objects.get()


@pytest.fixture
def spread(tmp_path: Path, world: dict[str, Any], regions: dict[str, Any]) -> dict[str, Any]:
    """Two 王建军 born the same day: one in 信义村, one in 歧道村 (both 信义镇) — a tie spanning two villages."""
    first = head(make_household(regions["v11"], "1411020010010011", "王建军", birth=BORN))
    second = head(make_household(regions["v12"], "1411020010020011", "王建军", birth=BORN))
    return {"first": first, "second": second, "row": tie_across(tmp_path, first, second)}


def test_candidates_in_two_villages_are_decided_by_their_township(spread: dict[str, Any], login: Any) -> None:
    url = f"/monitoring/crosscheck/ambiguous/{spread['row'].pk}/resolve/"
    victor = login("victor")  # 信义村 holds one candidate: reads the row, may not decide it
    page = victor.get("/monitoring/crosscheck/").content.decode()
    assert 'id="ambiguous-rows"' in page and "1411020010020011" in page
    assert "候选人员分属多个村，由信义镇甄别" in page and "提交甄别" not in page
    assert victor.post(url, {"person": spread["first"].pk, "reason": "本村的王建军已去世"}).status_code == 403
    assert victor.post(url, {"person": "none", "reason": "均非本人"}).status_code == 403
    assert Ambiguity.objects.get().state == "open" and not Suspect.objects.exists()
    tom = login("tom")  # 信义镇 covers both villages: may pick either, also the other village's candidate
    form = tom.get("/monitoring/crosscheck/").content.decode()
    assert "提交甄别" in form and f'value="{spread["second"].pk}"' in form and "由信义镇甄别" not in form
    tom.post(url, {"person": spread["second"].pk, "reason": "乡镇核对：歧道村的王建军已去世"})
    done = Ambiguity.objects.get()
    assert (done.state, done.chosen_id, done.decided_label) == ("chosen", spread["second"].pk, "tom")
    assert Suspect.objects.get(row=done.row).village_code == "141102001002"


def test_candidates_in_two_townships_are_decided_by_the_county(
    tmp_path: Path, world: dict[str, Any], regions: dict[str, Any], login: Any
) -> None:
    first = head(make_household(regions["v11"], "1411020010010011", "王建军", birth=BORN))
    second = head(make_household(regions["v21"], "1411020020010011", "王建军", birth=BORN))
    row = tie_across(tmp_path, first, second)
    url = f"/monitoring/crosscheck/ambiguous/{row.pk}/resolve/"
    assert "由离石区甄别" in login("tom").get("/monitoring/crosscheck/").content.decode()
    assert login("tom").post(url, {"person": "none", "reason": "外乡人"}).status_code == 403
    assert login("zoe").post(url, {"person": "none", "reason": "外县"}).status_code == 404
    login("alice").post(url, {"person": "none", "reason": "县里核对：均非本人"})
    assert Ambiguity.objects.get().state == "none"
    assert AuditEvent.objects.filter(action="crosscheck.resolve", actor_label="alice").count() == 1
