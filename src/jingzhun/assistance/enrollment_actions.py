"""Writes to enrollments (在册救助对象): approval into the roll, suspension, resumption, end, 脱贫不脱政策
and the re-computation after a change of circumstances. One transaction and one audit row each.

Every change appends an :class:`EnrollmentDecision` with the entitlement it was based on, and moves the
enrollment's ``last_decided_at`` and income basis, so :func:`~.queries.due_for_review` starts afresh.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.models import (
    Application,
    ApplicationKind,
    DecisionKind,
    Enrollment,
    EnrollmentDecision,
    EnrollmentSource,
    EnrollmentStatus,
)
from jingzhun.assistance.policy_bridge import ROLL_FAMILIES, family_summary, household_entitlement, qualifies
from jingzhun.assistance.queries import registered_income_by_household
from jingzhun.assistance.steps import FIRST_DAY, check_past, date_or_today
from jingzhun.core import workday
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.policy.document import DocumentError
from jingzhun.policy.vocabulary import FAMILIES

_FIELD_TAG = re.compile(r"\s*\[[a-z_]+(?:, ?[a-z_]+)*\]")  # the engine's " [birth_date]" field keys
OPEN = (EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED)
# decisions that computed an entitlement (a suspension, end or transition carries none)
ASSESSED = (DecisionKind.APPROVE, DecisionKind.INITIAL_ROLL, DecisionKind.CONTINUE, DecisionKind.CHANGE)


def _month_key(first: dt.date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def household_lines(household: Any, first: dt.date, key: str = "start_month") -> dict[str, int]:
    """{program: fen} the policy engine gives this household for the month starting ``first``.

    A household the engine cannot compute (无参数 for its region and date, or a document it refuses for that
    month — a member born after it) is refused rather than decided on a zero it does not have: a
    :class:`ValidationError` keyed ``key`` (the month's field), never the engine's own exception.
    """
    month = _month_key(first)
    try:
        lines, errors = household_entitlement(household.pk, month)
    except DocumentError as exc:
        problems = "；".join(_FIELD_TAG.sub("", e) for e in exc.errors)
        raise ValidationError({key: f"无法计算该户 {month} 的待遇（{problems}），请检查月份 [{key}]"}) from None
    if errors:
        from jingzhun.policy.explain import error_text  # the parameter's Chinese name, as the pages say it

        raise ValidationError(f"无法计算该户 {month} 的待遇：" + "；".join(error_text(e) for e in errors))
    return lines


def _decide(
    actor: Actor,
    enrollment: Enrollment,
    kind: str,
    first: dt.date,
    *,
    lines: dict[str, int] | None = None,
    reason: str = "",
    application: Application | None = None,
) -> EnrollmentDecision:
    summary = family_summary(lines or {}, enrollment.family)
    enrollment.last_decided_at = timezone.now()
    enrollment.basis_income_fen = registered_income_by_household(household_pk=enrollment.household_id).get(
        enrollment.household_id, 0
    )
    enrollment.save()
    return EnrollmentDecision.objects.create(
        enrollment=enrollment,
        kind=kind,
        application=application,
        month=first,
        monthly_fen=sum(summary.values()),
        entitlement=summary,
        reason=reason,
        actor=actor.user,
        actor_label=actor.label,
    )


def _last_assessed_fen(enrollment: Enrollment) -> int | None:
    """The monthly amount of the last decision that computed one (not a suspension, end or transition)."""
    last = enrollment.decisions.filter(kind__in=ASSESSED).order_by("-id").first()
    return last.monthly_fen if last else None


def _audit(actor: Actor, action: str, enrollment: Enrollment, before: dict[str, Any], reason: str) -> None:
    record_audit(
        actor,
        action,
        object_type="enrollment",
        object_id=enrollment.pk,
        region_code=enrollment.household.village.code,
        before=before,
        after=_state(enrollment),
        reason=reason,
    )


def _state(e: Enrollment) -> dict[str, Any]:
    def iso(d: dt.date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "household": e.household.household_no,
        "family": e.family,
        "status": e.status,
        "start_month": iso(e.start_month),
        "end_month": iso(e.end_month),
        "suspended_from": iso(e.suspended_from),
        "transition_until": iso(e.transition_until),
    }


def _locked(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.select_for_update().select_related("household__village").get(pk=enrollment.pk)


def _county_check(actor: Actor, enrollment: Enrollment, what: str) -> None:
    check_region(actor, enrollment.household.village.code)
    wf.require_role(actor, wf.COUNTY, what)


def _check_month(first: dt.date, label: str, earliest: dt.date, since: str) -> dt.date:
    """A change's month (keyed ``month``, the form's field): not before ``earliest`` (``since`` says what it
    is) nor after next month — a change is decided for now, not for a year ahead."""
    latest = wf.next_month(workday.today())
    if first > latest:
        raise ValidationError({"month": f"{label}（{_month_key(first)}）不能晚于下个月（{_month_key(latest)}）[month]"})
    if first < earliest:
        raise ValidationError(
            {"month": f"{label}（{_month_key(first)}）不能早于{since}（{_month_key(earliest)}）[month]"}
        )
    return first


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("须填写理由 [reason]")
    return reason


def _refuse_zero(application: Application, lines: dict[str, int], first: dt.date) -> None:
    """An approval of 低保、特困 or 护理补贴 that would pay 0.00 a month is refused, with the reason."""
    from jingzhun.assistance.approval_amount import approval_amount, shows_amount

    if not shows_amount(application) or sum(family_summary(lines, application.family).values()) > 0:
        return
    why = approval_amount(application, first).explanation
    name = FAMILIES[application.family]
    raise ValidationError(
        {
            "approve": f"按该户登记信息（含入户调查核实的收入）计算，{_month_key(first)} 起{name}月发放金额为 0.00 元，"
            f"不能批准：{why}。请核实收入，或选择「不予批准」并写明理由 [approve]"
        }
    )


def approve_into_enrollment(actor: Actor, application: Application, first: dt.date) -> Enrollment:
    """The enrollment side of an approval, inside :func:`~.actions.county_decide`'s transaction (its audit row).

    A new application opens an enrollment from ``first``; a one-off family (大病关怀 …) covers that month
    only. A review or change re-computes the open enrollment's entitlement (继续享受 / 调整待遇); a
    suspended one stays suspended until :func:`resume_enrollment`.
    """
    household = application.household
    lines = household_lines(household, first)
    _refuse_zero(application, lines, first)
    if application.kind == ApplicationKind.NEW:
        if Enrollment.objects.filter(household=household, family=application.family, status__in=OPEN).exists():
            name = FAMILIES[application.family]
            raise ValidationError(f"该户已是{name}在册对象（受理后已纳入），本申请不能再批准纳入")
        one_off = application.family not in ROLL_FAMILIES
        enrollment = Enrollment.objects.create(
            household=household,
            family=application.family,
            status=EnrollmentStatus.ENDED if one_off else EnrollmentStatus.ACTIVE,
            start_month=first,
            end_month=first if one_off else None,
            source=EnrollmentSource.APPLICATION,
            application=application,
            next_review_due=wf.add_months(first, wf.REVIEW_MONTHS),
            last_decided_at=timezone.now(),
        )
        reason = application.reason  # the county's reason, kept on the decision record
        _decide(actor, enrollment, DecisionKind.APPROVE, first, lines=lines, application=application, reason=reason)
        return enrollment
    enrollment = Enrollment.objects.select_for_update().get(
        household=household, family=application.family, status__in=OPEN
    )
    monthly = sum(family_summary(lines, enrollment.family).values())
    same = _last_assessed_fen(enrollment) == monthly
    enrollment.next_review_due = wf.add_months(first, wf.REVIEW_MONTHS)
    kind = DecisionKind.CONTINUE if same else DecisionKind.CHANGE
    _decide(actor, enrollment, kind, first, lines=lines, application=application, reason=application.reason)
    return enrollment


@transaction.atomic
def suspend_enrollment(
    actor: Actor, enrollment: Enrollment, *, reason: str, from_month: dt.date | None = None
) -> Enrollment:
    """暂停: no payment from ``from_month`` (default next month) until resumed."""
    e = _locked(enrollment)
    _county_check(actor, e, "暂停救助")
    reason = _reason(reason)
    if e.status != EnrollmentStatus.ACTIVE:
        raise ValidationError(f"当前状态为「{e.get_status_display()}」，不能暂停（仅在册对象可暂停）")
    before = _state(e)
    first = (from_month or wf.next_month(workday.today())).replace(day=1)
    _check_month(first, "暂停起始月份", e.start_month, "享受起始月份")
    e.status, e.suspended_from = EnrollmentStatus.SUSPENDED, first
    _decide(actor, e, DecisionKind.SUSPEND, first, reason=reason)
    _audit(actor, "enrollment_suspended", e, before, reason)
    return e


@transaction.atomic
def resume_enrollment(
    actor: Actor, enrollment: Enrollment, *, reason: str, from_month: dt.date | None = None
) -> Enrollment:
    """恢复: pay again from ``from_month`` (default next month).

    The months already suspended stay unpaid in the record: the suspended enrollment ends the month
    before its suspension and a new one (same source and application) starts at ``from_month``.
    """
    e = _locked(enrollment)
    _county_check(actor, e, "恢复救助")
    reason = _reason(reason)
    if e.status != EnrollmentStatus.SUSPENDED:
        raise ValidationError(f"当前状态为「{e.get_status_display()}」，不能恢复（仅暂停的对象可恢复）")
    assert e.suspended_from is not None
    before = _state(e)
    first = (from_month or wf.next_month(workday.today())).replace(day=1)
    _check_month(first, "恢复发放月份", e.start_month, "享受起始月份")
    if first <= e.suspended_from:
        e.status, e.suspended_from = EnrollmentStatus.ACTIVE, None
        _decide(actor, e, DecisionKind.RESUME, first, reason=reason)
        _audit(actor, "enrollment_resumed", e, before, reason)
        return e
    e.status, e.end_month = EnrollmentStatus.ENDED, wf.add_months(e.suspended_from, -1)
    e.save(update_fields=["status", "end_month"])
    resumed = Enrollment.objects.create(
        household=e.household,
        family=e.family,
        start_month=first,
        source=e.source,
        application=e.application,
        transition_until=e.transition_until,
        next_review_due=e.next_review_due,
        last_decided_at=timezone.now(),
    )
    _decide(actor, resumed, DecisionKind.RESUME, first, reason=reason)
    _audit(actor, "enrollment_resumed", resumed, before, reason)
    return resumed


@transaction.atomic
def end_enrollment(
    actor: Actor, enrollment: Enrollment, *, reason: str, last_month: dt.date | None = None
) -> Enrollment:
    """停止享受: paid up to and including ``last_month`` (default the current month), never after."""
    e = _locked(enrollment)
    _county_check(actor, e, "停止救助")
    reason = _reason(reason)
    if e.status not in OPEN:
        raise ValidationError(f"当前状态为「{e.get_status_display()}」，不能停止（已退出）")
    before = _state(e)
    last = (last_month or workday.today()).replace(day=1)
    _check_month(last, "最后发放月份", wf.add_months(e.start_month, -1), "享受起始月份的上一个月")
    if e.suspended_from is not None:
        last = min(last, wf.add_months(e.suspended_from, -1))
    e.status, e.end_month = EnrollmentStatus.ENDED, last
    _decide(actor, e, DecisionKind.END, wf.add_months(last, 1), reason=reason)
    _audit(actor, "enrollment_ended", e, before, reason)
    return e


TRANSITION_YEARS = 5  # 过渡期: five years from exit (中发〔2020〕30号 设立 5 年过渡期)


def _check_transition_until(until: dt.date, exited_on: dt.date | None) -> None:
    """保留政策至: not before the household's exit (nor 2014), and not after the end of the fifth year after
    the exit year (exit in 2020 → 2025-12-31 at the latest; the current year when the exit date is unknown)."""
    start = exited_on or workday.today()
    latest = dt.date(start.year + TRANSITION_YEARS, 12, 31)
    if exited_on is not None and until < exited_on:
        raise ValidationError(
            {"until": f"保留政策至（{until.isoformat()}）不能早于该户脱贫日期（{exited_on.isoformat()}）[until]"}
        )
    if until < FIRST_DAY:
        raise ValidationError({"until": f"保留政策至（{until.isoformat()}）不能早于 {FIRST_DAY.isoformat()} [until]"})
    if until > latest:
        since = f"脱贫（{start.year} 年）" if exited_on else f"今年（{start.year} 年）"
        raise ValidationError(
            {
                "until": f"保留政策至（{until.isoformat()}）不能晚于{since}后 {TRANSITION_YEARS} 年过渡期的末日"
                f"（{latest.isoformat()}）[until]"
            }
        )


@transaction.atomic
def keep_policies_through_transition(
    actor: Actor, household: Any, *, until: dt.date, reason: str, on: dt.date | None = None
) -> list[Enrollment]:
    """脱贫不脱政策 (POLICY §8): an exited household keeps its open enrollments up to ``until``, not after."""
    from jingzhun.registry.models import Household, HouseholdStatus

    home = Household.objects.select_related("village").get(pk=household.pk)
    check_region(actor, home.village.code)
    wf.require_role(actor, wf.COUNTY, "脱贫不脱政策")
    reason = _reason(reason)
    if home.status != HouseholdStatus.EXITED_SUPPORTED:
        shown = HouseholdStatus(home.status).label if home.status else "未建档"
        raise ValidationError(f"该户户状态为「{shown}」，不是已脱贫（享受政策），不适用脱贫不脱政策")
    first = check_past(date_or_today(on), "on", "办理日期").replace(day=1)
    _check_transition_until(until, home.status_date)
    kept = list(
        Enrollment.objects.select_for_update()
        .select_related("household__village")
        .filter(household=home, status__in=OPEN)
    )
    if not kept:
        raise ValidationError("该户没有在册的救助，无需保留")
    for e in kept:
        e.transition_until = until
        _decide(actor, e, DecisionKind.TRANSITION, first, reason=reason)
    record_audit(
        actor,
        "enrollment_transition",
        object_type="household",
        object_id=home.pk,
        region_code=home.village.code,
        after={
            "household": home.household_no,
            "transition_until": until.isoformat(),
            "families": [e.family for e in kept],
        },
        reason=reason,
    )
    return kept


@transaction.atomic
def record_change_of_circumstances(
    actor: Actor, household: Any, *, reason: str, month: dt.date | None = None
) -> list[EnrollmentDecision]:
    """情况变化: re-compute the household's entitlement for ``month`` (default next month) and decide, per
    open enrollment, 继续享受 (same amount), 调整待遇 (new amount) or 停止享受 (no longer qualifies: paid up
    to the month before). An exited household inside its transition period continues whatever the amount.
    """
    from jingzhun.registry.models import Household

    home = Household.objects.select_related("village").get(pk=household.pk)
    check_region(actor, home.village.code)
    wf.require_role(actor, wf.COUNTY, "情况变化复核")
    reason = _reason(reason)
    first = (month or wf.next_month(workday.today())).replace(day=1)
    starts = Enrollment.objects.filter(household=home, status__in=OPEN, family__in=ROLL_FAMILIES).values_list(
        "start_month", flat=True
    )
    _check_month(first, "重新核算月份", min(starts, default=FIRST_DAY), "在册救助的享受起始月份")
    lines = household_lines(home, first, "month")
    decisions, outcome = [], {}
    open_ones = Enrollment.objects.select_for_update().select_related("household__village")
    for e in open_ones.filter(household=home, status__in=OPEN, family__in=ROLL_FAMILIES).order_by("family"):
        monthly = sum(family_summary(lines, e.family).values())
        in_transition = e.transition_until is not None and e.transition_until >= first
        if qualifies(lines, e.family) or in_transition:
            same = _last_assessed_fen(e) == monthly
            kind = DecisionKind.CONTINUE if same else DecisionKind.CHANGE
            e.next_review_due = wf.add_months(first, wf.REVIEW_MONTHS)
        else:
            kind = DecisionKind.END
            e.status, e.end_month = EnrollmentStatus.ENDED, wf.add_months(first, -1)
        decisions.append(_decide(actor, e, kind, first, lines=lines, reason=reason))
        outcome[e.family] = {"decision": kind, "monthly_fen": monthly}
    newly = [f for f in ROLL_FAMILIES if f not in outcome and qualifies(lines, f)]
    record_audit(
        actor,
        "enrollment_change_of_circumstances",
        object_type="household",
        object_id=home.pk,
        region_code=home.village.code,
        after={
            "household": home.household_no,
            "month": first.isoformat(),
            "decisions": outcome,
            "eligible_not_enrolled": [FAMILIES[f] for f in newly],
        },
        reason=reason,
    )
    return decisions
