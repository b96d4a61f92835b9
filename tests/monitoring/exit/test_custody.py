"""服刑 in the exit check: a member serving a sentence on the reference day (31 December of Y, or the working
day when earlier) is not a member of the 共同生活家庭 — out of the per-capita income (neither his income nor
his head counted) and of the member checks — as in the month run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingzhun.monitoring.exit.check import check_household_db, check_households, reference_day
from jingzhun.registry.custody import CustodyTerm
from jingzhun.registry.models import Household, IncomeRecord, Person

pytestmark = pytest.mark.django_db
D = dt.date
SAFE = {
    "relocated_keys": False,
    "water_litres_per_day": "50",
    "water_fetch_minutes": 5,
    "water_days_without": 0,
    "water_quality_ok": True,
    "water_dry_area": False,
}


def _household(regions: dict[str, Any], no: str, head_fen: int, spouse_fen: int | None) -> Household:
    """Two members, all else met: the head earns ``head_fen`` in 2019, the spouse ``spouse_fen`` (None: no record)."""
    from tests.staff import make_household

    h: Household = make_household(regions["v11"], no, f"户主{no[-2:]}", others=(f"配偶{no[-2:]}",), **SAFE)
    h.persons.update(medical_insurance=True)
    head, spouse = h.persons.order_by("id")
    IncomeRecord.objects.create(person=head, year=2019, wages_fen=head_fen)
    if spouse_fen is not None:
        IncomeRecord.objects.create(person=spouse, year=2019, wages_fen=spouse_fen)
    return h


def _jail(person: Person, start: dt.date, end: dt.date | None = None) -> CustodyTerm:
    return CustodyTerm.objects.create(person=person, start=start, end=end, note="测试", recorded_by="test")


def test_a_prisoner_without_income_leaves_the_household_above_the_line(regions: dict[str, Any]) -> None:
    # 6 000 for two: 3 000 a person < the 2020 exit line 4 000; without the spouse, 6 000 for one
    h = _household(regions, "141102001001951", 600_000, None)
    assert check_household_db(h, 2020).failed == ("income",)
    spouse = h.persons.order_by("id")[1]
    _jail(spouse, D(2020, 3, 10), D(2021, 3, 1))
    assert check_household_db(h, 2020).exit_ok
    assert check_household_db(h, 2019).failed == ("income",)  # on 31 December 2019 he was home


def test_a_prisoner_with_income_no_longer_shares_it(regions: dict[str, Any]) -> None:
    # 9 000 + 1 000 for two: 5 000 a person; the head in prison leaves 1 000 for the spouse alone
    h = _household(regions, "141102001001952", 900_000, 100_000)
    assert check_household_db(h, 2020).exit_ok
    head = h.persons.order_by("id")[0]
    term = _jail(head, D(2020, 5, 1))
    result = check_household_db(h, 2020)
    assert result.failed == ("income",) and result.income_year == 2019
    CustodyTerm.objects.filter(pk=term.pk).update(end=D(2020, 12, 31))  # 刑满释放 on the reference day: home
    assert check_household_db(h, 2020).exit_ok


def test_a_prisoner_is_out_of_the_member_checks(regions: dict[str, Any]) -> None:
    h = _household(regions, "141102001001953", 1_200_000, None)
    spouse = h.persons.order_by("id")[1]
    Person.objects.filter(pk=spouse.pk).update(medical_insurance=False)
    assert check_household_db(h, 2020).failed == ("medical",)
    _jail(spouse, D(2019, 1, 1))
    assert check_household_db(h, 2020).exit_ok


def test_the_reference_day_is_the_working_day_when_earlier(regions: dict[str, Any], settings: Any) -> None:
    h = _household(regions, "141102001001954", 600_000, None)
    spouse = h.persons.order_by("id")[1]
    _jail(spouse, D(2020, 9, 1))
    assert reference_day(2020) == D(2020, 12, 31)  # the calendar is past 2020
    assert check_household_db(h, 2020).exit_ok
    settings.WORKING_MONTH = "2020-07"
    assert reference_day(2020).replace(day=1) == D(2020, 7, 1)
    assert check_household_db(h, 2020).failed == ("income",)  # in July he is not yet serving


def test_one_custody_query_per_chunk(regions: dict[str, Any]) -> None:
    homes = [_household(regions, f"14110200100196{i}", 600_000, None) for i in range(3)]
    for h in homes[:2]:
        _jail(h.persons.order_by("id")[1], D(2020, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        results = check_households([h.pk for h in homes], 2020)
    assert [results[h.pk].exit_ok for h in homes] == [True, True, False]
    table = CustodyTerm._meta.db_table
    assert sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries) == 1


def test_the_village_cadre_sees_and_proposes_the_household_once_the_prisoner_is_left_out(
    login: Any, world: Any, regions: dict[str, Any]
) -> None:
    from jingzhun.monitoring.models import ExitList

    h = _household(regions, "141102001001971", 600_000, None)
    village = "/monitoring/exit/villages/141102001001/2020/"
    victor = login("victor")
    assert f'value="{h.pk}"' not in victor.get(village).content.decode()  # 3 000 a person: not proposable
    _jail(h.persons.order_by("id")[1], D(2020, 4, 1))
    assert f'value="{h.pk}"' in victor.get(village).content.decode()
    response = victor.post(village + "propose/", {"household": [h.pk], "date": "2020-06-01"}, follow=True)
    assert "已将 1 户列入" in response.content.decode() and ExitList.objects.get().entries.get().household_id == h.pk
