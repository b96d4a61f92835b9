"""返贫预警's 三保障 checks over the database read the registry's exit facts as the exit check does
(POLICY.md §8): a relocation flat handed over counts as safe housing ("grade A or B, or relocated_keys"),
and a child exempted from school for health counts as schooled ("in_school or school_exempt_health").
A monitored household in either situation is not flagged red for it, and 风险消除 is not refused for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)
CHILD = {"birth_date": dt.date(2010, 3, 1), "relation": "child", "labour": "none", "student": "none"}


def _checks(household: Any) -> dict[str, bool]:
    from jingzhun.monitoring.cases.assess import build_documents
    from jingzhun.policy.monitoring import monitoring_rules
    from jingzhun.policy.params import load_parameters

    rules = monitoring_rules(load_parameters(), JUNE)
    (doc,) = [d for d in build_documents(household.village.code, JUNE, rules) if d.id == str(household.pk)]
    return dict(doc.checks)


def test_a_c_or_d_house_with_the_relocation_flat_handed_over_is_safe_housing(household: Any) -> None:
    from jingzhun.registry.models import Household

    moved = household(incomes={2019: 5_000_000})
    stayed = household(incomes={2019: 5_000_000})
    Household.objects.filter(pk=moved.pk).update(housing_grade="D", relocated_keys=True)
    Household.objects.filter(pk=stayed.pk).update(housing_grade="D", relocated_keys=False)
    assert _checks(moved)["housing"] is True
    assert _checks(stayed)["housing"] is False


def test_a_child_exempted_from_school_for_health_is_not_a_schooling_failure(household: Any) -> None:
    from jingzhun.registry.models import Person

    exempt = household(members=[{}, CHILD], incomes={2019: 5_000_000})
    out = household(members=[{}, CHILD], incomes={2019: 5_000_000})
    Person.objects.filter(household=exempt, relation="child").update(school_exempt_health=True)
    assert _checks(exempt)["schooling"] is True
    assert _checks(out)["schooling"] is False


def test_the_monthly_run_raises_no_red_flag_for_either(household: Any) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import RiskFlag
    from jingzhun.registry.models import Household, Person

    moved = household(incomes={2019: 5_000_000})
    Household.objects.filter(pk=moved.pk).update(housing_grade="C", relocated_keys=True)
    exempt = household(members=[{}, CHILD], incomes={2019: 5_000_000})
    Person.objects.filter(household=exempt, relation="child").update(school_exempt_health=True)
    run_assessment(JUNE, actor=Actor.system("test"), region_prefix="141102", on=dt.date(2020, 6, 2))
    assert not RiskFlag.objects.filter(month=JUNE, household__in=[moved, exempt]).exists()


WATER_OK = {
    "water_litres_per_day": "35",
    "water_fetch_minutes": 20,
    "water_days_without": 36,
    "water_quality_ok": True,
    "water_dry_area": False,
}


@pytest.mark.parametrize(
    ("facts", "holds"),
    [
        ({}, True),  # every indicator at its limit (35 litres, 20 minutes, 36 days): holds
        ({"water_litres_per_day": "34.99"}, False),
        ({"water_litres_per_day": "20", "water_dry_area": True}, True),
        ({"water_litres_per_day": "19.99", "water_dry_area": True}, False),
        ({"water_fetch_minutes": 21}, False),
        ({"water_days_without": 37}, False),
        ({"water_quality_ok": False}, False),
    ],
)
def test_recorded_water_indicators_decide_water_as_in_the_exit_check(
    household: Any, facts: dict[str, Any], holds: bool
) -> None:
    """Once the four indicators are recorded they decide, as the exit check's criterion does: the coarse
    饮水安全 (default 是) can no longer say 有保障 for 34.99 litres a day."""
    from jingzhun.registry.models import Household

    h = household(incomes={2019: 5_000_000})
    Household.objects.filter(pk=h.pk).update(water_safe=True, **(WATER_OK | facts))
    assert _checks(h)["water"] is holds


def test_without_the_indicators_the_coarse_water_field_decides(household: Any) -> None:
    from jingzhun.registry.models import Household

    unsafe, safe, partly = (household(incomes={2019: 5_000_000}) for _ in range(3))
    Household.objects.filter(pk=unsafe.pk).update(water_safe=False)
    Household.objects.filter(pk=partly.pk).update(water_safe=False, **(WATER_OK | {"water_quality_ok": None}))
    assert (_checks(unsafe)["water"], _checks(safe)["water"], _checks(partly)["water"]) == (False, True, False)


@pytest.mark.parametrize(
    ("birth", "month", "checked"),
    [
        # turns 6 in March 2020: not of school age until the school year that starts on 1 September 2020
        (dt.date(2014, 3, 1), dt.date(2020, 6, 1), False),
        (dt.date(2014, 3, 1), dt.date(2020, 9, 1), True),
        (dt.date(2014, 9, 1), dt.date(2020, 9, 1), True),  # a 1 September birthday counts as reached
        (dt.date(2014, 9, 2), dt.date(2020, 10, 1), False),  # 5 on 1 September (902 > 901, not Int8's -122)
        (dt.date(2014, 12, 31), dt.date(2021, 6, 1), False),  # 5 on 1 September 2020
        (dt.date(2014, 12, 31), dt.date(2021, 9, 1), True),
        # turned 16 in March 2020: still of school age for the rest of the 2019/20 school year
        (dt.date(2004, 3, 1), dt.date(2020, 6, 1), True),
        (dt.date(2004, 3, 1), dt.date(2020, 9, 1), False),
    ],
)
def test_school_age_is_counted_on_1_september_of_the_school_year_as_in_the_exit_check(
    household: Any, birth: dt.date, month: dt.date, checked: bool
) -> None:
    """POLICY.md §8's exit rule counts school age (6–15) on 1 September; 返贫预警 counts it on the 1 September
    that began the school year of month M, so a six-year-old is not flagged red in the spring before school."""
    from jingzhun.monitoring.cases.assess import build_documents
    from jingzhun.policy.monitoring import monitoring_rules
    from jingzhun.policy.params import load_parameters

    h = household(members=[{}, {**CHILD, "birth_date": birth}], incomes={2019: 5_000_000})
    rules = monitoring_rules(load_parameters(), month)
    (doc,) = [d for d in build_documents(h.village.code, month, rules) if d.id == str(h.pk)]
    assert dict(doc.checks)["schooling"] is (not checked)
