"""Households, persons and enrollments for ledger tests, written straight through the ORM.

Used in-process by the tests and, for the kill test, by a subprocess seeding its own database file.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

_sequence = itertools.count(1)

MEMBER_DEFAULTS: dict[str, Any] = {
    "relation": "head",
    "sex": "M",
    "birth_date": dt.date(1950, 3, 2),
    "disability_grade": None,
    "disability_card_gen2": False,
    "needs_long_term_care": False,
    "disabled_elder_certified": False,
    "self_care": "full",
    "labour": "partial",
    "student": "none",
    "serious_illness": False,
    "late_stage_major_disease": False,
    "capable_supporter": True,
    "care_setting": "home",
}


def make_household(
    village: Any,
    household_no: str,
    *,
    members: list[dict[str, Any]] | None = None,
    income_fen: int = 0,
    registered: bool = True,
    area: str = "rural",
    bank_account: str | None = None,
    families: tuple[str, ...] = ("dibao",),
    start: dt.date = dt.date(2018, 1, 1),
) -> Any:
    """A household with its members (one elderly head by default), its income and its enrollments.

    ``income_fen`` is the household's yearly income, recorded as the head's wages in 2017.
    """
    from jingzhun.registry.idnumber import make_id_number
    from jingzhun.registry.models import Household, IncomeRecord, Person

    household = Household.objects.create(
        household_no=household_no,
        village=village,
        address=f"{village.name}{household_no}号",
        area=area,
        registered_year=2016 if registered else None,
        status="not_exited" if registered else None,
        housing_grade="B",
        bank_name="农村信用社",
        bank_account=bank_account if bank_account is not None else f"6230{next(_sequence):012d}",
    )
    for index, spec in enumerate(members or [{}]):
        fields = {**MEMBER_DEFAULTS, **spec}
        if index and "relation" not in spec:
            fields["relation"] = "spouse"
        number = make_id_number(village.code[:6], fields["birth_date"], next(_sequence) % 500, fields["sex"])
        person = Person.objects.create(
            household=household, id_number=number, name=f"{household_no}成员{index + 1}", **fields
        )
        if index == 0 and income_fen:
            IncomeRecord.objects.create(person=person, year=2017, wages_fen=income_fen)
    for family in families:
        enrol(household, family, start)
    return household


def enrol(household: Any, family: str, start: dt.date = dt.date(2018, 1, 1)) -> Any:
    from django.utils import timezone

    from jingzhun.assistance.models import Enrollment

    return Enrollment.objects.create(
        household=household,
        family=family,
        status="active",
        start_month=start,
        source="initial_roll",
        next_review_due=dt.date(2030, 1, 1),
        last_decided_at=timezone.now(),
    )


def elderly_poor_village(village: Any, count: int, *, prefix: str = "H") -> list[Any]:
    """``count`` one-person 低保 households of an 80-year-old with no income (低保 + 高龄补贴)."""
    return [
        make_household(village, f"{prefix}{village.code[-6:]}{i:04d}", members=[{"birth_date": dt.date(1936, 5, 1)}])
        for i in range(count)
    ]
