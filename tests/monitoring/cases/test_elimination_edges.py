"""风险消除 at its edges (POLICY.md §8: "only when 12 months' per-capita income ≥ monitoring_line and every
三保障/饮水 item holds, and never for a household without labour capacity"), worked by hand: a household of
2 assessed in January 2021, whose 12 months are exactly its 2020 income; the line is 6 000 a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db
D = dt.date
ON = D(2021, 1, 20)  # month 2021-01: income_12m = 12/12 of 2020 + 0/12 of 2021


@pytest.fixture
def decided(household: Any, personas: Any, actor: Any) -> Any:
    """A June 2020 case (5 000 a year for 2 persons), walked to the county's 纳入监测."""
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.cases import actions
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import Case

    h = household("v11", members=[{}, {}], incomes={2019: 500_000})
    run_assessment(D(2020, 6, 1), actor=Actor.system("test"), region_prefix="141102", on=D(2020, 6, 2))
    c = Case.objects.get(household=h)
    actions.verify(actor(personas["victor"]), c, finding="属实", on=D(2020, 6, 3))
    actions.review_and_notice(actor(personas["victor"]), c, result="同意", on=D(2020, 6, 4))
    actions.township_review(actor(personas["tom"]), c, opinion="同意", on=D(2020, 6, 9))
    actions.county_decision(actor(personas["alice"]), c, decision="monitored", reason="纳入", on=D(2020, 6, 10))
    c.refresh_from_db()
    return c


def _income_2020(case: Any, fen: int) -> None:
    from jingzhun.registry.models import IncomeRecord, Person

    person = Person.objects.filter(household=case.household).order_by("id").first()
    IncomeRecord.objects.update_or_create(person=person, year=2020, defaults={"wages_fen": fen})


def test_income_exactly_at_the_line_passes_one_fen_below_does_not(decided: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases import actions

    _income_2020(decided, 1_199_999)  # 11 999.99 ÷ 2 = 5 999.995 < 6 000
    # compared exactly, and said so: not "6 000.00 a person below 6 000.00" (5 999.995 rounds to 6 000.00)
    assert actions.elimination_blockers(decided, ON) == [
        "近 12 个月家庭纯收入 11,999.99 元低于监测线 6,000.00 元 × 2 人 = 12,000.00 元（人均 5999.995 元）"
    ]
    with pytest.raises(ValidationError, match="低于监测线"):
        actions.eliminate(actor(personas["tom"]), decided, reason="稳定", on=ON)
    _income_2020(decided, 1_200_000)  # 12 000 ÷ 2 = 6 000: "≥ monitoring_line"
    assert actions.elimination_blockers(decided, ON) == []
    actions.eliminate(actor(personas["tom"]), decided, reason="务工收入稳定", on=ON)
    decided.refresh_from_db()
    assert decided.state == "eliminated"


def test_a_failed_housing_check_blocks_and_the_relocation_flat_unblocks(
    decided: Any, personas: Any, actor: Any
) -> None:
    from jingzhun.monitoring.cases import actions
    from jingzhun.registry.models import Household

    _income_2020(decided, 2_000_000)
    Household.objects.filter(pk=decided.household_id).update(housing_grade="D", relocated_keys=False)
    with pytest.raises(ValidationError, match="住房安全无保障"):
        actions.eliminate(actor(personas["tom"]), decided, reason="稳定", on=ON)
    Household.objects.filter(pk=decided.household_id).update(relocated_keys=True)
    actions.eliminate(actor(personas["tom"]), decided, reason="已搬迁入住", on=ON)
    decided.refresh_from_db()
    assert decided.state == "eliminated"


def test_never_without_labour_capacity_whatever_the_income(decided: Any, personas: Any, actor: Any) -> None:
    from jingzhun.monitoring.cases import actions
    from jingzhun.registry.models import Person

    _income_2020(decided, 10_000_000)  # 50 000 a person: far above the line
    Person.objects.filter(household=decided.household).update(labour="none")
    assert actions.elimination_blockers(decided, ON) == ["家庭无劳动能力成员：不能风险消除，继续监测"]
    with pytest.raises(ValidationError, match="无劳动能力"):
        actions.eliminate(actor(personas["alice"]), decided, reason="稳定", on=ON)
    Person.objects.filter(household=decided.household).update(labour="partial")  # 弱劳动力 is labour capacity
    assert actions.elimination_blockers(decided, ON) == []
