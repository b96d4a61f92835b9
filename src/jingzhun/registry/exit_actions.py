"""Registry writes for the exit document's facts (POLICY.md §8): housing/relocation, water, 因病免学.

One action per kind of fact, each one transaction with one audit row, region-checked like every registry
write (an auditor or a 帮扶 cadre is refused). The 户状态 is not edited here: 销号 (the exit workflow,
``jingzhun.monitoring.exit``) sets 已脱贫（享受政策） through :func:`set_exit_status`; the 返贫 case sets 返贫
(registry/cases_actions.py); and :func:`close_policies` is the county's step to 已脱贫（不再享受政策）.

Reading chosen for 已脱贫（不再享受政策） (POLICY.md §8 names the status, not who sets it): a county decision,
household by household, once the policy-keeping period (脱贫不脱政策, the 过渡期) is over — never automatic,
and never stopping a payment by itself (the enrollments' own 脱贫过渡期至 does that).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.registry import columns as c
from jingzhun.registry.actions import check_writer
from jingzhun.registry.audit import audit, snapshot
from jingzhun.registry.models import NOT_EXITED_STATUSES, Household, HouseholdStatus, HouseholdStatusEvent, Person

EXIT_HOUSEHOLD_FIELDS = frozenset(c.EXIT_HOUSEHOLD_KEYS) | {"housing_grade"}


def update_exit_facts(
    actor: Actor, household: Household, *, exempt_persons: frozenset[int] | None = None, **changes: Any
) -> Household:
    """Set the household's housing/relocation and water facts and, when ``exempt_persons`` is given, which
    active members are 因病免学 (the others not). One transaction, one audit row (before/after)."""
    if unknown := set(changes) - EXIT_HOUSEHOLD_FIELDS:
        raise ValueError(f"update_exit_facts cannot change {sorted(unknown)}")
    check_writer(actor, household.village.code)
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("village").get(pk=household.pk)
        before: dict[str, Any] = snapshot(household, changes)
        after: dict[str, Any] = {}
        for name, value in changes.items():
            setattr(household, name, value)
        household.full_clean()
        household.save()
        after.update(snapshot(household, changes))
        if exempt_persons is not None:
            members = list(household.persons.filter(status="active").order_by("id"))
            if stray := exempt_persons - {p.pk for p in members}:
                raise ValidationError(
                    {"school_exempt_health": f"不是本户在册成员：{sorted(stray)} [school_exempt_health]"}
                )
            before["school_exempt_health"] = [p.pk for p in members if p.school_exempt_health]
            after["school_exempt_health"] = sorted(exempt_persons)
            for person in members:
                wanted = person.pk in exempt_persons
                if person.school_exempt_health != wanted:
                    Person.objects.filter(pk=person.pk).update(school_exempt_health=wanted)
        audit(actor, "update_exit_facts", household, before=before, after=after)
    return household


def set_exit_status(
    actor: Actor, household: Household, *, date: dt.date, note: str, source: Mapping[str, Any]
) -> HouseholdStatusEvent:
    """销号: the household becomes 已脱贫（享受政策） (code ``exited_supported``), appended as a status event.

    Called only by the exit workflow's 销号 action (``source`` names the exit record, for the audit row),
    inside its transaction; it checks the region again but not the role — the workflow did. Payments are
    not touched: 脱贫不脱政策 (POLICY.md §8)."""
    check_writer(actor, household.village.code)
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("village").get(pk=household.pk)
        if household.status not in NOT_EXITED_STATUSES:
            current = HouseholdStatus(household.status).label if household.status else "非建档立卡"
            raise ValidationError({"status": f"户状态为「{current}」，不能销号 [status]"})
        before = snapshot(household, ("status", "status_date"))
        event = HouseholdStatusEvent.objects.create(
            household=household, status=HouseholdStatus.EXITED_SUPPORTED, date=date, note=note[:200]
        )
        household.status, household.status_date = HouseholdStatus.EXITED_SUPPORTED, date
        household.save(update_fields=["status", "status_date", "updated_at"])
        audit(
            actor,
            "set_exit_status",
            household,
            before=before,
            after={**snapshot(household, ("status", "status_date")), "source": dict(source)},
            reason=note,
        )
    return event


CLOSE_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})


def close_policies(actor: Actor, household: Household, *, date: dt.date, reason: str) -> HouseholdStatusEvent:
    """已脱贫（享受政策） → 已脱贫（不再享受政策）: a county officer's dated, reasoned decision."""
    check_writer(actor, household.village.code)
    if actor.role not in CLOSE_ROLES:
        raise PermissionDenied("只有县级工作人员可以认定不再享受扶贫政策。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写不再享受政策的理由（如过渡期已满）[reason]"})
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("village").get(pk=household.pk)
        if household.status != HouseholdStatus.EXITED_SUPPORTED:
            current = HouseholdStatus(household.status).label if household.status else "非建档立卡"
            raise ValidationError({"status": f"户状态为「{current}」，只有已脱贫（享受政策）的户可以办理 [status]"})
        if household.status_date is not None and date < household.status_date:
            raise ValidationError({"date": f"日期不能早于脱贫日期 {household.status_date.isoformat()} [date]"})
        before = snapshot(household, ("status", "status_date"))
        event = HouseholdStatusEvent.objects.create(
            household=household, status=HouseholdStatus.EXITED_CLOSED, date=date, note=reason.strip()[:200]
        )
        household.status, household.status_date = HouseholdStatus.EXITED_CLOSED, date
        household.save(update_fields=["status", "status_date", "updated_at"])
        audit(
            actor,
            "close_policies",
            household,
            before=before,
            after=snapshot(household, ("status", "status_date")),
            reason=reason.strip(),
        )
    return event
