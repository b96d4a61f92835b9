"""入库排序, 按序匹配 and 绩效考评: every write one function, one transaction, one audit row, region-checked.

The rules are pure (``policy.projects_rules``); this module reads the library, calls them and records the
result. Who may do what (the reading a county office expects; POLICY.md §9 names no roles):

* 入库排序 and 按序匹配 are the county's (县级 民政/扶贫办 or the administrator) — a ranking and a fund cover
  the whole county. Township and village staff enter projects and their facts; auditors only read.
* 绩效考评 may be entered by county and township staff for a project in their region (the township
  checks its own projects' outputs); not by village or 帮扶 cadres, never by auditors.
* 按序匹配 walks the ranking as it stands when the fund is matched and records each allocation with the
  fund, the rank then and who decided. A later re-ranking changes ``Project.rank`` only: allocations
  already made stay as written (they are never updated), and the next fund is matched in the new order,
  counting what each project already received against its budget.
* Matching a fund again gives nothing more once it is spent (idempotent); a project with no budget is
  passed over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.policy import projects_rules as rules
from jingzhun.policy.params import load_parameters
from jingzhun.projects.models import Fund, FundAllocation, FundSource, PerformanceRecord, Project, Readiness
from jingzhun.registry.models import Region, RegionLevel

COUNTY_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
EVALUATOR_ROLES = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.ADMIN})


def _county_only(actor: Actor, county_code: str, what: str) -> None:
    check_region(actor, county_code)
    if actor.role not in COUNTY_ROLES:
        raise PermissionDenied(f"{what}由县级民政/扶贫办办理。")


def _county(code: str) -> Region:
    county = Region.objects.filter(code=code, level=RegionLevel.COUNTY).first()
    if county is None:
        raise ValidationError({"county": f"县级区划代码 {code} 不存在 [county]"})
    return county


def _candidate(project: Project) -> rules.ProjectCandidate:
    return rules.ProjectCandidate(
        code=project.code,
        county=project.region.code[:6],
        year=project.year,
        budget_fen=project.budget_fen,
        households=project.beneficiary_households,
        poor_households=project.poor_households,
        readiness=project.readiness,
        registered_on=timezone.localtime(project.created_at).date(),
    )


def _ranked(county: str, year: int) -> tuple[list[Project], list[rules.RankedProject]]:
    projects = list(Project.objects.filter(region__code__startswith=county, year=year).select_related("region"))
    ranking = rules.RankingRules.from_tree(load_parameters(), county, dt.date(year, 1, 1))
    try:
        ranked = rules.rank_projects([_candidate(p) for p in projects], ranking)
    except rules.ProjectRuleError as exc:
        raise ValidationError({"__all__": exc.problems}) from exc
    return projects, ranked


def set_ranking_facts(
    actor: Actor, project: Project, *, budget_fen: int, poor_households: int, readiness: str
) -> Project:
    """项目入库的排序依据: budget (integer fen), registered-poor households among the beneficiaries, readiness."""
    from jingzhun.projects.actions import check_writer

    check_writer(actor, project.region.code)
    problems = []
    if isinstance(budget_fen, bool) or not isinstance(budget_fen, int) or budget_fen < 0:
        problems.append("项目预算须为不小于 0 的整数分 [budget_fen]")
    if not isinstance(poor_households, int) or poor_households < 0:
        problems.append("贫困户数须为不小于 0 的整数 [poor_households]")
    elif poor_households > project.beneficiary_households:
        problems.append(f"贫困户数 {poor_households} 大于受益户数 {project.beneficiary_households} [poor_households]")
    if readiness not in Readiness.values:
        problems.append(f"「{readiness}」不是前期准备选项，可选：{'、'.join(Readiness.labels)} [readiness]")
    if problems:
        raise ValidationError({"__all__": problems})
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("region").get(pk=project.pk)
        before = {
            "budget_fen": project.budget_fen,
            "poor_households": project.poor_households,
            "readiness": project.readiness,
        }
        project.budget_fen, project.poor_households, project.readiness = budget_fen, poor_households, readiness
        project.save(update_fields=["budget_fen", "poor_households", "readiness", "updated_at"])
        record_audit(
            actor,
            "projects.set_ranking_facts",
            object_type="Project",
            object_id=project.code,
            region_code=project.region.code,
            before=before,
            after={"budget_fen": budget_fen, "poor_households": poor_households, "readiness": readiness},
        )
    return project


def rank_projects(actor: Actor, county_code: str, year: int) -> list[Project]:
    """入库排序: score every project of the county and year from the criteria in
    ``parameters/projects/ranking.yaml`` and store score and rank. Returns the projects in rank order."""
    _county_only(actor, county_code, "入库排序")
    county = _county(county_code)
    with transaction.atomic():
        # one ranking at a time per county: lock the county's projects of the year
        list(Project.objects.select_for_update().filter(region__code__startswith=county.code, year=year))
        projects, ranked = _ranked(county.code, year)
        by_code = {p.code: p for p in projects}
        now = timezone.now()
        before = {p.code: p.rank for p in projects}
        ordered: list[Project] = []
        for r in ranked:
            project = by_code[r.project.code]
            project.score, project.rank, project.ranked_at = r.score_text, r.rank, now
            ordered.append(project)
        Project.objects.bulk_update(ordered, ["score", "rank", "ranked_at"])
        record_audit(
            actor,
            "projects.rank_projects",
            object_type="Region",
            object_id=county.code,
            region_code=county.code,
            before={"year": year, "ranks": before},
            after={"year": year, "ranks": {p.code: [p.rank, str(p.score)] for p in ordered}},
        )
    return ordered


def create_fund(
    actor: Actor, *, code: str, source: str, county_code: str, year: int, amount_fen: int, note: str = ""
) -> Fund:
    """A fund to be matched (资金来源、金额、年度) for one county."""
    _county_only(actor, county_code, "登记待匹配资金")
    county = _county(county_code)
    problems = []
    if not code.strip():
        problems.append("资金编号不能为空 [code]")
    elif Fund.objects.filter(code=code).exists():
        problems.append(f"资金编号 {code} 已存在 [code]")
    if source not in FundSource.values:
        problems.append(f"「{source}」不是资金来源，可选：{'、'.join(FundSource.labels)} [source]")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        problems.append("金额须为大于 0 的整数分 [amount_fen]")
    if problems:
        raise ValidationError({"__all__": problems})
    with transaction.atomic():
        fund = Fund.objects.create(
            code=code,
            source=source,
            county=county,
            year=year,
            amount_fen=amount_fen,
            note=note,
            recorded_by=actor.label,
        )
        record_audit(
            actor,
            "projects.create_fund",
            object_type="Fund",
            object_id=code,
            region_code=county.code,
            after={"source": source, "year": year, "amount_fen": amount_fen, "note": note},
        )
    return fund


@dataclass(frozen=True)
class MatchResult:
    fund: Fund
    allocations: list[FundAllocation]
    unspent_fen: int
    full: tuple[str, ...]


def match_fund(actor: Actor, fund: Fund) -> MatchResult:
    """按序匹配: the fund goes to the county's projects of its year in rank order, each getting what is
    left of its budget, until the fund is spent. Needs a ranking (入库排序) first."""
    _county_only(actor, fund.county.code, "按序匹配")
    with transaction.atomic():
        fund = Fund.objects.select_for_update().select_related("county").get(pk=fund.pk)
        county = fund.county.code
        projects = list(
            Project.objects.select_for_update()
            .filter(region__code__startswith=county, year=fund.year)
            .select_related("region")
        )
        if not projects:
            raise ValidationError({"__all__": [f"{fund.county.name}{fund.year} 年没有入库项目，无法匹配 [year]"]})
        if any(p.rank is None for p in projects):
            raise ValidationError({"__all__": ["有项目尚未排序：请先进行入库排序 [rank]"]})
        by_code = {p.code: p for p in projects}
        ordered = sorted(projects, key=lambda p: (p.rank or 0, p.code))
        ranked = [rules.RankedProject(p.rank or 0, _candidate(p), Fraction(p.score or 0), {}) for p in ordered]
        existing = [
            rules.Allocation(fund_code or "", code, fen)
            for code, fund_code, fen in FundAllocation.objects.filter(project__in=projects).values_list(
                "project__code", "fund__code", "amount_fen"
            )
        ]
        try:
            match = rules.match_fund(
                rules.Fund(fund.code, fund.source, county, fund.year, fund.amount_fen), ranked, existing
            )
        except rules.ProjectRuleError as exc:
            raise ValidationError({"__all__": exc.problems}) from exc
        made = []
        for a in match.allocations:
            project = by_code[a.project]
            made.append(
                FundAllocation.objects.create(
                    project=project,
                    source=fund.source,
                    amount_fen=a.amount_fen,
                    fund=fund,
                    rank_at_match=project.rank,
                    decided_by=actor.label,
                    note=f"按序匹配 {fund.code}（第{project.rank}名）",
                )
            )
        record_audit(
            actor,
            "projects.match_fund",
            object_type="Fund",
            object_id=fund.code,
            region_code=county,
            after={
                "allocations": [[a.project, a.amount_fen] for a in match.allocations],
                "unspent_fen": match.unspent_fen,
                "full": list(match.full),
            },
        )
    return MatchResult(fund, made, match.unspent_fen, match.full)


def fund_spent_fen(fund: Fund) -> int:
    return sum(fund.allocations.values_list("amount_fen", flat=True))


def _indicator(n: int, raw: dict[str, Any]) -> rules.Indicator:
    def number(key: str, default: Any = None) -> Any:
        value = raw.get(key, default)
        if isinstance(value, str):
            try:
                return Decimal(value)
            except ArithmeticError:
                return value
        return value

    return rules.Indicator(
        name=str(raw.get("name", "")).strip() or f"指标{n}",
        planned=number("planned"),
        achieved=number("achieved"),
        weight=number("weight", 1),
        lower_is_better=bool(raw.get("lower_is_better", False)),
    )


def record_performance(
    actor: Actor,
    project: Project,
    *,
    indicators: Sequence[dict[str, Any]],
    households: int,
    poor_households: int,
    income_increase_fen: int,
    evaluated_on: dt.date,
) -> PerformanceRecord:
    """绩效考评: score and grade from the indicators (planned vs achieved; ``parameters/projects/performance.yaml``);
    households only as counts. Indicator values are decimal strings or integers, never floats."""
    check_region(actor, project.region.code)
    if actor.role not in EVALUATOR_ROLES:
        raise PermissionDenied("项目绩效考评由乡镇或县级经办人员录入。")
    problems = []
    if not isinstance(households, int) or households < 0:
        problems.append("受益户数须为不小于 0 的整数 [households]")
    if not isinstance(poor_households, int) or poor_households < 0:
        problems.append("建档立卡户数须为不小于 0 的整数 [poor_households]")
    elif isinstance(households, int) and poor_households > households:
        problems.append(f"建档立卡户数 {poor_households} 大于受益户数 {households} [poor_households]")
    if isinstance(income_increase_fen, bool) or not isinstance(income_increase_fen, int) or income_increase_fen < 0:
        problems.append("增收金额须为不小于 0 的整数分 [income_increase_fen]")
    if evaluated_on > timezone.localdate():
        problems.append("考评日期不能晚于今天 [evaluated_on]")
    parsed = [_indicator(n, raw) for n, raw in enumerate(indicators, start=1)]
    rule = rules.PerformanceRules.from_tree(load_parameters(), project.region.code[:6], evaluated_on)
    evaluation = None
    try:
        evaluation = rules.evaluate_performance(parsed, rule)
    except rules.ProjectRuleError as exc:
        problems.extend(exc.problems)
    if problems or evaluation is None:
        raise ValidationError({"__all__": problems})
    stored = [
        {
            "name": i.name,
            "planned": str(i.planned),
            "achieved": str(i.achieved),
            "weight": str(i.weight),
            "lower_is_better": i.lower_is_better,
        }
        for i in parsed
    ]
    with transaction.atomic():
        record = PerformanceRecord.objects.create(
            project=project,
            evaluated_on=evaluated_on,
            indicators=stored,
            households=households,
            poor_households=poor_households,
            income_increase_fen=income_increase_fen,
            score=evaluation.score,
            grade=evaluation.grade,
            evaluator=actor.label,
        )
        record_audit(
            actor,
            "projects.record_performance",
            object_type="PerformanceRecord",
            object_id=record.pk,
            region_code=project.region.code,
            after={
                "project": project.code,
                "score": str(evaluation.score),
                "grade": evaluation.grade,
                "households": households,
                "poor_households": poor_households,
                "income_increase_fen": income_increase_fen,
                "indicators": stored,
            },
        )
    return record
