"""录入子女赡养费: the one writer of :class:`~jingzhun.assistance.filial_models.SupportPayment`.

A village cadre or the township (and the admin) records a payment a child made to an elder of a household
in their region: one transaction, one audit row. The county, the 帮扶 cadre and the auditor are refused
(the records are village work, checked at the Double Ninth assessment); a household outside the actor's
region is refused before anything else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.filial import OutsideCalendar, assessment_year, in_calendar, payment_month
from jingzhun.assistance.filial_models import SupportPayment, SupportRelation
from jingzhun.assistance.steps import check_past
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.policy.context import age_on

PARENT_MIN_AGE = 60  # parameters/filial_reward: parent_min_age — support of a younger parent earns nothing
MAX_AMOUNT_FEN = 100_000_000  # one payment of a million yuan is a typing error, not support


@transaction.atomic
def record_support_payment(
    actor: Actor,
    household: Any,
    *,
    parent: Any,
    payer_name: str,
    payer_relation: str,
    paid_on: dt.date,
    amount_fen: int,
    period_from: dt.date,
    period_to: dt.date,
    payer_id_number: str = "",
) -> SupportPayment:
    """Record one support payment to ``parent`` (a member of ``household``); every bad field is refused
    with a Chinese message naming it, and nothing is written."""
    from jingzhun.registry.idnumber import IdNumberError, parse_id_number
    from jingzhun.registry.models import Household, Person

    home = Household.objects.select_related("village").get(pk=household.pk)
    check_region(actor, home.village.code)
    wf.require_role(actor, wf.VILLAGE_WORK, "录入子女赡养费")
    errors: dict[str, str] = {}
    elder = Person.objects.filter(pk=getattr(parent, "pk", parent), household=home).first()
    if elder is None:
        errors["parent"] = "受赡养老人须为本户成员 [parent]"
    name = (payer_name or "").strip()
    if not name:
        errors["payer_name"] = "赡养人姓名不能为空 [payer_name]"
    elif len(name) > 64:
        errors["payer_name"] = "赡养人姓名过长（最多 64 字）[payer_name]"
    if payer_relation not in SupportRelation.values:
        errors["payer_relation"] = f"与老人关系无效：{payer_relation} [payer_relation]"
    number = (payer_id_number or "").strip().upper()
    if number:
        try:
            number = parse_id_number(number).number
        except IdNumberError as exc:
            errors["payer_id_number"] = f"{exc} [payer_id_number]"
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        errors["amount_fen"] = "赡养费金额须大于 0 元 [amount_fen]"
    elif amount_fen > MAX_AMOUNT_FEN:
        errors["amount_fen"] = "赡养费金额超过 100 万元，请核对 [amount_fen]"
    try:
        check_past(paid_on, "paid_on", "支付日期")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if period_to < period_from:
        errors["period_to"] = "赡养期间止不能早于赡养期间起 [period_to]"
    year = None
    if "paid_on" not in errors:
        try:
            year = assessment_year(paid_on)
        except OutsideCalendar as exc:
            errors["paid_on"] = f"支付日期（{paid_on.isoformat()}）超出重阳节日历：{exc} [paid_on]"
    if year is not None and elder is not None and in_calendar(year):
        first = payment_month(year)
        age = age_on(elder.birth_date, first)
        if age < PARENT_MIN_AGE:
            errors["parent"] = (
                f"{elder.name} 在 {first.isoformat()}（{year} 年重阳节评定月）为 {age} 周岁，"
                f"未满 {PARENT_MIN_AGE} 周岁，赡养费不计孝亲敬老奖励 [parent]"
            )
    if errors:
        raise ValidationError(errors)
    assert elder is not None and year is not None
    row = SupportPayment.objects.create(
        household=home,
        parent=elder,
        payer_name=name,
        payer_relation=payer_relation,
        payer_id_number=number,
        paid_on=paid_on,
        amount_fen=amount_fen,
        period_from=period_from,
        period_to=period_to,
        assessment_year=year,
        recorded_by=actor.user,
        recorded_by_label=actor.label,
    )
    record_audit(
        actor,
        "support_payment_recorded",
        object_type="support_payment",
        object_id=row.pk,
        region_code=home.village.code,
        after={
            "household": home.household_no,
            "parent": elder.pk,
            "payer_name": name,
            "payer_relation": payer_relation,
            "paid_on": paid_on.isoformat(),
            "amount_fen": amount_fen,
            "period": [period_from.isoformat(), period_to.isoformat()],
            "assessment_year": year,
        },
    )
    return row


@transaction.atomic
def void_support_payment(actor: Actor, payment: SupportPayment, *, reason: str) -> SupportPayment:
    """作废 a wrong record (same roles and region as recording it): it stays, marked, and no longer counts."""
    row = SupportPayment.objects.select_for_update().select_related("household__village").get(pk=payment.pk)
    check_region(actor, row.household.village.code)
    wf.require_role(actor, wf.VILLAGE_WORK, "作废子女赡养费记录")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写作废原因 [reason]"})
    if row.voided_at is not None:
        raise ValidationError({"reason": f"该记录已于 {timezone.localtime(row.voided_at):%Y-%m-%d} 作废 [reason]"})
    row.voided_at, row.voided_by_label, row.void_reason = timezone.now(), actor.label, reason[:200]
    row.save(update_fields=["voided_at", "voided_by_label", "void_reason"])
    record_audit(
        actor,
        "support_payment_voided",
        object_type="support_payment",
        object_id=row.pk,
        region_code=row.household.village.code,
        before={"amount_fen": row.amount_fen, "paid_on": row.paid_on.isoformat(), "voided": False},
        after={"voided": True},
        reason=reason,
    )
    return row
