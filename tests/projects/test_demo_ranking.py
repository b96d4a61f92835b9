"""The demo's ranking step on a small synthetic county: every project ranked per year, the 2020 fund
matched in rank order within budgets, some performance records — through the actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import Sum

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.projects.models import Fund, FundAllocation, PerformanceRecord, Project

pytestmark = pytest.mark.django_db


def test_demo_ranks_matches_and_evaluates(tmp_path: Path) -> None:
    from jingzhun.cli.demo import import_demo_projects
    from jingzhun.projects.demo_data import FUND_FEN, build_demo_projects
    from jingzhun.registry.importer import import_file
    from jingzhun.synth.generate import generate_county

    synth = generate_county("141102", 300, 2018, tmp_path)
    actor = Actor.system("demo")
    assert import_file(synth.regions_path, actor=actor).written
    assert import_file(synth.households_path, actor=actor).written  # the posts' holders and 爱心超市 households
    import_demo_projects(synth.regions_path, synth.households_path, 2018, actor)

    result = build_demo_projects(actor, "141102", 2018)

    assert result.ranked == Project.objects.count() and not Project.objects.filter(rank__isnull=True).exists()
    for year in Project.objects.values_list("year", flat=True).distinct():
        ranks = sorted(Project.objects.filter(year=year).values_list("rank", flat=True))
        assert ranks == list(range(1, len(ranks) + 1))
    fund = Fund.objects.get()
    matched = list(FundAllocation.objects.filter(fund=fund).order_by("id"))
    assert result.matched == len(matched) > 0
    assert [a.rank_at_match for a in matched] == sorted(a.rank_at_match for a in matched)
    assert sum(a.amount_fen for a in matched) <= FUND_FEN
    for project in Project.objects.annotate(given=Sum("allocations__amount_fen")):
        assert (project.given or 0) <= project.budget_fen, project.code
    assert result.evaluated == PerformanceRecord.objects.count() > 0
    assert AuditEvent.objects.filter(action="projects.match_fund").count() == 1
    assert "按序匹配" in result.message()

    # 光伏收益, 公益岗位/护林员 and 爱心超市 in the same step, through the actions and into the ledger
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.projects.demo_livelihood import REVENUE_FEN
    from jingzhun.projects.models import PointsEntry, PostMonth, PvDistribution, PvYear, WelfarePost

    assert WelfarePost.objects.filter(kind="forest_ranger").exists()
    wages = PaymentLine.objects.filter(program__in=["forest_ranger_wage", "welfare_post_wage"])
    assert wages.count() == PostMonth.objects.filter(wage_fen__gt=0).count() > 0
    assert wages.aggregate(s=Sum("amount_fen"))["s"] == PostMonth.objects.aggregate(s=Sum("wage_fen"))["s"]
    assert Project.objects.filter(kind="pv").exists()  # so 21.7 万元 is shared among stations and distributed
    assert PvYear.objects.aggregate(s=Sum("revenue_fen"))["s"] == REVENUE_FEN
    assert PvDistribution.objects.aggregate(s=Sum("amount_fen"))["s"] == REVENUE_FEN
    assert PointsEntry.objects.filter(points__lt=0).exists()
    assert "公益岗位和护林员" in result.message()
