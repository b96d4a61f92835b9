"""What every registry write shares: the editable fields, the status order, the region and cadre checks, the
4-eyes rule (:data:`APPROVING`), and the helpers that build and lock rows."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied

from jingzhun.core.actions import Actor, check_region
from jingzhun.core.models import Role
from jingzhun.registry.idnumber import IdNumberError, parse_id_number
from jingzhun.registry.models import (
    Household,
    HouseholdStatus,
    IncomeRecord,
    Person,
)

CROSS_COUNTY_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
HOUSEHOLD_EDITABLE = frozenset(
    {"address", "area", "registered_year", "poverty_causes", "housing_grade", "housing_area", "water_safe"}
    | {"bank_name", "bank_account", "cadre_name", "cadre_phone", "assigned_cadre", "disqualified", "phone"}
)
_PERSON_FIXED = {"household", "status", "status_date", "created_at", "updated_at"}  # changed by events only
PERSON_EDITABLE = (
    frozenset(f.name for f in Person._meta.concrete_fields if not (f.primary_key or f.generated)) - _PERSON_FIXED
)
INCOME_FIELDS = ("wages_fen", "farming_fen", "business_fen", "property_fen", "transfer_fen")
# Which status may follow which (POLICY.md §8's four): 未脱贫 → 已脱贫（享受政策） → 返贫 (relapse) or
# 已脱贫（不再享受政策）; a 返贫 household exits again to 已脱贫（享受政策）.
NEXT_STATUS: dict[str | None, set[str]] = {
    None: {HouseholdStatus.NOT_EXITED},
    HouseholdStatus.NOT_EXITED: {HouseholdStatus.EXITED_SUPPORTED},
    HouseholdStatus.EXITED_SUPPORTED: {HouseholdStatus.RETURNED, HouseholdStatus.EXITED_CLOSED},
    HouseholdStatus.RETURNED: {HouseholdStatus.EXITED_SUPPORTED},
    HouseholdStatus.EXITED_CLOSED: {HouseholdStatus.RETURNED},
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


def _locked(model: type[Household] | type[Person], pk: int) -> Any:
    return (
        model.objects.select_for_update()
        .select_related(*(["village"] if model is Household else ["household__village"]))
        .get(pk=pk)
    )
