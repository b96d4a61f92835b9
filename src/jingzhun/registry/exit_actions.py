"""Registry writes for the exit document's facts (POLICY.md §8): housing/relocation, water, 因病免学.

One action per kind of fact, each one transaction with one audit row, region-checked like every registry
write (an auditor or a 帮扶 cadre is refused). The 户状态 is not here: it changes only through the exit
workflow (``jingzhun.monitoring.exit``) and, later, the 返贫 case — see :func:`set_exit_status`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor
from jingzhun.registry import columns as c
from jingzhun.registry.actions import check_writer
from jingzhun.registry.audit import audit, snapshot
from jingzhun.registry.models import Household, HouseholdStatus, HouseholdStatusEvent, Person

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
    """销号: the household becomes 已脱贫（享受政策） (code ``exited``), appended as a status event.

    Called only by the exit workflow's 销号 action (``source`` names the exit record, for the audit row),
    inside its transaction; it checks the region again but not the role — the workflow did. Payments are
    not touched: 脱贫不脱政策 (POLICY.md §8)."""
    check_writer(actor, household.village.code)
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("village").get(pk=household.pk)
        if household.status not in (HouseholdStatus.IDENTIFIED, HouseholdStatus.HELPED):
            current = HouseholdStatus(household.status).label if household.status else "非建档立卡"
            raise ValidationError({"status": f"户状态为「{current}」，不能销号 [status]"})
        before = snapshot(household, ("status", "status_date"))
        event = HouseholdStatusEvent.objects.create(
            household=household, status=HouseholdStatus.EXITED, date=date, note=note[:200]
        )
        household.status, household.status_date = HouseholdStatus.EXITED, date
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
