"""Registry writes of the 返贫预警 part (monitoring/cases): the 边缘易致贫户 category and the 返贫 status.

* :func:`set_marginal` — 边缘易致贫户 (POLICY.md §8: never registered, income just above the line) is a
  registry category, set or cleared by a village cadre, township or county officer of the household's
  region, with a reason; a registered (建档立卡) household cannot be marginal.
* :func:`set_returned` — 户状态 返贫, only as the county decision of a 返贫预警 case (the caller passes the
  case's id; nobody edits the status directly). Appends a :class:`HouseholdStatusEvent`.
* :func:`set_monitored` — 监测对象 (``Household.monitored``; not a 户状态, POLICY.md §8): set by a case's
  county decision 纳入监测, cleared by its 风险消除 (the caller passes the case's id).

Each is one transaction with one audit row, region- and role-checked.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.registry.models import Household, HouseholdStatus, HouseholdStatusEvent

MARGINAL_ROLES = frozenset({Role.VILLAGE_CADRE, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN})
RETURN_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})


def set_marginal(actor: Actor, household: Household, marginal: bool, *, reason: str) -> Household:
    """Mark (or clear) a household as 边缘易致贫户."""
    check_region(actor, household.village.code)
    if actor.role not in MARGINAL_ROLES:
        raise PermissionDenied("只有村、乡镇或县级工作人员可以认定边缘易致贫户。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写认定（或取消）边缘易致贫户的理由。"})
    with transaction.atomic():
        h = Household.objects.select_for_update().get(pk=household.pk)
        if marginal and h.registered_year is not None:
            raise ValidationError({"marginal": f"户 {h.household_no} 是建档立卡户，不能认定为边缘易致贫户。"})
        before = h.marginal
        h.marginal = marginal
        h.save(update_fields=["marginal", "updated_at"])
        record_audit(
            actor,
            "registry.set_marginal",
            object_type="registry.Household",
            object_id=h.pk,
            region_code=h.village.code,
            before={"marginal": before},
            after={"marginal": marginal},
            reason=reason.strip(),
        )
    return h


def set_returned(actor: Actor, household: Household, *, on: dt.date, case_id: int, reason: str) -> Household:
    """户状态 → 返贫, as a 返贫预警 case's county decision (``case_id``)."""
    check_region(actor, household.village.code)
    if actor.role not in RETURN_ROLES:
        raise PermissionDenied("只有县级工作人员可以作出返贫认定。")
    with transaction.atomic():
        h = Household.objects.select_for_update().get(pk=household.pk)
        before = {"status": h.status, "status_date": h.status_date.isoformat() if h.status_date else None}
        h.status = HouseholdStatus.RETURNED
        h.status_date = on
        h.save(update_fields=["status", "status_date", "updated_at"])
        HouseholdStatusEvent.objects.create(
            household=h, status=HouseholdStatus.RETURNED, date=on, note=f"返贫预警案件 {case_id} 县级认定返贫"[:200]
        )
        record_audit(
            actor,
            "registry.set_returned",
            object_type="registry.Household",
            object_id=h.pk,
            region_code=h.village.code,
            before=before,
            after={"status": HouseholdStatus.RETURNED, "status_date": on.isoformat(), "case": case_id},
            reason=reason,
        )
    return h


def set_monitored(
    actor: Actor, household: Household, monitored: bool, *, on: dt.date, case_id: int, reason: str
) -> Household:
    """监测对象 on (a case's 纳入监测) or off (its 风险消除); the 户状态 is left as it is."""
    check_region(actor, household.village.code)
    with transaction.atomic():
        h = Household.objects.select_for_update().get(pk=household.pk)
        if h.monitored == monitored:
            return h
        h.monitored = monitored
        h.save(update_fields=["monitored", "updated_at"])
        record_audit(
            actor,
            "registry.set_monitored",
            object_type="registry.Household",
            object_id=h.pk,
            region_code=h.village.code,
            before={"monitored": not monitored},
            after={"monitored": monitored, "date": on.isoformat(), "case": case_id},
            reason=reason,
        )
    return h
