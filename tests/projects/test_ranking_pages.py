"""项目库 pages as each role uses them: rank, register a fund, match it, record a performance; refusals."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jingzhun.projects import ranking_actions as ra
from jingzhun.projects.models import Fund, FundAllocation, PerformanceRecord, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_project: Any, system: Any, personas: Any) -> dict[str, Any]:
    out = {
        "A": make_project("A", "141102001001", beneficiary_households=100, name="信义村食用菌基地"),
        "B": make_project("B", "141102002001", beneficiary_households=50, name="吴城村光伏电站"),
        "J": make_project("J", "141130001001", beneficiary_households=10, name="水头村养殖场"),
    }
    for code, (budget, poor, ready) in {
        "A": (40_000_000, 80, "approved"),
        "B": (100_000_000, 50, "design"),
        "J": (1_000_000, 1, "idea"),
    }.items():
        ra.set_ranking_facts(system, out[code], budget_fen=budget, poor_households=poor, readiness=ready)
    return out


def ranks(html: str) -> list[tuple[str, str]]:
    table = html[html.index('id="library"') :]
    return re.findall(r"<tr>\s*<td>([^<]+)</td><td>[^<]+</td>\s*<td><a href=\"/projects/([^/]+)/\"", table)


def test_county_officer_ranks_registers_and_matches(login: Any, library: Any) -> None:
    client = login("alice")
    page = client.get("/projects/?county=141102&year=2019").content.decode()
    assert "有项目尚未排序" in page and "入库排序（重新计算得分和排名）" in page
    client.post("/projects/rank/", {"county": "141102", "year": "2019"})
    page = client.get("/projects/?county=141102&year=2019").content.decode()
    assert ranks(page) == [("1", "A"), ("2", "B")]
    assert "水头村养殖场" not in page
    response = client.post(
        "/projects/funds/new/",
        {"county": "141102", "year": "2019", "code": "F1", "source": "central", "amount": "500000", "note": "晋财农"},
    )
    assert response.status_code == 302
    fund = Fund.objects.get(code="F1")
    assert fund.amount_fen == 50_000_000 and fund.recorded_by == "alice"
    response = client.post(f"/projects/funds/{fund.pk}/match/", follow=True)
    assert "F1 按序匹配 2 个项目，结余 0.00 元" in response.content.decode()
    assert list(FundAllocation.objects.filter(fund=fund).values_list("project__code", "amount_fen")) == [
        ("A", 40_000_000),
        ("B", 10_000_000),
    ]
    detail = client.get("/projects/A/").content.decode()
    assert "第 1 名" in detail and "F1" in detail and "alice" in detail


def test_bad_fund_input_names_the_field_and_writes_nothing(login: Any, library: Any) -> None:
    client = login("alice")
    response = client.post(
        "/projects/funds/new/",
        {"county": "141102", "year": "2019", "code": "F1", "source": "x", "amount": "1.234"},
        follow=True,
    )
    assert "[amount]" in response.content.decode()
    response = client.post(
        "/projects/funds/new/",
        {"county": "141102", "year": "2019", "code": "", "source": "x", "amount": "1"},
        follow=True,
    )
    html = response.content.decode()
    assert "[code]" in html and "[source]" in html
    assert not Fund.objects.exists()


@pytest.mark.parametrize("who", ["tom", "victor", "audrey"])
def test_others_read_but_cannot_rank_or_match(login: Any, library: Any, who: str) -> None:
    client = login(who)
    page = client.get("/projects/?county=141102&year=2019").content.decode()
    assert "入库排序（重新计算得分和排名）" not in page
    response = client.post("/projects/rank/", {"county": "141102", "year": "2019"}, follow=True)
    refusals = {"tom": "无权操作该区域的数据", "victor": "无权操作该区域的数据", "audrey": "审计账号为只读"}
    assert refusals[who] in response.content.decode()
    assert not Project.objects.filter(rank__isnull=False).exists()


def test_other_county_and_out_of_scope_pages_are_missing(login: Any, library: Any) -> None:
    assert login("zoe").get("/projects/?county=141102").status_code == 404
    assert login("zoe").get("/projects/A/").status_code == 404
    assert login("tom").get("/projects/B/").status_code == 404  # 吴城镇's project, tom is 信义镇
    assert login("tom").get("/projects/A/").status_code == 200


def test_township_officer_records_performance_shown_on_the_public_page(login: Any, library: Any) -> None:
    client = login("tom")
    form = {
        "evaluated_on": "2020-12-01",
        "name1": "食用菌大棚（座）",
        "planned1": "20",
        "achieved1": "18",
        "weight1": "1",
        "name2": "带动贫困户（户）",
        "planned2": "30",
        "achieved2": "30",
        "weight2": "2",
        "households": "100",
        "poor_households": "80",
        "income": "240000",
    }
    response = client.post("/projects/A/performance/", form, follow=True)
    assert "已录入绩效考评：优（96.67 分）" in response.content.decode()
    record = PerformanceRecord.objects.get()
    assert record.income_increase_fen == 24_000_000 and record.evaluator == "tom"
    from jingzhun.projects.queries import public_projects

    shown = {p.name: p for p in public_projects("141102001001")}["信义村食用菌基地"]
    assert (shown.grade, shown.score, shown.evaluated_households, shown.evaluated_poor_households) == (
        "优",
        "96.67",
        100,
        80,
    )
    # refused: a village cadre, an auditor; bad numbers name their field
    for who in ("victor", "audrey"):
        html = login(who).post("/projects/A/performance/", form, follow=True).content.decode()
        assert "项目绩效考评由乡镇或县级经办人员录入" in html or "审计账号为只读" in html
    html = login("tom").post("/projects/A/performance/", {**form, "poor_households": "101"}, follow=True)
    assert "[poor_households]" in html.content.decode()
    assert PerformanceRecord.objects.count() == 1


def test_public_project_list_shows_the_grade_as_counts_only(library: Any, system: Any) -> None:
    import datetime as dt

    from django.template.loader import render_to_string

    from jingzhun.projects.queries import public_projects

    ra.record_performance(
        system,
        library["A"],
        indicators=[{"name": "户", "planned": 10, "achieved": 8}],
        households=90,
        poor_households=70,
        income_increase_fen=12_345_600,
        evaluated_on=dt.date(2020, 12, 1),
    )
    html = render_to_string("public/_projects.html", {"projects": public_projects("141102001001"), "funds": []})
    assert "绩效考评：良（80.00 分）· 受益 90 户，其中建档立卡户 70 户 · 受益户年增收" in html
    assert "123,456.00" in html
    assert "考评人" not in html  # who evaluated is a staff detail
