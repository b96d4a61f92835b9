"""入库排序, 按序匹配, 绩效考评 through their actions: scores from the parameter file, rank order, matching
until spent and never above a budget, re-ranking leaves past allocations alone, role × region refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.models import AuditEvent
from jingzhun.projects import ranking_actions as ra
from jingzhun.projects.models import FundAllocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_project: Any, system: Any) -> dict[str, Any]:
    """Three 2019 projects in 离石区 and one in 交口县, with their ranking facts.

    Scores (ranking.yaml: 30 households/100, 30 poor share, 25 cost 5 000–50 000 元/户, 15 readiness):
    A 100 households, 80 poor, 40 万 (4 000/户), approved → 30 + 24 + 25 + 15 = 94
    B 50 households, 50 poor, 100 万 (20 000/户), design → 15 + 30 + 25×30/45 + 7.5 = 69.17
    C 10 households, 2 poor, 30 万 (30 000/户), idea → 3 + 6 + 25×20/45 + 0 = 20.11
    """
    out = {
        "A": make_project("A", "141102001001", beneficiary_households=100),
        "B": make_project("B", "141102002001", beneficiary_households=50),
        "C": make_project("C", "141102", beneficiary_households=10),
        "J": make_project("J", "141130001001", beneficiary_households=10),
    }
    facts = {
        "A": (40_000_000, 80, "approved"),
        "B": (100_000_000, 50, "design"),
        "C": (30_000_000, 2, "idea"),
        "J": (10_000_000, 10, "approved"),
    }
    for code, (budget, poor, ready) in facts.items():
        ra.set_ranking_facts(system, out[code], budget_fen=budget, poor_households=poor, readiness=ready)
    return out


def test_rank_orders_by_score_from_the_parameter_file(actors: Any, library: Any) -> None:
    ranked = ra.rank_projects(actors["alice"], "141102", 2019)
    assert [(p.code, p.rank, p.score) for p in ranked] == [
        ("A", 1, Decimal("94.00")),
        ("B", 2, Decimal("69.17")),
        ("C", 3, Decimal("20.11")),
    ]
    library["J"].refresh_from_db()
    assert library["J"].rank is None  # 交口县's project is not in 离石区's ranking
    event = AuditEvent.objects.filter(action="projects.rank_projects").get()
    assert event.actor_label == "alice" and event.after["ranks"]["A"] == [1, "94.00"]


def test_match_in_rank_order_until_spent_never_above_budget(actors: Any, library: Any) -> None:
    ra.rank_projects(actors["alice"], "141102", 2019)
    fund = ra.create_fund(
        actors["alice"], code="F1", source="central", county_code="141102", year=2019, amount_fen=120_000_000
    )
    result = ra.match_fund(actors["alice"], fund)
    assert [(a.project.code, a.amount_fen, a.rank_at_match, a.decided_by) for a in result.allocations] == [
        ("A", 40_000_000, 1, "alice"),
        ("B", 80_000_000, 2, "alice"),
    ]
    assert result.unspent_fen == 0
    again = ra.match_fund(actors["alice"], fund)  # spent: nothing more
    assert again.allocations == [] and FundAllocation.objects.filter(fund=fund).count() == 2

    # C gets better and B worse: re-ranked, C is 2nd and B 3rd; the allocations already made stay as written
    ra.set_ranking_facts(actors["alice"], library["C"], budget_fen=30_000_000, poor_households=10, readiness="approved")
    ra.set_ranking_facts(actors["alice"], library["B"], budget_fen=100_000_000, poor_households=0, readiness="idea")
    assert [p.code for p in ra.rank_projects(actors["alice"], "141102", 2019)] == ["A", "C", "B"]
    before = list(FundAllocation.objects.filter(fund=fund).values_list("project__code", "amount_fen", "rank_at_match"))
    assert before == [("A", 40_000_000, 1), ("B", 80_000_000, 2)]
    second = ra.create_fund(
        actors["alice"], code="F2", source="province", county_code="141102", year=2019, amount_fen=100_000_000
    )
    result = ra.match_fund(actors["alice"], second)
    got = [(a.project.code, a.amount_fen) for a in result.allocations]
    # A is full (passed over), C (now 2nd) its 30 万, B the 20 万 left of its budget; 50 万 stays unspent
    assert got == [("C", 30_000_000), ("B", 20_000_000)]
    assert result.full == ("A",) and result.unspent_fen == 50_000_000
    for code, project in library.items():
        if code != "J":
            given = sum(FundAllocation.objects.filter(project=project).values_list("amount_fen", flat=True))
            project.refresh_from_db()
            assert given <= project.budget_fen


def test_match_needs_a_ranking(actors: Any, library: Any) -> None:
    fund = ra.create_fund(actors["alice"], code="F1", source="central", county_code="141102", year=2019, amount_fen=100)
    with pytest.raises(ValidationError, match="入库排序"):
        ra.match_fund(actors["alice"], fund)
    assert not FundAllocation.objects.filter(fund=fund).exists()


@pytest.mark.parametrize("who", ["tom", "victor", "audrey", "carl", "zoe"])
def test_only_the_county_ranks_and_matches(actors: Any, library: Any, who: str) -> None:
    with pytest.raises(PermissionDenied):
        ra.rank_projects(actors[who], "141102", 2019)
    with pytest.raises(PermissionDenied):
        ra.create_fund(actors[who], code="X", source="central", county_code="141102", year=2019, amount_fen=1)
    ra.rank_projects(actors["alice"], "141102", 2019)
    fund = ra.create_fund(actors["alice"], code="F9", source="central", county_code="141102", year=2019, amount_fen=1)
    with pytest.raises(PermissionDenied):
        ra.match_fund(actors[who], fund)


def test_bad_fund_names_each_field(actors: Any, library: Any) -> None:
    with pytest.raises(ValidationError) as err:
        ra.create_fund(actors["alice"], code="", source="lottery", county_code="141102", year=2019, amount_fen=0)
    text = str(err.value)
    assert "[code]" in text and "[source]" in text and "[amount_fen]" in text


INDICATORS = [
    {"name": "食用菌大棚（座）", "planned": 20, "achieved": 18},
    {"name": "带动贫困户（户）", "planned": "30", "achieved": "30", "weight": "2"},
]


def test_performance_score_and_grade(actors: Any, library: Any) -> None:
    record = ra.record_performance(
        actors["tom"],
        library["A"],
        indicators=INDICATORS,
        households=100,
        poor_households=80,
        income_increase_fen=24_000_000,
        evaluated_on=dt.date(2020, 12, 1),
    )
    # (1 × 0.9 + 2 × 1) / 3 = 96.67 → 优
    assert (record.score, record.grade) == (Decimal("96.67"), "优")
    assert record.evaluator == "tom"
    assert AuditEvent.objects.filter(action="projects.record_performance", object_id=str(record.pk)).exists()


def test_performance_refusals(actors: Any, library: Any) -> None:
    kwargs: dict[str, Any] = {
        "indicators": INDICATORS,
        "households": 1,
        "poor_households": 0,
        "income_increase_fen": 0,
        "evaluated_on": dt.date(2020, 1, 1),
    }
    with pytest.raises(PermissionDenied):
        ra.record_performance(actors["tom"], library["B"], **kwargs)  # 吴城镇's project, tom is 信义镇
    for who in ("victor", "audrey", "carl"):
        with pytest.raises(PermissionDenied):
            ra.record_performance(actors[who], library["A"], **kwargs)
    with pytest.raises(ValidationError) as err:
        ra.record_performance(
            actors["alice"],
            library["A"],
            **{**kwargs, "poor_households": 5, "indicators": [{"name": "x", "planned": 0.5, "achieved": 1}]},
        )
    assert "[poor_households]" in str(err.value) and "[planned]" in str(err.value)
