"""Month-dated membership: a death, a move-in or a merge changes the months from its date on, never before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.ledger.models import PaymentLine
from jingzhun.ledger.runs import run_month
from jingzhun.registry import actions
from tests.ledger.factories import make_household

pytestmark = pytest.mark.django_db
OLD = {"birth_date": dt.date(1936, 5, 1)}


def run(*months: str, system: Any) -> list[str]:
    return [run_month(month, actor=system).kind for month in months]


@pytest.fixture
def couple(county: dict[str, Any]) -> Any:
    return make_household(
        county["v11"], "COUPLE", members=[OLD, {**OLD, "sex": "F", "birth_date": dt.date(1937, 2, 3)}]
    )


def test_a_death_stops_the_member_from_the_month_after_and_leaves_earlier_months_alone(
    couple: Any, system: Any
) -> None:
    assert run("2020-06", "2020-07", "2020-08", system=system) == ["regular"] * 3
    spouse = couple.persons.get(relation="spouse")
    assert PaymentLine.objects.filter(person=spouse, month=dt.date(2020, 8, 1)).exists()
    actions.record_death(system, spouse, date=dt.date(2020, 7, 10))
    assert run("2020-06", "2020-07", system=system) == ["noop", "noop"]  # a member on 1 June and on 1 July
    august = run_month("2020-08", actor=system)
    added = PaymentLine.objects.filter(run_id=august.run_id)
    assert set(added.values_list("household_id", flat=True)) == {couple.pk}
    assert set(added.values_list("kind", flat=True)) == {"adjustment"}
    spouse_net = sum(
        PaymentLine.objects.filter(person=spouse, month=dt.date(2020, 8, 1)).values_list("amount_fen", flat=True)
    )
    assert spouse_net == 0 and added.filter(person=spouse, amount_fen__lt=0).exists()
    assert all(r.startswith(("停发", "重算调整")) for r in added.values_list("reason", flat=True))
    assert run("2020-08", system=system) == ["noop"]


def test_a_death_on_the_first_day_stops_that_month(couple: Any, system: Any) -> None:
    run("2020-07", system=system)
    spouse = couple.persons.get(relation="spouse")
    actions.record_death(system, spouse, date=dt.date(2020, 7, 1))
    stop = run_month("2020-07", actor=system)
    assert stop.kind == "adjustment"
    assert sum(PaymentLine.objects.filter(person=spouse).values_list("amount_fen", flat=True)) == 0


def test_the_last_member_dying_closes_the_household_but_not_its_past_months(
    county: dict[str, Any], system: Any
) -> None:
    household = county["households"][0]
    assert run("2020-06", system=system) == ["regular"]
    actions.record_death(system, household.persons.get(), date=dt.date(2020, 7, 20))
    household.refresh_from_db()
    assert not household.active
    assert run("2020-06", "2020-07", system=system) == ["noop", "regular"]
    assert PaymentLine.objects.filter(household=household, month=dt.date(2020, 7, 1)).exists()
    run("2020-08", system=system)
    assert not PaymentLine.objects.filter(household=household, month=dt.date(2020, 8, 1)).exists()


def test_a_move_in_counts_from_the_first_month_it_was_a_member_on_the_first_day(couple: Any, system: Any) -> None:
    assert run("2020-06", "2020-07", "2020-08", system=system) == ["regular"] * 3
    from jingzhun.registry.idnumber import make_id_number

    newcomer = actions.add_person(
        system,
        couple,
        date=dt.date(2020, 7, 15),
        id_number=make_id_number("141102", dt.date(1935, 1, 9), 321, "M"),
        name="迁入老人",
        relation="other",
        birth_date=dt.date(1935, 1, 9),
        sex="M",
        self_care="full",
        labour="partial",
        student="none",
        capable_supporter=True,  # not a 特困 person: joins the 低保 household
    )
    assert run("2020-06", "2020-07", system=system) == ["noop", "noop"]
    august = run_month("2020-08", actor=system)
    assert august.kind == "adjustment"
    added = PaymentLine.objects.filter(run_id=august.run_id)
    assert set(added.values_list("household_id", flat=True)) == {couple.pk}
    assert added.filter(person=newcomer, kind="payment").exists()  # 高龄补贴 for the newcomer
    assert not PaymentLine.objects.filter(person=newcomer, month__lt=dt.date(2020, 8, 1)).exists()


def test_a_merge_leaves_the_source_household_paid_for_the_months_before(county: dict[str, Any], system: Any) -> None:
    source, into = county["households"][0], county["households"][1]
    assert run("2020-06", system=system) == ["regular"]
    moved = source.persons.get()
    actions.merge_households(system, source, into, date=dt.date(2020, 7, 1))
    assert run("2020-06", system=system) == ["noop"]
    run("2020-07", system=system)
    assert not PaymentLine.objects.filter(household=source, month=dt.date(2020, 7, 1)).exists()
    assert PaymentLine.objects.filter(household=source, person=moved, month=dt.date(2020, 6, 1)).exists()
    assert PaymentLine.objects.filter(household=into, person=moved, month=dt.date(2020, 7, 1)).exists()
