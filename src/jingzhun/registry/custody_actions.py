"""Registry writes for 服刑 terms (:mod:`jingzhun.registry.custody`): record one, edit or end it (刑满释放).

Each action is one transaction with one audit row (``registry.record_custody`` / ``registry.update_custody``),
region-checked like every registry write: the village's cadre, the township or the county (or the
administrator, or the system for 数据比对's confirmation inside its own transaction); an auditor is read-only
and a 帮扶 cadre proposes, never writes. Bad input — an end not after the start, a start after today, a term
overlapping another of the same person, an empty 说明 — is refused with a Chinese message naming the field,
nothing written.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.registry.actions import check_writer
from jingzhun.registry.audit import audit, snapshot
from jingzhun.registry.custody import CustodyTerm
from jingzhun.registry.models import Person, PersonStatus

FIELDS = ("start", "end", "note")


def _validate(person: Person, start: dt.date, end: dt.date | None, note: str, *, term_pk: int | None) -> None:
    errors: dict[str, str] = {}
    if start > workday.today():
        errors["start"] = f"服刑起始日期 {start.isoformat()} 晚于今天 [start]"
    if end is not None and end <= start:
        errors["end"] = f"刑满释放日期 {end.isoformat()} 应晚于服刑起始日期 {start.isoformat()} [end]"
    if not note.strip():
        errors["note"] = "请填写说明（判决或名单来源）[note]"
    if not errors:
        others = CustodyTerm.objects.filter(person=person).exclude(pk=term_pk)
        for other in others:
            if (other.end is None or other.end > start) and (end is None or end > other.start):
                until = other.end.isoformat() if other.end else "未释放"
                errors["start"] = f"与{person.name}已登记的服刑记录（{other.start.isoformat()}—{until}）重叠 [start]"
                break
    if errors:
        raise ValidationError(errors)


def record_custody(actor: Actor, person: Person, *, start: dt.date, end: dt.date | None, note: str) -> CustodyTerm:
    """登记服刑: from ``start`` (and until ``end``, if the release date is known) the member is left out of the
    household's documents (size and income) for the months they serve."""
    person = Person.objects.select_related("household__village").get(pk=person.pk)
    check_writer(actor, person.household.village.code)
    with transaction.atomic():
        person = Person.objects.select_for_update().select_related("household__village").get(pk=person.pk)
        if person.status != PersonStatus.ACTIVE:
            raise ValidationError({"person": f"{person.name}已不是在册人员，不能登记服刑 [person]"})
        _validate(person, start, end, note, term_pk=None)
        term = CustodyTerm.objects.create(
            person=person, start=start, end=end, note=note.strip()[:200], recorded_by=actor.label[:150]
        )
        audit(actor, "record_custody", person, after={"term": term.pk, **snapshot(term, FIELDS)}, reason=term.note)
    return term


def update_custody(actor: Actor, term: CustodyTerm, *, start: dt.date, end: dt.date | None, note: str) -> CustodyTerm:
    """更正或结束服刑记录 (e.g. 刑满释放: set ``end``); the months already paid are not touched here — a re-run
    of a month uses the corrected term."""
    term = CustodyTerm.objects.select_related("person__household__village").get(pk=term.pk)
    check_writer(actor, term.person.household.village.code)
    with transaction.atomic():
        term = CustodyTerm.objects.select_for_update().select_related("person__household__village").get(pk=term.pk)
        _validate(term.person, start, end, note, term_pk=term.pk)
        before = snapshot(term, FIELDS)
        term.start, term.end, term.note = start, end, note.strip()[:200]
        term.save(update_fields=["start", "end", "note", "updated_at"])
        audit(
            actor,
            "update_custody",
            term.person,
            before={"term": term.pk, **before},
            after={"term": term.pk, **snapshot(term, FIELDS)},
            reason=term.note,
        )
    return term
