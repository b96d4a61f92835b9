"""The demo's project-and-fund steps for the synthetic county (``make demo``): ranking facts for every
project, 入库排序 of each year, one 2020 fund matched in rank order, and 绩效考评 of completed projects.

Deterministic for a seed. The facts are synthetic: a project's budget is what the import allocated to it
plus a share still to be funded (so a 2020 fund has something to match), its registered-poor households
a share of its beneficiaries, its readiness drawn by status. Every write goes through the actions.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Sum
from django.db.models.functions import Coalesce

from jingzhun.core.actions import Actor
from jingzhun.projects import ranking_actions as ra
from jingzhun.projects.models import Fund, Project, ProjectStatus

FUND_YEAR = 2020
FUND_FEN = 5_000_000_00  # 500 万元 中央财政专项 for 2020, matched in rank order
EVALUATED_ON = dt.date(2020, 6, 15)  # before the demo's working month 2020-07 (nothing dated after it)
EVALUATIONS = 12


@dataclass(frozen=True)
class DemoProjects:
    ranked: int
    years: int
    matched: int
    matched_fen: int
    evaluated: int
    livelihood: str = ""  # 光伏收益, 公益岗位/护林员 and 爱心超市 (demo_livelihood)

    def message(self) -> str:
        return (
            f"已入库排序 {self.ranked} 个项目（{self.years} 个年度）；{FUND_YEAR} 年中央财政专项 "
            f"{FUND_FEN // 1_000_000} 万元按序匹配 {self.matched} 个项目；已录入绩效考评 {self.evaluated} 个"
            + (f"\n{self.livelihood}" if self.livelihood else "")
        )


def build_demo_projects(actor: Actor, county: str, seed: int) -> DemoProjects:
    rng = random.Random(seed * 17 + 17)
    projects = list(
        Project.objects.filter(region__code__startswith=county)
        .select_related("region")
        .annotate(allocated=Coalesce(Sum("allocations__amount_fen"), 0))
        .order_by("code")
    )
    poor_of: dict[int, int] = {}
    for p in projects:
        unfunded = p.year >= FUND_YEAR or p.status == ProjectStatus.PLANNED
        extra = rng.randint(20, 60) if unfunded else 0
        budget = -(-p.allocated * (100 + extra) // 100 // 10_000) * 10_000 or 10_000_00  # up to 100 元
        poor = min(p.beneficiary_households, round(p.beneficiary_households * rng.uniform(0.3, 0.9)))
        readiness = "approved" if p.status != ProjectStatus.PLANNED else rng.choice(["idea", "design", "approved"])
        ra.set_ranking_facts(actor, p, budget_fen=budget, poor_households=poor, readiness=readiness)
        poor_of[p.pk] = poor
    years = sorted({p.year for p in projects})
    for year in years:
        ra.rank_projects(actor, county, year)
    matched = 0
    matched_fen = 0
    if FUND_YEAR in years:
        code = f"{county}-{FUND_YEAR}-ZY01"
        fund = Fund.objects.filter(code=code).first() or ra.create_fund(
            actor,
            code=code,
            source="central",
            county_code=county,
            year=FUND_YEAR,
            amount_fen=FUND_FEN,
            note="中央财政专项扶贫资金（演示数据）",
        )
        result = ra.match_fund(actor, fund)
        matched, matched_fen = len(result.allocations), sum(a.amount_fen for a in result.allocations)
    done = [p for p in projects if p.status in (ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED)]
    evaluated = 0
    for p in rng.sample(done, min(EVALUATIONS, len(done))):
        households = p.beneficiary_households
        achieved = max(0, households - rng.randint(0, max(1, households // 5)))
        indicators = [
            {"name": "带动受益户（户）", "planned": households or 1, "achieved": achieved, "weight": 2},
            {"name": "按期完工（%）", "planned": 100, "achieved": rng.choice([100, 100, 90, 80])},
            {"name": "资金到位（%）", "planned": 100, "achieved": rng.choice([100, 95, 85])},
        ]
        ra.record_performance(
            actor,
            p,
            indicators=indicators,
            households=achieved,
            poor_households=min(achieved, poor_of[p.pk]),
            income_increase_fen=achieved * rng.randint(800, 3000) * 100,
            evaluated_on=EVALUATED_ON,
        )
        evaluated += 1
    from jingzhun.projects.demo_livelihood import build_demo_livelihood

    livelihood = build_demo_livelihood(actor, county, seed).message()
    return DemoProjects(len(projects), len(years), matched, matched_fen, evaluated, livelihood)
