"""Every write of a 返贫预警 case (POLICY.md §8): one function per step, one transaction, one audit row,
region- and role-checked, dated (``on``: not in the future, not before the case's previous step).

Path: 识别 (the monthly run, or a cadre opening a case by hand) → 入户核实 (village cadre, 帮扶干部 or
township) → 民主评议 + 村公示 (village cadre; the 公示 starts that day) → 乡镇审核 (township, at least 5 days
after the 公示 started) → county decision (纳入监测 / 认定返贫 / 不纳入监测; 认定返贫 sets 户状态 返贫 through
:func:`jingzhun.registry.cases_actions.set_returned`; 纳入监测 marks the household a 监测对象, ``set_monitored``)
→ 帮扶措施 (any number) → 风险消除 (township or county,
only when the pure conditions hold now: 12 months' per-capita income ≥ ``monitoring_line``, every
三保障/饮水 check known and holding, and some member able to work — never for a household without labour
capacity, which stays monitored). 风险消除 clears the 监测对象 mark once no other decided case of the household
is open.

Readings chosen where POLICY.md is silent: the 15-day limit runs from the first flag to the county
decision (a case decided later is overdue; it stays shown in red until decided); a case opened by hand is
assessed by the pure rule for the month after the event (so the event is in the window) and refused when
that raises no flag (e.g. an 建档立卡未脱贫户, whose track is assistance, or an ordinary household before 2021).
A 务工中断 report carries the day work stopped and is accepted only from the day
``monitoring.work_interrupted_min_months`` (3 [default]) calendar months later — POLICY.md: "the feed records
it only once work has stopped ≥ 3 months"; 30 November + 3 months is the last day of February. 风险消除's
income condition is compared exactly (income_12m ≥ line × size) and its refusal says so in those terms.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.core import workday
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.monitoring.cases.assess import DUE_DAYS, build_documents
from jingzhun.monitoring.models.cases import (
    ACTIVE_STATES,
    EVENT_KIND_ZH,
    Case,
    CaseDecision,
    CaseMeasure,
    CaseOrigin,
    CaseState,
    CaseStep,
    CaseStepName,
    MeasureKind,
    ReportedEvent,
)
from jingzhun.policy import regions
from jingzhun.policy.context import add_months
from jingzhun.policy.monitoring import FLAGS_ZH, assess_household, monitoring_rules
from jingzhun.policy.params import MissingParameter, load_parameters
from jingzhun.registry.cases_actions import set_monitored, set_returned
from jingzhun.registry.models import Household

NOTICE_DAYS = 5
VILLAGE = frozenset({Role.VILLAGE_CADRE, Role.ADMIN})
VERIFIERS = frozenset({Role.VILLAGE_CADRE, Role.ASSIGNED_CADRE, Role.TOWNSHIP_OFFICER, Role.ADMIN})
OPENERS = VERIFIERS | {Role.COUNTY_OFFICER}
TOWNSHIP = frozenset({Role.TOWNSHIP_OFFICER, Role.ADMIN})
COUNTY = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
MEASURERS = OPENERS
ELIMINATORS = frozenset({Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN})
ROLE_ZH = {
    "village": "村干部",
    "verify": "村干部、帮扶干部或乡镇干部",
    "township": "乡镇干部",
    "county": "县级工作人员",
}


def _check(actor: Actor, household: Household, roles: frozenset[str], who: str) -> None:
    check_region(actor, household.village.code)
    if actor.role not in roles:
        raise PermissionDenied(f"该环节须由{who}办理。")


def _date(on: dt.date | None, after: dt.date | None) -> dt.date:
    today = workday.today()
    day = on or today
    if day > today:
        raise ValidationError({"on": f"日期 {day.isoformat()} 晚于今天，不能登记将来的日期。"})
    if after is not None and day < after:
        raise ValidationError({"on": f"日期 {day.isoformat()} 早于上一环节（{after.isoformat()}）。"})
    return day


def _last_on(case: Case) -> dt.date:
    last = case.steps.order_by("-on", "-id").values_list("on", flat=True).first()
    return last or case.first_flag_on


def _locked(case: Case, *states: str) -> Case:
    c = Case.objects.select_for_update().select_related("household__village").get(pk=case.pk)
    if states and c.state not in states:
        allowed = "、".join(CaseState(s).label for s in states)
        raise ValidationError({"state": f"案件当前为「{c.get_state_display()}」，此环节只能在「{allowed}」时办理。"})
    return c


def _step(actor: Actor, c: Case, step: str, on: dt.date, note: str, data: dict[str, Any], before: str) -> CaseStep:
    s = CaseStep.objects.create(
        case=c, step=step, on=on, actor=actor.user, actor_label=actor.label, note=note, data=data
    )
    record_audit(
        actor,
        f"monitoring.case_{step}",
        object_type="monitoring.Case",
        object_id=c.pk,
        region_code=c.household.village.code,
        before={"state": before},
        after={"state": c.state, "on": on.isoformat(), **data},
        reason=note,
    )
    return s


def open_case(
    actor: Actor, household: Household, *, origin: str, kind: str, date: dt.date, note: str, on: dt.date | None = None
) -> Case:
    """农户自主申报 / 干部排查: record the event and open a case, assessed by the pure rule."""
    _check(actor, household, frozenset(OPENERS), "村、乡镇、县级工作人员或帮扶干部")
    if origin not in (CaseOrigin.SELF_REPORT, CaseOrigin.CADRE_CHECK):
        raise ValidationError({"origin": "来源须为农户自主申报或干部排查。"})
    if kind not in EVENT_KIND_ZH:
        raise ValidationError({"kind": f"风险事件类型「{kind}」不在列表中。"})
    if not note.strip():
        raise ValidationError({"note": "请填写情况说明。"})
    day = _date(on, None)
    _date(date, None)
    if date > day:
        raise ValidationError({"date": f"事件日期 {date.isoformat()} 晚于登记日期 {day.isoformat()}。"})
    if kind == "work_interrupted":
        _check_work_interrupted(date, day)
    month = (date.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    try:
        rules = monitoring_rules(load_parameters(), month)
    except MissingParameter as exc:
        raise ValidationError({"date": f"事件日期 {date.isoformat()} 无监测参数（2020 年 1 月起）：{exc}"}) from exc
    with transaction.atomic():
        h = Household.objects.select_for_update().select_related("village").get(pk=household.pk)
        if Case.objects.filter(household=h, state__in=[s.value for s in ACTIVE_STATES]).exists():
            raise ValidationError({"household": f"户 {h.household_no} 已有在办的返贫预警案件，请在该案件中办理。"})
        event = ReportedEvent.objects.create(
            household=h, kind=kind, date=date, origin=origin, note=note.strip(), actor_label=actor.label
        )
        docs = [d for d in build_documents(h.village.code, month, rules) if d.id == str(h.pk)]
        a = assess_household(docs[0], rules) if docs else None
        if a is None or not a.flags:
            why = "；".join(a.reasons()) if a is not None else "无在册成员"
            raise ValidationError({"kind": f"按监测规则，该户（{h.household_no}）不产生预警：{why}。未开案。"})
        c = Case.objects.create(
            household=h,
            origin=origin,
            flags=list(a.flags),
            level=a.level or "",
            first_flag_on=day,
            due_on=day + dt.timedelta(days=DUE_DAYS),
            opened_by_label=actor.label,
        )
        data = {"event": event.pk, "kind": kind, "date": date.isoformat(), "flags": list(a.flags), "level": a.level}
        _step(actor, c, CaseStepName.IDENTIFY, day, note.strip(), data, "")
    return c


def _check_work_interrupted(stopped: dt.date, day: dt.date) -> None:
    """务工中断 is recorded only once work has stopped ``monitoring.work_interrupted_min_months`` (POLICY.md §8:
    3 months [default]); the event keeps the day work stopped."""
    try:
        value = load_parameters().resolve("monitoring.work_interrupted_min_months", regions.NATIONAL, day).value
    except MissingParameter as exc:
        raise ValidationError({"on": f"登记日期 {day.isoformat()} 无监测参数：{exc}"}) from exc
    assert isinstance(value, Fraction | int) and not isinstance(value, bool) and Fraction(value).denominator == 1
    months = int(value)
    first = add_months(stopped, months)
    if day < first:
        raise ValidationError(
            {
                "date": f"务工中断须停工满 {months} 个月方可登记：自 {stopped.isoformat()} 停工，"
                f"{first.isoformat()} 起方可登记。"
            }
        )


def verify(actor: Actor, case: Case, *, finding: str, on: dt.date | None = None) -> Case:
    """入户核实: what the visit found."""
    _check(actor, case.household, VERIFIERS, ROLE_ZH["verify"])
    if not finding.strip():
        raise ValidationError({"finding": "请填写入户核实情况。"})
    with transaction.atomic():
        c = _locked(case, CaseState.IDENTIFIED)
        day = _date(on, _last_on(c))
        c.state = CaseState.VERIFIED
        c.save(update_fields=["state"])
        _step(actor, c, CaseStepName.VERIFY, day, finding.strip(), {}, CaseState.IDENTIFIED)
    return c


def review_and_notice(actor: Actor, case: Case, *, result: str, on: dt.date | None = None) -> Case:
    """民主评议 and the start of the village 公示 (at least 5 days before 乡镇审核)."""
    _check(actor, case.household, VILLAGE, ROLE_ZH["village"])
    if not result.strip():
        raise ValidationError({"result": "请填写民主评议结果。"})
    with transaction.atomic():
        c = _locked(case, CaseState.VERIFIED)
        day = _date(on, _last_on(c))
        c.state = CaseState.IN_NOTICE
        c.notice_start = day
        c.save(update_fields=["state", "notice_start"])
        _step(actor, c, CaseStepName.REVIEW_NOTICE, day, result.strip(), {"notice_start": day.isoformat()}, "verified")
    return c


def township_review(actor: Actor, case: Case, *, opinion: str, on: dt.date | None = None) -> Case:
    """乡镇审核, once the 公示 has run at least 5 days."""
    _check(actor, case.household, TOWNSHIP, ROLE_ZH["township"])
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写乡镇审核意见。"})
    with transaction.atomic():
        c = _locked(case, CaseState.IN_NOTICE)
        day = _date(on, _last_on(c))
        assert c.notice_start is not None
        earliest = c.notice_start + dt.timedelta(days=NOTICE_DAYS)
        if day < earliest:
            raise ValidationError(
                {
                    "on": f"公示自 {c.notice_start.isoformat()} 起不少于 {NOTICE_DAYS} 天，"
                    f"{earliest.isoformat()} 起方可乡镇审核。"
                }
            )
        c.state = CaseState.TOWNSHIP_APPROVED
        c.save(update_fields=["state"])
        _step(actor, c, CaseStepName.TOWNSHIP_REVIEW, day, opinion.strip(), {}, CaseState.IN_NOTICE)
    return c


def county_decision(actor: Actor, case: Case, *, decision: str, reason: str, on: dt.date | None = None) -> Case:
    """县级认定: 纳入监测, 认定返贫 (户状态 → 返贫) or 不纳入监测 (the case closes)."""
    _check(actor, case.household, COUNTY, ROLE_ZH["county"])
    if decision not in CaseDecision.values:
        raise ValidationError({"decision": "请选择认定结果：纳入监测、认定返贫或不纳入监测。"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写认定理由。"})
    with transaction.atomic():
        c = _locked(case, CaseState.TOWNSHIP_APPROVED)
        day = _date(on, _last_on(c))
        c.decision = decision
        c.decided_on = day
        if decision == CaseDecision.NOT_INCLUDED:
            c.state, c.closed_on = CaseState.CLOSED, day
        else:
            c.state = CaseState.DECIDED
        c.save(update_fields=["decision", "decided_on", "state", "closed_on"])
        data = {"decision": decision, "overdue": day > c.due_on}
        _step(actor, c, CaseStepName.COUNTY_DECISION, day, reason.strip(), data, CaseState.TOWNSHIP_APPROVED)
        if decision == CaseDecision.RETURNED:
            set_returned(actor, c.household, on=day, case_id=c.pk, reason=reason.strip())
        elif decision == CaseDecision.MONITORED:
            set_monitored(actor, c.household, True, on=day, case_id=c.pk, reason=reason.strip())
    return c


def add_measure(
    actor: Actor,
    case: Case,
    *,
    kind: str,
    description: str,
    amount_fen: int | None = None,
    application_id: int | None = None,
    on: dt.date | None = None,
) -> CaseMeasure:
    """帮扶措施, after the county decision (纳入监测 or 返贫)."""
    _check(actor, case.household, frozenset(MEASURERS), "村、乡镇、县级工作人员或帮扶干部")
    if kind not in MeasureKind.values:
        raise ValidationError({"kind": "请选择措施类型。"})
    if not description.strip():
        raise ValidationError({"description": "请填写措施内容。"})
    if amount_fen is not None and amount_fen < 0:
        raise ValidationError({"amount": "金额不能为负数。"})
    with transaction.atomic():
        c = _locked(case, CaseState.DECIDED)
        day = _date(on, c.decided_on)
        m = CaseMeasure.objects.create(
            case=c,
            kind=kind,
            description=description.strip()[:200],
            amount_fen=amount_fen,
            application_id=application_id,
            on=day,
            actor_label=actor.label,
        )
        data = {"measure": m.pk, "kind": kind, "amount_fen": amount_fen, "application": application_id}
        _step(actor, c, CaseStepName.MEASURE, day, description.strip(), data, CaseState.DECIDED)
    return m


def elimination_blockers(case: Case, on: dt.date) -> list[str]:
    """Why 风险消除 is not possible now (empty when it is): the pure assessment for the month of ``on``."""
    h = case.household
    first = on.replace(day=1)
    rules = monitoring_rules(load_parameters(), first)
    docs = [d for d in build_documents(h.village.code, first, rules) if d.id == str(h.pk)]
    if not docs:
        return ["该户无在册成员"]
    d = docs[0]
    out: list[str] = []
    if not d.labour_capacity:
        out.append("家庭无劳动能力成员：不能风险消除，继续监测")
    if d.income_12m_fen < rules.monitoring_line_fen * d.size:
        from jingzhun.policy.money import fen_to_grouped, fraction_to_str

        # compared exactly (income < line × size) and said so: a per-capita figure rounded to the fen could
        # read "6,000.00 低于 6,000.00" one fen below the line
        per = fraction_to_str(Fraction(d.income_12m_fen, 100 * d.size), 2)
        line, need = fen_to_grouped(rules.monitoring_line_fen), fen_to_grouped(rules.monitoring_line_fen * d.size)
        out.append(
            f"近 12 个月家庭纯收入 {fen_to_grouped(d.income_12m_fen)} 元低于监测线 {line} 元 × {d.size} 人 = "
            f"{need} 元（人均 {per} 元）"
        )
    known = dict(d.checks)
    for check in ("schooling", "medical", "housing", "water"):
        if check not in known:
            out.append(f"{FLAGS_ZH[check].replace('无保障', '')}情况未登记，无法确认有保障")
        elif not known[check]:
            out.append(FLAGS_ZH[check])
    return out


def eliminate(actor: Actor, case: Case, *, reason: str, on: dt.date | None = None) -> Case:
    """风险消除 — only when :func:`elimination_blockers` is empty."""
    _check(actor, case.household, ELIMINATORS, "乡镇或县级工作人员")
    if not reason.strip():
        raise ValidationError({"reason": "请填写风险消除的理由。"})
    with transaction.atomic():
        c = _locked(case, CaseState.DECIDED)
        day = _date(on, _last_on(c))
        blockers = elimination_blockers(c, day)
        if blockers:
            raise ValidationError({"state": "不符合风险消除条件：" + "；".join(blockers) + "。"})
        c.state, c.closed_on = CaseState.ELIMINATED, day
        c.save(update_fields=["state", "closed_on"])
        _step(actor, c, CaseStepName.ELIMINATE, day, reason.strip(), {}, CaseState.DECIDED)
        if not Case.objects.filter(household_id=c.household_id, state=CaseState.DECIDED).exists():
            set_monitored(actor, c.household, False, on=day, case_id=c.pk, reason=reason.strip())
    return c
