"""Response shapes of the API. ID numbers are always masked (``1411**********1234``); money is yuan as a
two-decimal string, never a float (POLICY.md §0)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class RegionOut(Schema):
    code: str
    name: str


class HouseholdSummary(Schema):
    id: int
    household_no: str
    village: RegionOut
    township: RegionOut | None
    area: str
    status: str | None
    status_label: str | None
    registered_year: int | None
    active: bool
    head_name: str
    head_id_number: str  # masked
    member_count: int  # active (在册) members
    families: list[str]  # open (在册) enrollments, Chinese labels


class HouseholdPage(Schema):
    count: int
    count_capped: bool  # true: at least ``count`` households match (a very common search is not counted out)
    next: str | None  # pass as ``after`` for the next page
    previous: str | None  # pass as ``before`` for the previous page
    notes: list[str]
    items: list[HouseholdSummary]


class MemberOut(Schema):
    id: int
    name: str
    relation: str
    relation_label: str
    sex: str
    birth_date: dt.date
    id_number: str  # masked
    status: str
    status_label: str
    disability_grade: int | None
    labour: str
    self_care: str
    student: str
    serious_illness: bool


class EnrollmentOut(Schema):
    family: str
    family_label: str
    status: str
    status_label: str
    start_month: dt.date
    end_month: dt.date | None


class HouseholdDetail(HouseholdSummary):
    address: str
    poverty_causes: list[str]
    housing_grade: str
    water_safe: bool
    disqualified: list[str]
    cadre_name: str
    cadre_phone: str
    members: list[MemberOut]
    enrollments: list[EnrollmentOut]


class ParameterOut(Schema):
    name: str
    label: str
    value: str
    since: str
    source: str
    notes: list[str]


class LineOut(Schema):
    program: str
    program_name: str
    member: str | None
    member_name: str
    amount: str
    payable: bool  # the household is enrolled (在册) in one of the program's families
    families: list[str]
    parameters: list[ParameterOut]
    explain: dict[str, Any]  # as ``jingzhun entitle`` prints it: inputs, steps, parameters


class EntitlementsOut(Schema):
    household: int
    household_no: str
    month: str
    total: str | None  # null when the household could not be computed (see errors)
    payable_total: str | None
    lines: list[LineOut]
    errors: list[str]


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str  # the parameter's key, e.g. limit
    loc: list[str]  # where it was sent, e.g. ["query", "limit"]
    type: str  # pydantic's error type, for programs
    msg: str  # Chinese, naming the parameter: 每页户数应为整数 [limit]


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]
