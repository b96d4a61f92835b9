"""Members: 新增成员, corrections, 迁入 of someone on file, and leaving (死亡/迁出) as events, never deletes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor
from jingzhun.registry.actions._base import (
    APPROVING,
    CROSS_COUNTY_ROLES,
    ID_NOT_REGISTRABLE,
    PERSON_EDITABLE,
    _locked,
    _person_from,
    _save_incomes,
    check_writer,
    require_approval,
)
from jingzhun.registry.audit import audit, snapshot
from jingzhun.registry.models import (
    Household,
    Person,
    PersonEvent,
    PersonEventKind,
    PersonStatus,
)


def add_person(
    actor: Actor, household: Household, *, date: dt.date | None = None, note: str = "", **fields: Any
) -> Person:
    """新增成员 (birth, marriage, move-in): the person and a 迁入 event dated ``date`` (default today)."""
    check_writer(actor, household.village.code)
    with transaction.atomic():
        household = _locked(Household, household.pk)
        if not household.active:
            raise ValidationError({"household": "该户已销户，不能新增成员"})
        if Person.objects.filter(id_number=str(fields.get("id_number", "")).strip().upper()).exists():
            raise ValidationError({"id_number": f"{ID_NOT_REGISTRABLE} [id_number]"})
        person = _person_from(household, fields)
        person.save()
        _save_incomes(person, fields.get("incomes", ()))
        PersonEvent.objects.create(
            person=person, kind=PersonEventKind.MOVE_IN, date=date or dt.date.today(), note=note, to_household=household
        )
        audit(actor, "add_person", person, after=snapshot(person), reason=note)
    return person


def update_person(actor: Actor, person: Person, **changes: Any) -> Person:
    """Correct a member's facts (including a mistyped ID number, re-validated against birth date and sex)."""
    if unknown := set(changes) - PERSON_EDITABLE:
        raise ValueError(f"update_person cannot change {sorted(unknown)}")
    check_writer(actor, person.household.village.code)
    with transaction.atomic():
        person = _locked(Person, person.pk)
        before = snapshot(person, changes)
        for name, value in changes.items():
            setattr(person, name, value)
        person.full_clean()
        person.save()
        audit(actor, "update_person", person, before=before, after=snapshot(person, changes))
    return person


def move_in_person(
    actor: Actor, person: Person, into: Household, *, relation: str, date: dt.date, note: str = ""
) -> PersonEvent:
    """迁入 of someone already on file who moved out (婚嫁、投亲): the same person row joins ``into``.

    The ID number is unique, so a person who left one household (迁出) and settles in another is not
    registered twice: their row moves, becomes 在册 again, and a 迁入 event from the old household to the
    new one is appended, so month-dated membership (registry.documents) keeps both periods and payments
    stay with the household they were paid to. Refused when the person is not 迁出 (a death is final, an
    active member must first move out), when the date is before the move-out, or when ``relation`` is 户主
    and ``into`` already has an active head.
    """
    approving = APPROVING.get() is not None
    with transaction.atomic():
        person, into = _locked(Person, person.pk), _locked(Household, into.pk)
        source_code = person.household.village.code
        # Directly, the receiving region writes. Someone who left another region is not pulled in by name and
        # ID alone: a 迁入 request (change_actions) is confirmed, and applied, by the staff of the region left.
        check_writer(actor, source_code if approving else into.village.code)
        if not actor.can_see(source_code):
            require_approval(actor, "从其他区域迁入")
        if person.status != PersonStatus.MOVED_OUT:
            raise ValidationError(
                {"id_number": f"该身份证号已登记，人员状态为「{person.get_status_display()}」，不能迁入"}
            )
        if not into.active:
            raise ValidationError({"household": "该户已销户，不能迁入成员"})
        source_county = Household.objects.filter(pk=person.household_id).values_list("village__code", flat=True)
        cross_county = source_county.first()[:6] != into.village.code[:6]
        if cross_county and actor.role not in CROSS_COUNTY_ROLES and not approving:
            # The person's record (incomes, events) would move from another county's register: that is
            # for the receiving county's officers, who can confirm the 户口迁移 papers.
            raise ValidationError({"id_number": "该人员原登记在其他县（区、市），跨县迁入请由县级经办人员办理"})
        if person.status_date and date < person.status_date:
            raise ValidationError({"date": f"迁入日期不能早于该人员的迁出日期（{person.status_date}）"})
        if relation == "head" and into.persons.filter(relation="head", status=PersonStatus.ACTIVE).exists():
            raise ValidationError({"relation": "该户已有在册户主，迁入成员不能再登记为户主"})
        before = snapshot(person, ("household", "relation", "status", "status_date"))
        source = person.household
        person.household, person.relation = into, relation
        person.status, person.status_date = PersonStatus.ACTIVE, date
        person.full_clean(exclude=["household"])
        person.save(update_fields=["household", "relation", "status", "status_date", "updated_at"])
        event = PersonEvent.objects.create(
            person=person, kind=PersonEventKind.MOVE_IN, date=date, note=note, from_household=source, to_household=into
        )
        after = snapshot(person, ("household", "relation", "status", "status_date"))
        audit(actor, "move_in_person", person, before=before, after=after, reason=note)
    return event


def _person_leaves(actor: Actor, person: Person, status: str, kind: str, date: dt.date, note: str) -> PersonEvent:
    check_writer(actor, person.household.village.code)
    if kind == PersonEventKind.DEATH:
        require_approval(actor, "死亡登记")
    with transaction.atomic():
        person = _locked(Person, person.pk)
        if person.status != PersonStatus.ACTIVE:
            raise ValidationError({"status": f"该人员已是「{person.get_status_display()}」状态"})
        before = snapshot(person, ("status", "status_date"))
        person.status, person.status_date = status, date
        person.save(update_fields=["status", "status_date", "updated_at"])
        event = PersonEvent.objects.create(
            person=person, kind=kind, date=date, note=note, from_household=person.household
        )
        household = person.household
        if not household.persons.filter(status=PersonStatus.ACTIVE).exists():
            household.active, household.closed_reason = False, f"{date} 起无在册成员（{PersonEventKind(kind).label}）"
            household.save(update_fields=["active", "closed_reason", "updated_at"])
        after = snapshot(person, ("status", "status_date"))
        audit(actor, f"record_{kind}", person, before=before, after=after, reason=note)
    return event


def record_death(actor: Actor, person: Person, *, date: dt.date, note: str = "") -> PersonEvent:
    """死亡: the person stays on file with status deceased; an event records the date."""
    return _person_leaves(actor, person, PersonStatus.DECEASED, PersonEventKind.DEATH, date, note)


def record_move_out(actor: Actor, person: Person, *, date: dt.date, note: str = "") -> PersonEvent:
    """迁出: the person stays on file with status moved_out; an event records the date."""
    return _person_leaves(actor, person, PersonStatus.MOVED_OUT, PersonEventKind.MOVE_OUT, date, note)
