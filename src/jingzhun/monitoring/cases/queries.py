"""Reads of the 返贫预警 part, region-scoped: the to-do list, a case, the household panel, the 5 % warning."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Case as Case_
from django.db.models import IntegerField, Q, QuerySet, Value, When

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.monitoring.models.cases import ACTIVE_STATES, OPEN_STATES, Case, CaseState, RiskFlag
from jingzhun.policy.monitoring import CATEGORIES_ZH, FLAGS_ZH, LEVELS_ZH
from jingzhun.policy.params import load_parameters
from jingzhun.policy.regions import NATIONAL
from jingzhun.registry.models import Household, HouseholdStatus, Person, PersonStatus, Region

SHARE_LIMIT = "monitoring.monitored_share_warning"

# Whose move it is, by state (the to-do list of each role).
NEXT_STEP: dict[str, tuple[str, frozenset[str]]] = {
    CaseState.IDENTIFIED: ("入户核实", frozenset({Role.VILLAGE_CADRE, Role.ASSIGNED_CADRE, Role.TOWNSHIP_OFFICER})),
    CaseState.VERIFIED: ("民主评议并公示", frozenset({Role.VILLAGE_CADRE})),
    CaseState.IN_NOTICE: ("乡镇审核", frozenset({Role.TOWNSHIP_OFFICER})),
    CaseState.TOWNSHIP_APPROVED: ("县级认定", frozenset({Role.COUNTY_OFFICER})),
    CaseState.DECIDED: ("帮扶措施 / 风险消除", frozenset({Role.VILLAGE_CADRE, Role.ASSIGNED_CADRE})),
}


def scoped(actor: Actor) -> QuerySet[Case]:
    return Case.objects.filter(household__village__code__startswith=actor.scope)


def todo(actor: Actor, *, mine: bool = True, today: dt.date | None = None) -> QuerySet[Case]:
    """Active cases of the actor's region; ``mine``: only those whose next step is the actor's.

    Order: the open cases (not yet decided by the county) first — the overdue ones first, then by due date —
    and the decided ones (帮扶 / 风险消除 under way, no deadline to meet) after them, each by due date."""
    rows = scoped(actor).filter(state__in=[s.value for s in ACTIVE_STATES])
    if mine and actor.role != Role.ADMIN:
        states = [s for s, (_, roles) in NEXT_STEP.items() if actor.role in roles]
        rows = rows.filter(state__in=states)
    day = today or workday.today()
    open_states = [s.value for s in OPEN_STATES]
    rank = Case_(
        When(state__in=open_states, due_on__lt=day, then=Value(0)),
        When(state__in=open_states, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return rows.select_related("household__village__parent").order_by(rank, "due_on", "id")


def is_overdue(case: Case, today: dt.date | None = None) -> bool:
    """Not yet decided by the county and past its due date (15 days after the first flag)."""
    return case.state in OPEN_STATES and (today or workday.today()) > case.due_on


def flags_zh(flags: list[str]) -> str:
    return "、".join(FLAGS_ZH.get(f, f) for f in flags)


def level_zh(level: str) -> str:
    return LEVELS_ZH.get(level, "—")


def household_panel(household: Any) -> dict[str, Any]:
    flags = list(RiskFlag.objects.filter(household=household).order_by("-month")[:6])
    cases = list(Case.objects.filter(household=household).prefetch_related("steps", "measures").order_by("-id")[:3])
    today = workday.today()
    return {
        "household": household,
        "flags": [(f, flags_zh(f.flags), level_zh(f.level), CATEGORIES_ZH.get(f.category, f.category)) for f in flags],
        "cases": [(c, flags_zh(c.flags), level_zh(c.level), is_overdue(c, today)) for c in cases],
    }


@dataclass(frozen=True)
class ShareWarning:
    monitored: int
    registered: int
    limit: Fraction | None
    deep: bool = False  # the county holds its own (深度贫困县) value of the limit
    deep_counties: tuple[str, ...] = ()  # the counties the parameter lists as 深度贫困县, by name

    @property
    def warn(self) -> bool:
        return self.limit is not None and self.monitored > self.limit * self.registered

    def as_dict(self) -> dict[str, Any]:
        limit = None if self.limit is None else f"{float(self.limit):.2f}"
        return {"monitored": self.monitored, "registered": self.registered, "limit": limit, "warn": self.warn}

    @property
    def message(self) -> str:
        share = f"{100 * self.monitored / self.registered:.1f}%" if self.registered else "—"
        head = f"监测对象 {self.monitored} 人，建档立卡 {self.registered} 人（{share}）"
        if self.limit is None:
            return head + "；本月无监测规模提示（仅 2020 年）。"
        pct = f"{float(self.limit) * 100:.0f}%"
        if self.warn:
            return head + f"：超过建档立卡人数的 {pct}，请复核监测对象。" + self.basis
        return head + f"，未超过 {pct}。" + self.basis

    @property
    def basis(self) -> str:
        """Which limit applies and why: the 深度贫困县 list has no source in the seeds (marked verify)."""
        if self.limit is None:
            return ""
        pct = f"{float(self.limit) * 100:.0f}%"
        listed = "、".join(self.deep_counties) or "无"
        unsure = "深度贫困县名单凭记忆录入，尚无文件依据，待核实"
        if self.deep:
            return (
                f"适用 {pct}：本县列为深度贫困县（名单：{listed}），深度贫困县监测对象不超过建档立卡人口的 {pct}"
                f"（{unsure}）。"
            )
        return (
            f"适用 {pct}：本县不在深度贫困县名单（{listed}）中，一般县监测对象不超过建档立卡人口的 {pct}，"
            f"深度贫困县为 10%（{unsure}）。"
        )


def share_warning(prefix: str, month: dt.date) -> ShareWarning:
    """The 2020 监测规模 check (POLICY.md §8: monitored persons against registered persons).

    Reading (the caseworker's): the numerator is the active persons of the region's 监测对象 — households
    marked ``monitored`` (a county decision 纳入监测, or imported so), i.e. 脱贫不稳定户 among the registered
    poor and 边缘易致贫户 — not every household with an open case (a flag still at 识别 is a candidate, not yet
    a 监测对象); the denominator is the active persons of 建档立卡 households (a registration year and one
    of the four statuses, exited or not). A marginal household counts above, never below — that is the
    rule's point: the monitored may include people outside the register, measured against its size.
    Limit ``monitoring.monitored_share_warning`` at the county: 10 % for a county that holds its own value
    (the 深度贫困县 variant — a list from memory, marked verify), else 5 %; ``basis`` says which and why."""
    # counted from the households (the region's few monitored or registered ones, through their members'
    # index), not by reading every person of the county with its household (bench/bench_monitor_pages.py)
    households = Household.objects.filter(active=True, village__code__startswith=prefix)
    registered_poor = Q(registered_year__isnull=False, status__in=HouseholdStatus.values)
    persons = Person.objects.filter(status=PersonStatus.ACTIVE)
    watched = households.filter(registered_poor | Q(marginal=True), monitored=True)
    monitored = persons.filter(household_id__in=watched.values("pk")).count()
    registered = persons.filter(household_id__in=households.filter(registered_poor).values("pk")).count()
    region = prefix[:6] if len(prefix) >= 6 else NATIONAL
    resolved = load_parameters().resolve_or_none(SHARE_LIMIT, region, month.replace(day=1))
    limit = None if resolved is None else Fraction(resolved.value)  # type: ignore[arg-type]
    deep = resolved is not None and resolved.region != NATIONAL
    return ShareWarning(monitored, registered, limit, deep, _deep_counties())


def _deep_counties() -> tuple[str, ...]:
    """The counties that hold their own value of the limit (the 深度贫困县 variant), by name."""
    codes = [code for code in load_parameters().get(SHARE_LIMIT).series if code != NATIONAL]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return tuple(names.get(code, code) for code in codes)
