"""Issue #15: 导出Excel of the 疑点 list (数据比对) and the 返贫预警 cases list — the filtered rows, the filter in
the title, ID numbers masked as the list shows them, the scope applied."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.monitoring.crosscheck.conftest import seed_suspects
from tests.xlsx import opened

pytestmark = pytest.mark.django_db


def test_suspects_export_the_source_filter(tmp_path: Path, world: dict[str, Any], login: Any) -> None:
    seed_suspects(tmp_path, world)  # two vehicle 疑点 (信义村, 歧道村), one death 疑点 (信义村)
    client = login("alice")
    page = client.get("/monitoring/crosscheck/", {"state": "open", "source": "vehicle"}).content.decode()
    assert 'href="?state=open&amp;source=vehicle&amp;format=xlsx"' in page
    book = opened(client.get("/monitoring/crosscheck/", {"state": "open", "source": "vehicle", "format": "xlsx"}))
    assert "数据比对疑点" in book.title and "状态：待核实" in book.title and "名单：" in book.title
    assert sorted(book.column("姓名")) == sorted(["刘保平", "张建国"])
    assert all("*" in text for text in book.column("身份证号"))
    victor = opened(login("victor").get("/monitoring/crosscheck/", {"format": "xlsx"}))  # 信义村 only
    assert sorted(victor.column("姓名")) == sorted(["刘保平", "王秀英"])


def test_cases_export_mine_or_all(world: dict[str, Any], login: Any) -> None:
    from jingzhun.monitoring.models.cases import Case, CaseOrigin, CaseState

    for household, due, state in (
        (world["own"], dt.date(2020, 7, 10), CaseState.IDENTIFIED),
        (world["own_other"], dt.date(2020, 7, 30), CaseState.IDENTIFIED),
        (world["sibling_township"], dt.date(2020, 7, 1), CaseState.IN_NOTICE),
    ):
        Case.objects.create(
            household=household,
            origin=CaseOrigin.choices[0][0],
            first_flag_on=due - dt.timedelta(days=15),
            due_on=due,
            state=state,
            opened_by_label="test",
        )
    client = login("alice")
    assert "导出Excel" in client.get("/monitoring/cases/", {"view": "all"}).content.decode()
    book = opened(client.get("/monitoring/cases/", {"view": "all", "format": "xlsx"}))
    assert book.title == "返贫预警案件（筛选条件：全部在办案件）"
    assert sorted(book.column("户编号")) == sorted(
        world[k].household_no for k in ("own", "own_other", "sibling_township")
    )
    mine = opened(login("victor").get("/monitoring/cases/", {"format": "xlsx"}))
    assert sorted(mine.column("户编号")) == sorted(world[k].household_no for k in ("own", "own_other"))
    assert "我的待办" in mine.title
