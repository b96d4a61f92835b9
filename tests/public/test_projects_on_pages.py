"""扶贫项目 on the 一码清 pages, from ``projects.queries.public_projects``: a household sees its village's
projects, a village its own, a township its own and its villages', with funds in yuan."""

import pytest

from jingzhun.projects.actions import add_allocation, create_project
from jingzhun.public import views
from jingzhun.public.actions import issue_token

pytestmark = pytest.mark.django_db


def url(token) -> str:
    return f"/q/{token.token}/"


@pytest.fixture
def projects(regions, system) -> None:
    pv = create_project(
        system,
        code="V11-PV",
        name="信义村光伏扶贫电站",
        kind="pv",
        region="141102001001",
        year=2019,
        beneficiary_households=37,
        status="accepted",
    )
    add_allocation(system, pv, source="central", amount_fen=500_000_00)
    add_allocation(system, pv, source="integrated", amount_fen=245_000_50)
    create_project(
        system, code="V12-ROAD", name="歧道村通村道路硬化", kind="infrastructure", region="141102001002", year=2020
    )
    create_project(
        system, code="T1-RELOC", name="信义镇集中安置点", kind="relocation", region="141102001000", year=2018
    )


@pytest.mark.usefixtures("projects")
def test_a_household_page_lists_its_villages_projects_with_funds(client, regions, make_household, system) -> None:
    text = client.get(url(issue_token(system, make_household(regions["v11"], ["张三明"])))).content.decode()
    assert "信义村光伏扶贫电站" in text and "光伏扶贫" in text and "2019" in text and "已验收" in text
    assert "745,000.50" in text and "受益 37 户" in text
    assert "歧道村通村道路硬化" not in text and "信义镇集中安置点" not in text
    assert "暂无项目信息" not in text


@pytest.mark.usefixtures("projects")
def test_a_village_page_lists_its_own_projects_and_funds_by_source(client, regions, system) -> None:
    text = client.get(url(issue_token(system, regions["v11"]))).content.decode()
    assert "信义村光伏扶贫电站" in text and "歧道村通村道路硬化" not in text
    assert "中央财政专项" in text and "500,000.00" in text and "整合涉农资金" in text and "245,000.50" in text


@pytest.mark.usefixtures("projects")
def test_a_township_page_lists_its_own_and_its_villages_projects(client, regions, system) -> None:
    text = client.get(url(issue_token(system, regions["t1"]))).content.decode()
    for name in ("信义村光伏扶贫电站", "歧道村通村道路硬化", "信义镇集中安置点"):
        assert name in text


def test_a_new_project_shows_once_the_regions_project_list_is_refreshed(client, regions, system) -> None:
    token = issue_token(system, regions["v21"])
    assert "暂无项目信息" in client.get(url(token)).content.decode()
    create_project(system, code="V21-PV", name="吴城村光伏扶贫电站", kind="pv", region="141102002001", year=2021)
    views.page_cache().delete("public-projects:141102002001:1")  # what MAX_AGE seconds do
    assert "吴城村光伏扶贫电站" in client.get(url(token)).content.decode()


def test_a_project_for_one_or_two_households_shows_no_count(client, regions, system) -> None:
    create_project(
        system,
        code="V11-HOUSE",
        name="信义村危房改造",
        kind="housing",
        region="141102001001",
        year=2020,
        beneficiary_households=1,
    )
    text = client.get(url(issue_token(system, regions["v11"]))).content.decode()
    assert "受益 少于3户" in text and "受益 1 户" not in text
