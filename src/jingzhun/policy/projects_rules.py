"""The project-and-fund rules (issue #17, POLICY.md §9): pure functions over plain dataclasses, money in fen.

* 入库排序 ``rank_projects``: a score out of 100 from households benefiting, the registered-poor share,
  the cost per household and readiness (weights in ``parameters/projects/ranking.yaml``); ranked per
  county and year, ties broken by the earlier 入库 date and then the project code.
* 按序匹配 ``match_fund``: a fund goes to ranked projects in order until spent, never above a project's
  remaining budget; earlier allocations are input and are never rewritten, only new ones are returned.
* 绩效考评 ``evaluate_performance``: planned vs achieved indicators → a score out of 100 and 优/良/中/差.
* 光伏收益 ``check_pv_distribution``: revenue belongs to the village and goes only to 公益岗位 wages, small
  public works and conditional rewards — never unconditional cash to households.
* 公益岗位 / 护林员 ``ranger_month_wage`` and ``post_wage_fen``: the month's wage, pro rata to attendance.
* 爱心超市 ``points_statement``: points earned per listed activity, spent on goods, never below zero.

Every rejection is a :class:`ProjectRuleError` listing each problem in Chinese with the row or project
and the field key in brackets; nothing is partially computed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from jingzhun.policy import regions
from jingzhun.policy.money import fen_to_str, round_fen
from jingzhun.policy.params import MissingParameter, ParameterTree

Number = int | Fraction | Decimal
READINESS = ("idea", "design", "approved")  # 项目建议 / 方案或可研完成 / 已批复可开工
GRADES = ("优", "良", "中", "差")
PV_USES: dict[str, str] = {
    "public_welfare_wages": "公益岗位工资",
    "small_public_works": "小型公益事业",
    "rewards": "奖励补助",
}
POINT_ACTIVITIES = ("policy_talk", "sanitation", "model_household")


class ProjectRuleError(ValueError):
    """Every problem found in the input, each naming the row or project and the field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _fraction(value: Number, where: str, problems: list[str]) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        problems.append(f"{where}：应为整数或十进制数（不得用浮点数）")
        return None
    return Fraction(value)


def _score_text(score: Fraction) -> Decimal:
    return (Decimal(score.numerator) / Decimal(score.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _number(value: object, name: str) -> Fraction:
    assert isinstance(value, Fraction | int) and not isinstance(value, bool), name
    return Fraction(value)


def _param(tree: ParameterTree, name: str, region: str, at: dt.date) -> Fraction:
    return _number(tree.resolve(name, region, at).value, name)


# ---------------------------------------------------------------- 入库排序


@dataclass(frozen=True)
class ProjectCandidate:
    """A project entering the library (项目入库): who benefits, what it costs, how ready it is."""

    code: str
    county: str
    year: int
    budget_fen: int
    households: int  # 受益户数
    poor_households: int  # 其中建档立卡贫困户
    readiness: str  # one of READINESS
    registered_on: dt.date  # 入库日期: the first tie-breaker


@dataclass(frozen=True)
class RankingRules:
    weight_households: Fraction
    households_full_marks: Fraction
    weight_poor_share: Fraction
    weight_cost: Fraction
    cost_full_marks_fen: Fraction
    cost_zero_marks_fen: Fraction
    weight_readiness: Fraction
    readiness: Mapping[str, Fraction]

    @classmethod
    def from_tree(cls, tree: ParameterTree, region: str, at: dt.date) -> RankingRules:
        def p(name: str) -> Fraction:
            return _param(tree, f"projects.ranking.{name}", region, at)

        return cls(
            weight_households=p("weight_households"),
            households_full_marks=p("households_full_marks"),
            weight_poor_share=p("weight_poor_share"),
            weight_cost=p("weight_cost"),
            cost_full_marks_fen=100 * p("cost_full_marks"),
            cost_zero_marks_fen=100 * p("cost_zero_marks"),
            weight_readiness=p("weight_readiness"),
            readiness={level: p(f"readiness_{level}") for level in READINESS},
        )


@dataclass(frozen=True)
class RankedProject:
    rank: int  # 1 = first in its county and year
    project: ProjectCandidate
    score: Fraction  # exact; ranking uses this
    parts: Mapping[str, Fraction]  # points per criterion

    @property
    def score_text(self) -> Decimal:
        """The score as shown: two decimals, half-up."""
        return _score_text(self.score)


def project_score(project: ProjectCandidate, rules: RankingRules) -> dict[str, Fraction]:
    """Points per criterion: households (linear to full marks), poor share (pro rata), cost per household
    (full at or below the low mark, none at or above the high mark, linear between), readiness (a factor)."""
    households, poor = project.households, project.poor_households
    parts = {
        "households": rules.weight_households * min(Fraction(households) / rules.households_full_marks, Fraction(1))
    }
    parts["poor_share"] = rules.weight_poor_share * Fraction(poor, households) if households else Fraction(0)
    if households:
        cost = Fraction(project.budget_fen, households)
        low, high = rules.cost_full_marks_fen, rules.cost_zero_marks_fen
        factor = Fraction(1) if cost <= low else Fraction(0) if cost >= high else (high - cost) / (high - low)
        parts["cost"] = rules.weight_cost * factor
    else:
        parts["cost"] = Fraction(0)
    parts["readiness"] = rules.weight_readiness * rules.readiness[project.readiness]
    return parts


def rank_projects(projects: Sequence[ProjectCandidate], rules: RankingRules) -> list[RankedProject]:
    """Rank per (county, year): higher score first; equal scores by earlier 入库 date, then by code."""
    problems: list[str] = []
    codes: set[str] = set()
    for p in projects:
        where = f"项目 {p.code}"
        if not p.code or p.code in codes:
            problems.append(f"{where} [code]：项目编号为空或重复")
        codes.add(p.code)
        if p.county not in regions.COUNTIES:
            problems.append(f"{where} [county]：未知县级区划代码 {p.county!r}")
        if p.budget_fen < 0 or p.households < 0 or p.poor_households < 0:
            problems.append(f"{where} [budget_fen/households/poor_households]：不得为负数")
        if p.poor_households > p.households:
            problems.append(f"{where} [poor_households]：贫困户数 {p.poor_households} 大于受益户数 {p.households}")
        if p.readiness not in READINESS:
            problems.append(f"{where} [readiness]：应为 {'/'.join(READINESS)} 之一")
    if problems:
        raise ProjectRuleError(problems)
    scored = []
    for project in projects:
        parts = project_score(project, rules)
        scored.append((sum(parts.values(), Fraction(0)), parts, project))
    scored.sort(key=lambda s: (s[2].county, s[2].year, -s[0], s[2].registered_on, s[2].code))
    ranked: list[RankedProject] = []
    for score, parts, project in scored:
        previous = ranked[-1].project if ranked else None
        same_group = previous is not None and (previous.county, previous.year) == (project.county, project.year)
        ranked.append(RankedProject(ranked[-1].rank + 1 if same_group else 1, project, score, parts))
    return ranked


# ---------------------------------------------------------------- 按序匹配


@dataclass(frozen=True)
class Fund:
    """A fund allocation to be matched (资金来源、金额、年度): e.g. 中央财政专项扶贫资金 2019."""

    code: str
    source: str
    county: str
    year: int
    amount_fen: int


@dataclass(frozen=True)
class Allocation:
    fund: str
    project: str
    amount_fen: int


@dataclass(frozen=True)
class Match:
    allocations: tuple[Allocation, ...]  # the new ones only, in rank order
    unspent_fen: int  # what is left of the fund after this match (结余)
    full: tuple[str, ...]  # projects passed over because their budget was already fully allocated


def match_fund(fund: Fund, ranked: Sequence[RankedProject], existing: Sequence[Allocation]) -> Match:
    """按序匹配: walk the fund's county and year in rank order, giving each project
    min(what is left of the fund, the project's budget less everything already allocated to it)."""
    problems: list[str] = []
    if fund.amount_fen < 0:
        problems.append(f"资金 {fund.code} [amount_fen]：不得为负数")
    allocated: dict[str, int] = {}
    for n, a in enumerate(existing, start=1):
        if a.amount_fen <= 0:
            problems.append(f"已有分配第{n}行 [amount_fen]：应大于 0")
        allocated[a.project] = allocated.get(a.project, 0) + a.amount_fen
    left = fund.amount_fen - sum(a.amount_fen for a in existing if a.fund == fund.code)
    if left < 0:
        problems.append(f"资金 {fund.code} [amount_fen]：已分配 {fen_to_str(fund.amount_fen - left)} 元，超过资金额")
    group = [r.project for r in ranked if (r.project.county, r.project.year) == (fund.county, fund.year)]
    for project in group:
        if allocated.get(project.code, 0) > project.budget_fen:
            problems.append(
                f"项目 {project.code} [budget_fen]：已分配 {fen_to_str(allocated[project.code])} 元，"
                f"超过预算 {fen_to_str(project.budget_fen)} 元"
            )
    if problems:
        raise ProjectRuleError(problems)
    new: list[Allocation] = []
    full: list[str] = []
    for project in group:
        if left == 0:
            break
        room = project.budget_fen - allocated.get(project.code, 0)
        if room == 0:
            full.append(project.code)
            continue
        amount = min(left, room)
        new.append(Allocation(fund.code, project.code, amount))
        left -= amount
    return Match(tuple(new), left, tuple(full))


# ---------------------------------------------------------------- 绩效考评


@dataclass(frozen=True)
class Indicator:
    """One output/benefit indicator of the project's 绩效目标表: planned, achieved, its weight."""

    name: str
    planned: Number
    achieved: Number
    weight: Number = 1
    lower_is_better: bool = False  # cost or time indicators: achieving less than planned is full marks


@dataclass(frozen=True)
class PerformanceRules:
    grade_excellent: Fraction
    grade_good: Fraction
    grade_pass: Fraction
    completion_cap: Fraction

    @classmethod
    def from_tree(cls, tree: ParameterTree, region: str, at: dt.date) -> PerformanceRules:
        def p(name: str) -> Fraction:
            return _param(tree, f"projects.performance.{name}", region, at)

        return cls(p("grade_excellent"), p("grade_good"), p("grade_pass"), p("completion_cap"))


@dataclass(frozen=True)
class Evaluation:
    score: Decimal  # out of 100, two decimals half-up
    grade: str  # 优 / 良 / 中 / 差, from the score as shown
    completion: Mapping[str, Fraction]  # each indicator's completion ratio, capped


def evaluate_performance(indicators: Sequence[Indicator], rules: PerformanceRules) -> Evaluation:
    """Score = 100 × Σ weight × min(completion, cap) / Σ weight (at most 100), where completion is
    achieved / planned (planned / achieved for a lower-is-better indicator; full when nothing was spent)."""
    problems: list[str] = []
    if not indicators:
        problems.append("绩效指标：至少需要一项")
    rows: list[tuple[str, Fraction, Fraction, Fraction, bool]] = []
    for n, ind in enumerate(indicators, start=1):
        where = f"第{n}项指标（{ind.name}）"
        planned = _fraction(ind.planned, f"{where} [planned]", problems)
        achieved = _fraction(ind.achieved, f"{where} [achieved]", problems)
        weight = _fraction(ind.weight, f"{where} [weight]", problems)
        if planned is not None and planned <= 0:
            problems.append(f"{where} [planned]：计划值应大于 0")
        if achieved is not None and achieved < 0:
            problems.append(f"{where} [achieved]：完成值不得为负数")
        if weight is not None and weight <= 0:
            problems.append(f"{where} [weight]：权重应大于 0")
        if ind.name in {r[0] for r in rows}:
            problems.append(f"{where} [name]：指标名称重复")
        if planned is not None and achieved is not None and weight is not None:
            rows.append((ind.name, planned, achieved, weight, ind.lower_is_better))
    if problems:
        raise ProjectRuleError(problems)
    completion: dict[str, Fraction] = {}
    for name, planned, achieved, _, lower in rows:
        ratio = (planned / achieved if achieved else rules.completion_cap) if lower else achieved / planned
        completion[name] = min(ratio, rules.completion_cap)
    total_weight = sum((r[3] for r in rows), Fraction(0))
    exact = 100 * sum((r[3] * completion[r[0]] for r in rows), Fraction(0)) / total_weight
    score = _score_text(min(exact, Fraction(100)))
    bands = (rules.grade_excellent, rules.grade_good, rules.grade_pass)
    grade = next((g for g, floor in zip(GRADES, bands, strict=False) if Fraction(score) >= floor), GRADES[-1])
    return Evaluation(score, grade, completion)


# ---------------------------------------------------------------- 光伏收益


@dataclass(frozen=True)
class PvRevenue:
    """A village's PV-station revenue available for distribution (收益确权到村)."""

    village: str
    revenue_fen: int
    distributed_fen: int = 0  # already paid out of this revenue


@dataclass(frozen=True)
class PvPlanLine:
    village: str
    use: str  # one of PV_USES
    amount_fen: int
    payee: str = ""  # the post holder for wages
    condition: str = ""  # what a reward is for (文明户、孝亲敬老 …)


def check_pv_distribution(revenue: PvRevenue, plan: Sequence[PvPlanLine]) -> list[str]:
    """The problems with a distribution plan (empty when it may be paid): each line the village's own, a
    listed use, a positive amount, wages with their post holder, rewards with their condition, and in all
    no more than the revenue not yet distributed (POLICY.md §9)."""
    problems: list[str] = []
    uses = "、".join(PV_USES.values())
    for n, line in enumerate(plan, start=1):
        if line.village != revenue.village:
            problems.append(f"第{n}行 [village]：光伏收益归电站所在村 {revenue.village}，不能分配给 {line.village}")
        if line.use not in PV_USES:
            problems.append(f"第{n}行 [use]：光伏收益只能用于{uses}，不得无条件发放现金或分红（{line.use!r}）")
        if line.amount_fen <= 0:
            problems.append(f"第{n}行 [amount_fen]：金额应大于 0")
        if line.use == "public_welfare_wages" and not line.payee.strip():
            problems.append(f"第{n}行 [payee]：公益岗位工资须写明岗位人员")
        if line.use == "rewards" and not line.condition.strip():
            problems.append(f"第{n}行 [condition]：奖励补助须写明奖励事由，不得无条件发放")
    available = revenue.revenue_fen - revenue.distributed_fen
    planned = sum(line.amount_fen for line in plan if line.amount_fen > 0)
    if planned > available:
        problems.append(
            f"合计 [amount_fen]：分配 {fen_to_str(planned)} 元，超过可分配收益 {fen_to_str(max(available, 0))} 元"
        )
    return problems


# ---------------------------------------------------------------- 公益岗位 / 护林员


def ranger_month_wage(tree: ParameterTree, region: str, at: dt.date) -> Fraction:
    """The county's full month for a 护林员, in yuan: its monthly wage, or its annual wage / 12 — whichever
    is set at the most local level (离石 800 a month, 兴县 6 000 a year). Neither is 无参数, never zero."""
    monthly = tree.resolve_or_none("projects.forest_ranger_wage.monthly", region, at)
    annual = tree.resolve_or_none("projects.forest_ranger_wage.annual", region, at)
    chain = regions.chain(region)
    if monthly and (annual is None or chain.index(monthly.region) <= chain.index(annual.region)):
        return _number(monthly.value, monthly.name)
    if annual:
        return _number(annual.value, annual.name) / 12
    raise MissingParameter("projects.forest_ranger_wage", region, at)


def post_wage_fen(month_yuan: Fraction, days_worked: int, days_required: int) -> int:
    """A 公益岗位 wage for one month: full wage × days worked / days required (no more than the full wage),
    rounded half-up to the fen once [default: pro rata to attendance]."""
    problems: list[str] = []
    if days_required <= 0:
        problems.append("[days_required]：应出勤天数应大于 0")
    if days_worked < 0:
        problems.append("[days_worked]：出勤天数不得为负数")
    if problems:
        raise ProjectRuleError(problems)
    return round_fen(month_yuan * Fraction(min(days_worked, days_required), days_required))


# ---------------------------------------------------------------- 爱心超市


@dataclass(frozen=True)
class PointsEntry:
    """One line of a household's 爱心积分: earned for an activity (``count`` times) or spent on goods."""

    day: dt.date
    activity: str = ""  # one of POINT_ACTIVITIES when earning
    count: int = 1
    spent: int = 0  # points of the goods taken when spending
    note: str = ""


@dataclass(frozen=True)
class PointsStatement:
    month: str  # YYYY-MM
    opening: int
    earned: int
    spent: int
    closing: int
    lines: tuple[tuple[PointsEntry, int, int], ...]  # (entry, change, balance after), the month's only


def activity_points(tree: ParameterTree, region: str, at: dt.date) -> dict[str, int]:
    out: dict[str, int] = {}
    for activity in POINT_ACTIVITIES:
        value = _param(tree, f"projects.love_store_points.{activity}", region, at)
        if value.denominator != 1:
            raise ProjectRuleError([f"参数 projects.love_store_points.{activity}：积分应为整数"])
        out[activity] = int(value)
    return out


def points_statement(entries: Sequence[PointsEntry], month: str, points: Mapping[str, int]) -> PointsStatement:
    """A household's monthly statement from its whole history, in date order: the balance may never go
    below zero — spending more than the balance is refused, not recorded."""
    problems: list[str] = []
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", month):
        problems.append(f"[month]：月份应为 YYYY-MM，收到 {month!r}")
    ordered = sorted(enumerate(entries, start=1), key=lambda e: (e[1].day, e[0]))
    balance, opening, earned, spent = 0, 0, 0, 0
    lines: list[tuple[PointsEntry, int, int]] = []
    for n, entry in ordered:
        if entry.activity:
            if entry.activity not in points or entry.count <= 0 or entry.spent:
                problems.append(f"第{n}条 [activity]：未列入的活动 {entry.activity!r}，或次数、兑换有误")
                continue
            change = points[entry.activity] * entry.count
        elif entry.spent > 0:
            if entry.spent > balance:
                problems.append(f"第{n}条 [spent]：积分不足，余额 {balance} 分，兑换 {entry.spent} 分")
                continue
            change = -entry.spent
        else:
            problems.append(f"第{n}条 [activity/spent]：既不是得分活动也不是兑换")
            continue
        balance += change
        key = entry.day.strftime("%Y-%m")
        if key < month:
            opening = balance
        elif key == month:
            lines.append((entry, change, balance))
            earned, spent = earned + max(change, 0), spent + max(-change, 0)
    if problems:
        raise ProjectRuleError(problems)
    return PointsStatement(month, opening, earned, spent, opening + earned - spent, tuple(lines))
