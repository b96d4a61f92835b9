"""What the 一码清 pages list: a village its own projects, a township its own and its villages', funds summed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingzhun.projects.queries import FundTotal, PublicProject, public_projects, totals_by_region

pytestmark = pytest.mark.django_db

V11, V12, T1, V21, V91 = "141102001001", "141102001002", "141102001000", "141102002001", "141130001001"


@pytest.fixture
def library(make_project: Callable[..., Any]) -> None:
    make_project("V11-PV", V11, name="信义村光伏扶贫电站", funds={"central": 500_000_00, "integrated": 245_000_00})
    make_project("V11-WAL", V11, name="信义村核桃提质增效", kind="industry", year=2018, status="accepted")
    make_project("V12-ROAD", V12, name="歧道村通村道路硬化", kind="infrastructure", funds={"county": 80_000_00})
    make_project("T1-RELOC", T1, name="信义镇集中安置点", kind="relocation", funds={"self_raised": 30_000_00})
    make_project("V21-PV", V21, name="吴城村光伏扶贫电站", funds={"central": 700_000_00})
    make_project("V91-MUSH", V91, name="水头村食用菌大棚", kind="industry", funds={"social": 20_000_00})


@pytest.mark.usefixtures("library")
def test_village_page_lists_only_the_village_projects_with_funds_summed() -> None:
    projects = public_projects(V11)
    assert projects == [
        PublicProject("信义村光伏扶贫电站", "光伏扶贫", 2019, 745_000_00, 10, "计划"),
        PublicProject("信义村核桃提质增效", "产业扶贫", 2018, 0, 10, "已验收"),
    ]


@pytest.mark.usefixtures("library")
def test_township_page_lists_its_own_and_its_villages_projects_but_not_another_townships() -> None:
    names = {p.name for p in public_projects(T1)}
    assert names == {"信义村光伏扶贫电站", "信义村核桃提质增效", "歧道村通村道路硬化", "信义镇集中安置点"}


@pytest.mark.usefixtures("library")
def test_township_level_project_is_not_listed_on_each_village_page() -> None:
    assert "信义镇集中安置点" not in {p.name for p in public_projects(V12)}


@pytest.mark.usefixtures("library")
def test_county_code_lists_the_whole_county_and_nothing_of_another_county() -> None:
    names = {p.name for p in public_projects("141102")}
    assert len(names) == 5
    assert "水头村食用菌大棚" not in names


@pytest.mark.usefixtures("library")
def test_year_keeps_one_year() -> None:
    assert [p.name for p in public_projects(V11, 2018)] == ["信义村核桃提质增效"]
    assert public_projects(V11, 2015) == []


@pytest.mark.usefixtures("library")
def test_funds_by_source_over_a_township() -> None:
    assert totals_by_region(T1) == [
        FundTotal("central", "中央财政专项", 500_000_00),
        FundTotal("county", "县级财政专项", 80_000_00),
        FundTotal("integrated", "整合涉农资金", 245_000_00),
        FundTotal("self_raised", "群众自筹", 30_000_00),
    ]
    assert totals_by_region(V21, 2018) == []


def test_page_costs_one_query_whatever_the_number_of_projects(make_project: Callable[..., Any]) -> None:
    for i in range(12):
        make_project(f"P{i}", V11, funds={"central": 1_000_00, "county": 2_000_00})
    with CaptureQueriesContext(connection) as queries:
        projects = public_projects(T1)
        totals = totals_by_region(T1)
    assert len(projects) == 12
    assert sum(p.funds_fen for p in projects) == sum(t.amount_fen for t in totals) == 12 * 3_000_00
    assert len(queries) == 2
