"""年度收入: one member's year, or every member's year of a household in one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from jingzhun.core.actions import Actor
from jingzhun.registry.actions._base import (
    INCOME_FIELDS,
    check_writer,
)
from jingzhun.registry.audit import audit, snapshot
from jingzhun.registry.models import (
    IncomeRecord,
    Person,
)


def set_person_income(actor: Actor, person: Person, year: int, **fen: int) -> IncomeRecord:
    """Set one year's income (integer fen per source; omitted sources are 0). Replaces that year's row."""
    if unknown := set(fen) - set(INCOME_FIELDS):
        raise ValueError(f"unknown income fields {sorted(unknown)}")
    check_writer(actor, person.household.village.code)
    with transaction.atomic():
        existing = IncomeRecord.objects.select_for_update().filter(person=person, year=year).first()
        before = snapshot(existing) if existing else None
        record = existing or IncomeRecord(person=person, year=year)
        for name in INCOME_FIELDS:
            setattr(record, name, fen.get(name, 0))
        record.full_clean()
        record.save()
        audit(actor, "set_person_income", record, before=before, after=snapshot(record))
    return record


def set_household_incomes(actor: Actor, year: int, fen_by_person: Mapping[Person, Mapping[str, int]]) -> int:
    """年度收入 of a household's members in one transaction (every member's row or none); a member whose
    figures did not change, or who has no row and only zeros, is left alone. Returns the rows written."""
    written = 0
    with transaction.atomic():
        for person, fen in fen_by_person.items():
            current = IncomeRecord.objects.filter(person=person, year=year).first()
            if current is None and not any(fen.values()):
                continue
            if current is None or any(getattr(current, k) != v for k, v in fen.items()):
                set_person_income(actor, person, year, **fen)
                written += 1
    return written
