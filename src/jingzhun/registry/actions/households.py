"""The household as a whole: 新建户, basic facts, status (POLICY.md §8's four), 户主变更, 合户."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor
from jingzhun.registry.actions._base import (
    BANK_FIELDS,
    HOUSEHOLD_EDITABLE,
    NEXT_STATUS,
    _locked,
    _person_from,
    _save_incomes,
    check_writer,
    require_approval,
)
from jingzhun.registry.audit import audit, snapshot
from jingzhun.registry.models import (
    Household,
    HouseholdStatus,
    HouseholdStatusEvent,
    Person,
    PersonEvent,
    PersonEventKind,
    PersonStatus,
    Region,
)


def create_household(
    actor: Actor, *, household_no: str, village_code: str, members: Sequence[Mapping[str, Any]], **fields: Any
) -> Household:
    """新建户 with its members (one 户主) and their incomes (``incomes``: [{year, wages_fen, …}])."""
    check_writer(actor, village_code)
    if sum(1 for m in members if m.get("relation") == "head") != 1:
        raise ValidationError({"relation": "每户须有且只有一名户主 [relation]"})
    with transaction.atomic():
        village = Region.objects.get(code=village_code, level="village")
        household = Household(household_no=household_no, village=village, **fields)
        household.full_clean()
        household.save()
        if household.status:
            HouseholdStatusEvent.objects.create(
                household=household, status=household.status, date=household.status_date
            )
        for data in members:
            person = _person_from(household, data)
            person.save()
            _save_incomes(person, data.get("incomes", ()))
        after = {**snapshot(household), "members": [m.get("id_number") for m in members]}
        audit(actor, "create_household", household, after=after)
    return household


def update_household(actor: Actor, household: Household, **changes: Any) -> Household:
    """Edit household facts. Status, membership and closing have their own actions (they leave history)."""
    if unknown := set(changes) - HOUSEHOLD_EDITABLE:
        raise ValueError(f"update_household cannot change {sorted(unknown)}")
    check_writer(actor, household.village.code)
    if BANK_FIELDS & set(changes):
        require_approval(actor, "银行账号变更")
    with transaction.atomic():
        household = _locked(Household, household.pk)
        before = snapshot(household, changes)
        for name, value in changes.items():
            setattr(household, name, value)
        household.full_clean()
        household.save()
        audit(actor, "update_household", household, before=before, after=snapshot(household, changes))
    return household


def change_household_status(
    actor: Actor, household: Household, status: str, *, date: dt.date, note: str = ""
) -> HouseholdStatusEvent:
    """A status change allowed by NEXT_STATUS (POLICY.md §8's four): append the event, update the current status."""
    check_writer(actor, household.village.code)
    require_approval(actor, "户状态变更")
    with transaction.atomic():
        household = _locked(Household, household.pk)
        if status not in NEXT_STATUS.get(household.status, set()):
            current = HouseholdStatus(household.status).label if household.status else "无"
            raise ValidationError(
                {"status": f"户状态不能从「{current}」变为「{HouseholdStatus(status).label}」[status]"}
            )
        before = snapshot(household, ("status", "status_date"))
        event = HouseholdStatusEvent.objects.create(household=household, status=status, date=date, note=note)
        household.status, household.status_date = status, date
        household.save(update_fields=["status", "status_date", "updated_at"])
        audit(
            actor,
            "change_household_status",
            household,
            before=before,
            after=snapshot(household, ("status", "status_date")),
            reason=note,
        )
    return event


def change_head(actor: Actor, household: Household, new_head: Person, *, note: str = "") -> Household:
    """户主变更 (the head died, moved out, or the family chose another): ``new_head`` becomes 户主.

    A still-active former head becomes 其他 (other); the other members' relations are to the old head and
    are left for the cadre to correct on each member's form (the page says so), since no rule can derive
    them. The new head must be an active member of this household.
    """
    check_writer(actor, household.village.code)
    require_approval(actor, "户主变更")
    with transaction.atomic():
        household, new_head = _locked(Household, household.pk), _locked(Person, new_head.pk)
        if new_head.household_id != household.pk or new_head.status != PersonStatus.ACTIVE:
            raise ValidationError({"new_head": "新户主必须是本户在册成员"})
        if new_head.relation == "head":
            raise ValidationError({"new_head": f"{new_head.name} 已是户主"})
        old = list(household.persons.select_for_update().filter(relation="head", status=PersonStatus.ACTIVE))
        before = {"head": [p.pk for p in old], "new_head_relation": new_head.relation}
        for person in old:
            person.relation = "other"
            person.save(update_fields=["relation", "updated_at"])
        new_head.relation = "head"
        new_head.save(update_fields=["relation", "updated_at"])
        audit(actor, "change_head", household, before=before, after={"head": [new_head.pk]}, reason=note)
    return household


def merge_households(actor: Actor, source: Household, into: Household, *, date: dt.date, note: str = "") -> Household:
    """合户: the source's active members join ``into`` (its 户主 becomes 其他), the source is closed."""
    check_writer(actor, source.village.code)
    check_writer(actor, into.village.code)
    require_approval(actor, "合户")
    if source.pk == into.pk:
        raise ValidationError({"household": "不能与本户合并"})
    with transaction.atomic():
        source, into = _locked(Household, source.pk), _locked(Household, into.pk)
        if not (source.active and into.active):
            raise ValidationError({"household": "已销户的户不能合并"})
        moved = list(source.persons.filter(status=PersonStatus.ACTIVE))
        for person in moved:
            person.household = into
            person.relation = "other" if person.relation == "head" else person.relation
            person.save(update_fields=["household", "relation", "updated_at"])
        PersonEvent.objects.bulk_create(
            PersonEvent(
                person=p, kind=PersonEventKind.MERGE, date=date, note=note, from_household=source, to_household=into
            )
            for p in moved
        )
        source.active, source.merged_into = False, into
        source.closed_reason = f"{date} 并入 {into.household_no}"
        source.save(update_fields=["active", "merged_into", "closed_reason", "updated_at"])
        after = {"into": into.household_no, "persons": [p.pk for p in moved]}
        audit(actor, "merge_households", source, before={"household_no": source.household_no}, after=after, reason=note)
    return into
