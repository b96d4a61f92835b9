"""Stand-in for ``jingzhun.registry.documents`` until the registry's own lands (same contract).

``household_frames(month, region_prefix)`` → the batch frames: households by ``household_no``, persons by
the string of their primary key; active households and persons only; income = every income row summed.
"""

from __future__ import annotations

import polars as pl

from jingzhun.policy.engine_batch import HOUSEHOLD_SCHEMA, PERSON_SCHEMA


def household_frames(month: str, region_prefix: str = "") -> tuple[pl.DataFrame, pl.DataFrame]:
    from jingzhun.registry.models import Household, Person

    households = Household.objects.filter(active=True, village__code__startswith=region_prefix).order_by("household_no")
    persons = Person.objects.filter(household__in=households, status="active").prefetch_related("incomes")
    income: dict[int, int] = {}
    own: dict[int, bool] = {}
    person_rows = []
    for p in persons.select_related("household"):
        records = list(p.incomes.all())
        income[p.household_id] = income.get(p.household_id, 0) + sum(r.total_fen for r in records)
        own[p.pk] = any(r.has_own_source for r in records)
        person_rows.append(
            {
                "id": str(p.pk),
                "household_id": p.household.household_no,
                "birth_date": p.birth_date,
                "disability_grade": p.disability_grade,
                "disability_card_gen2": p.disability_card_gen2,
                "needs_long_term_care": p.needs_long_term_care,
                "disabled_elder_certified": p.disabled_elder_certified,
                "self_care": p.self_care,
                "labour": p.labour,
                "student": p.student,
                "serious_illness": p.serious_illness,
                "late_stage_major_disease": p.late_stage_major_disease,
                "income_source": own[p.pk],
                "capable_supporter": p.capable_supporter,
                "care_setting": p.care_setting,
            }
        )
    household_rows = [
        {
            "id": h.household_no,
            "region": h.village.code[:6],
            "area": h.area,
            "registered_poor": h.registered_poor,
            "annual_income_fen": income.get(h.pk, 0),
            "disqualified": list(h.disqualified),
        }
        for h in households.select_related("village")
    ]
    return (
        pl.DataFrame(household_rows, schema=HOUSEHOLD_SCHEMA),
        pl.DataFrame(person_rows, schema=PERSON_SCHEMA),
    )
