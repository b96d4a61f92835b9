"""Every write to the registry: one function, one transaction, one audit row, region-checked.

Persons and households are never deleted. A death or move-out (死亡/迁出) is a :class:`PersonEvent` and a
status; a merge (合户) moves the members and closes the source household; a household whose last active
member leaves is closed (销户) with the reason. Status changes (识别 → 帮扶 → 已脱贫 → 监测) append a
:class:`HouseholdStatusEvent`. Money arguments are integer fen.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.registry.audit import audit, snapshot
from jingzhun.registry.idnumber import IdNumberError, parse_id_number
from jingzhun.registry.models import (
    Household,
    HouseholdStatus,
    HouseholdStatusEvent,
    IncomeRecord,
    Person,
    PersonEvent,
    PersonEventKind,
    PersonStatus,
    Region,
)
from jingzhun.registry.regions_file import NewRegion
from jingzhun.registry.validate import ParsedRegistry

CROSS_COUNTY_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
HOUSEHOLD_EDITABLE = frozenset(
    {"address", "area", "registered_year", "poverty_causes", "housing_grade", "housing_area", "water_safe"}
    | {"bank_name", "bank_account", "cadre_name", "cadre_phone", "assigned_cadre", "disqualified"}
)
_PERSON_FIXED = {"household", "status", "status_date", "created_at", "updated_at"}  # changed by events only
PERSON_EDITABLE = (
    frozenset(f.name for f in Person._meta.concrete_fields if not (f.primary_key or f.generated)) - _PERSON_FIXED
)
INCOME_FIELDS = ("wages_fen", "farming_fen", "business_fen", "property_fen", "transfer_fen")
# Which status may follow which. 返贫 (relapse) sends an exited or monitored household back to 帮扶.
NEXT_STATUS: dict[str | None, set[str]] = {
    None: {HouseholdStatus.IDENTIFIED, HouseholdStatus.MONITORED},
    HouseholdStatus.IDENTIFIED: {HouseholdStatus.HELPED},
    HouseholdStatus.HELPED: {HouseholdStatus.EXITED},
    HouseholdStatus.EXITED: {HouseholdStatus.MONITORED, HouseholdStatus.HELPED},
    HouseholdStatus.MONITORED: {HouseholdStatus.HELPED, HouseholdStatus.EXITED},
}


# The change request being applied (registry.change_actions.approve_change) while its action runs. The five
# changes that move money or status refuse a staff actor without one: nobody changes them alone. The system
# actor (CLI, importer, demo; ``actor.user is None``) is not a person and passes.
APPROVING: contextvars.ContextVar[int | None] = contextvars.ContextVar("approving_change", default=None)
BANK_FIELDS = frozenset({"bank_name", "bank_account"})
CADRE_REFUSED = "帮扶干部只能填写帮扶记录和提出信息变更申请，不能直接修改户籍信息。"
# The same words whether the number is on file anywhere in the county or nowhere readable by the actor.
ID_NOT_REGISTRABLE = "该身份证号无法登记，请联系县级核实"


def check_writer(actor: Actor, region_code: str) -> None:
    """The region check of every registry write, and the 帮扶 cadre's refusal (they propose, others write)."""
    check_region(actor, region_code)
    if actor.role == Role.ASSIGNED_CADRE:
        raise PermissionDenied(CADRE_REFUSED)


def require_approval(actor: Actor, what: str) -> None:
    """Refuse a staff actor's direct change of money or status: it goes through a 信息变更申请."""
    if actor.user is not None and APPROVING.get() is None:
        raise PermissionDenied(f"{what}须提交信息变更申请，经审批后生效。")


def _person_from(household: Household, data: Mapping[str, Any]) -> Person:
    """A validated, unsaved Person; 出生日期 and 性别 default to what the ID number encodes (Person.clean)."""
    fields = {k: v for k, v in data.items() if k != "incomes"}
    try:
        decoded = parse_id_number(str(fields.get("id_number", "")))
        fields = {"birth_date": decoded.birth_date, "sex": decoded.sex, **fields}
    except IdNumberError:
        pass  # full_clean reports it, with the field key
    person = Person(household=household, **fields)
    person.full_clean(exclude=["household"])
    return person


def _save_incomes(person: Person, incomes: Iterable[Mapping[str, int]]) -> None:
    for income in incomes:
        record = IncomeRecord(person=person, **income)
        record.full_clean(exclude=["person"])
        record.save()


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


def _locked(model: type[Household] | type[Person], pk: int) -> Any:
    return (
        model.objects.select_for_update()
        .select_related(*(["village"] if model is Household else ["household__village"]))
        .get(pk=pk)
    )


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
    """识别 → 帮扶 → 已脱贫 → 监测 (and 返贫 back to 帮扶): append the event, update the current status."""
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


def import_registry(
    actor: Actor,
    *,
    registry: ParsedRegistry | None = None,
    regions: Sequence[NewRegion] = (),
    file_name: str,
    sha256: str,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """批量导入 a validated file (:mod:`jingzhun.registry.importer`): one transaction, ONE audit row for all of it.

    ``registry`` is a :class:`~jingzhun.registry.validate.ParsedRegistry`, ``regions`` a list of
    :class:`~jingzhun.registry.regions_file.NewRegion`. A failure anywhere rolls everything back.
    """
    from jingzhun.registry import bulk

    villages = set(registry.households["village_code"].unique()) if registry is not None else set()
    codes = sorted({r.code for r in regions} | villages)
    check_writer(actor, actor.scope)  # refuses read-only accounts and 帮扶 cadres even for an empty file
    for code in codes:
        check_writer(actor, code)
    counts = {"regions": 0, "households": 0, "persons": 0}
    with transaction.atomic():
        counts["regions"] = bulk.write_regions(list(regions))
        if registry is not None:
            counts.update(bulk.write_registry(registry, progress))
        counties = sorted({code[:6] for code in codes})
        record_audit(
            actor,
            "registry.import",
            object_type="ImportFile",
            object_id=sha256,
            region_code=counties[0] if len(counties) == 1 else "",
            after={"file": file_name, "sha256": sha256, **counts},
        )
    return counts
