"""``/api/households``: the registry, region-scoped, masked — the same reads as the staff pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from jingzhun.api.schemas import EntitlementsOut, ErrorOut, HouseholdDetail, HouseholdPage, ValidationErrorOut
from jingzhun.core.actions import Actor
from jingzhun.registry import queries
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.models import Household

router = Router(tags=["户籍"])
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # in the schema too: clients and schemathesis see the format
# 400: a NUL in the query (core.middleware refuses it for PostgreSQL's sake), hence TEXT's pattern too.
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
TEXT = r"^[^\x00]*$"  # any text without NUL


class ListParams(Schema):
    q: str = Field("", pattern=TEXT, description="姓名、身份证号后 4 位、户编号（完整身份证号仅限县级）")
    region: str = Field("", pattern=TEXT, description="县、乡镇或村的区域代码（须在本人工作范围内）")
    status: str = Field(
        "", pattern=TEXT, description="not_exited | exited_supported | returned | exited_closed | none（非建档立卡）"
    )
    family: str = Field("", pattern=TEXT, description="在册救助类别，例如 dibao、tekun")
    active: str = Field("active", pattern=TEXT, description="active | closed | all")
    after: str = Field("", pattern=TEXT, description="下一页：上一页最后一户的户编号（响应中的 next）")
    before: str = Field("", pattern=TEXT, description="上一页：本页第一户的户编号（响应中的 previous）")
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=queries.MAX_PAGE_SIZE)


def _summary(row: queries.Row) -> dict[str, Any]:
    h = row.household
    township = h.village.parent
    return {
        "id": h.pk,
        "household_no": h.household_no,
        "village": {"code": h.village.code, "name": h.village.name},
        "township": {"code": township.code, "name": township.name} if township else None,
        "area": h.area,
        "status": h.status,
        "status_label": h.get_status_display() if h.status else None,
        "registered_year": h.registered_year,
        "active": h.active,
        "head_name": row.head_name,
        "head_id_number": row.head_id,
        "member_count": row.members,
        "families": row.families,
    }


@router.get("", response={200: HouseholdPage, **ERRORS}, summary="户列表（按工作区域，分页）")
def list_households(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    actor = Actor.for_user(request.user)
    page = queries.search(actor, queries.Search(**params.dict()))
    return {
        "count": page.count,
        "count_capped": page.count_capped,
        "next": page.next_after,
        "previous": page.prev_before,
        "notes": page.notes,
        "items": [_summary(row) for row in page.rows],
    }


@router.get("/{household_id}", response={200: HouseholdDetail, **ERRORS}, summary="户详情（身份证号脱敏）")
def get_household(request: HttpRequest, household_id: int) -> dict[str, Any]:
    household = queries.get_household_for(Actor.for_user(request.user), household_id)
    row = queries.page_rows([household], "")[0]
    persons = household.persons.order_by("id")
    enrollments = household.enrollments.order_by("-start_month", "family")
    return {
        **_summary(row),
        "address": household.address,
        "poverty_causes": household.poverty_causes,
        "housing_grade": household.housing_grade,
        "water_safe": household.water_safe,
        "disqualified": household.disqualified,
        "cadre_name": household.cadre_name,
        "cadre_phone": household.cadre_phone,
        "members": [
            {
                "id": p.pk,
                "name": p.name,
                "relation": p.relation,
                "relation_label": p.get_relation_display(),
                "sex": p.sex,
                "birth_date": p.birth_date,
                "id_number": mask_id_number(p.id_number),
                "status": p.status,
                "status_label": p.get_status_display(),
                "disability_grade": p.disability_grade,
                "labour": p.labour,
                "self_care": p.self_care,
                "student": p.student,
                "serious_illness": p.serious_illness,
            }
            for p in persons
        ],
        "enrollments": [
            {
                "family": e.family,
                "family_label": e.get_family_display(),
                "status": e.status,
                "status_label": e.get_status_display(),
                "start_month": e.start_month,
                "end_month": e.end_month,
            }
            for e in enrollments
        ],
    }


@router.get(
    "/{household_id}/entitlements",
    response={200: EntitlementsOut, **ERRORS},
    summary="某月应享待遇及计算说明",
)
def get_entitlements(
    request: HttpRequest,
    household_id: int,
    month: str = Query(..., pattern=MONTH_PATTERN, description="月份，YYYY-MM，例如 2020-06", examples=["2020-06"]),
) -> dict[str, Any]:
    from jingzhun.ledger.entitlements import household_entitlements
    from jingzhun.policy.money import fen_to_str

    household: Household = queries.get_household_for(Actor.for_user(request.user), household_id)
    try:
        result = household_entitlements(household, month)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None
    return {
        "household": household.pk,
        "household_no": household.household_no,
        "month": result.month,
        "total": None if result.errors else fen_to_str(result.total_fen),
        "payable_total": None if result.errors else fen_to_str(result.payable_fen),
        "lines": [
            {
                "program": line.program,
                "program_name": line.program_name,
                "member": line.member_id,
                "member_name": line.member_name,
                "amount": fen_to_str(line.amount_fen),
                "payable": line.payable,
                "families": line.families,
                "parameters": [p.__dict__ for p in line.parameters],
                "explain": line.raw["explain"],
            }
            for line in result.lines
        ],
        "errors": result.errors,
    }
