"""服刑 in the 返贫预警 assessment: a member serving a sentence on the 1st of M is out of the household's size
and income sums for M, as in the month run, and the household's flag follows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)


def _jail(person: Any, start: dt.date, end: dt.date | None = None) -> None:
    from jingzhun.registry.custody import CustodyTerm

    CustodyTerm.objects.create(person=person, start=start, end=end, note="测试", recorded_by="test")


def _docs() -> dict[int, Any]:
    from jingzhun.monitoring.cases.assess import build_documents
    from jingzhun.policy.monitoring import monitoring_rules
    from jingzhun.policy.params import load_parameters

    rules = monitoring_rules(load_parameters(), JUNE)
    return {int(d.id): d for d in build_documents("141102", JUNE, rules)}


def _assessed(doc: Any) -> Any:
    from jingzhun.policy.monitoring import assess_household, monitoring_rules
    from jingzhun.policy.params import load_parameters

    return assess_household(doc, monitoring_rules(load_parameters(), JUNE))


def _flags(actor: Any) -> dict[int, tuple[list[str], str]]:
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import RiskFlag

    run_assessment(JUNE, actor=actor, region_prefix="141102", on=dt.date(2020, 6, 2))
    return {f.household_id: (f.flags, f.level) for f in RiskFlag.objects.filter(month=JUNE)}


def test_a_prisoner_without_income_out_of_the_size_lifts_the_household_off_the_flag(household: Any) -> None:
    from jingzhun.core.actions import Actor

    # 2 persons, 10 000 a year: 5 000 a person < the monitoring line 6 000 → income_low; alone, 10 000 → none
    h = household(members=[{}, {}], incomes={2019: 1_000_000})
    assert _assessed(_docs()[h.pk]).flags == ("income_low",)  # both counted
    prisoner = h.persons.order_by("id")[1]
    _jail(prisoner, dt.date(2020, 5, 20))  # serving on 1 June
    doc = _docs()[h.pk]
    assert (doc.size, doc.income_12m_fen, doc.income_prev_year_fen) == (1, 1_000_000, 1_000_000)
    assert h.pk not in _flags(Actor.system("test"))


def test_a_prisoner_with_income_no_longer_shares_it_and_the_household_is_flagged(household: Any) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.registry.models import IncomeRecord

    # the head earns 20 000, the spouse 2 000: 11 000 a person, fine; the head in prison leaves 2 000 for one
    h = household(members=[{}, {}], incomes={2019: 2_000_000})
    head, spouse = h.persons.order_by("id")
    IncomeRecord.objects.create(person=spouse, year=2019, wages_fen=200_000)
    assert _docs()[h.pk].size == 2 and not _assessed(_docs()[h.pk]).flags
    _jail(head, dt.date(2019, 10, 1))
    doc = _docs()[h.pk]
    assert (doc.size, doc.income_12m_fen) == (1, 200_000)
    assert _flags(Actor.system("test"))[h.pk] == (["income_low"], "red")


def test_a_term_that_starts_after_the_first_or_has_ended_by_it_counts_the_member(household: Any) -> None:
    h = household(members=[{}, {}, {}], incomes={2019: 1_000_000})
    first, second, third = h.persons.order_by("id")
    _jail(second, dt.date(2020, 6, 2))  # from 2 June: still home on 1 June
    _jail(third, dt.date(2019, 1, 1), dt.date(2020, 6, 1))  # 刑满释放 on 1 June: home again
    _jail(first, dt.date(2020, 6, 1))  # from 1 June: out
    doc = _docs()[h.pk]
    assert (doc.size, doc.income_12m_fen) == (2, 0)


def test_one_custody_query_for_the_run(household: Any) -> None:
    from jingzhun.registry.custody import CustodyTerm

    homes = [household(members=[{}, {}], incomes={2019: 1_000_000}) for _ in range(3)]
    for h in homes:
        _jail(h.persons.order_by("id")[1], dt.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        docs = _docs()
    assert [docs[h.pk].size for h in homes] == [1, 1, 1]
    table = CustodyTerm._meta.db_table
    assert sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries) == 1


def test_the_county_officer_runs_the_month_on_the_page_and_the_prisoner_is_left_out(
    household: Any, personas: Any, settings: Any
) -> None:
    from django.test import Client

    from jingzhun.monitoring.models.cases import Case, RiskFlag

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    poor = household(members=[{}, {}], incomes={2019: 1_000_000})  # 5 000 a person with both: flagged
    spared = household(members=[{}, {}], incomes={2019: 1_000_000})  # the same, but one member in prison
    _jail(spared.persons.order_by("id")[1], dt.date(2020, 2, 1))
    alice = Client()
    assert alice.login(username="alice", password="pw-12345678")
    response = alice.post("/monitoring/cases/run/", {"month": "2020-06", "region": ""})
    assert response.status_code == 302
    assert "新开案件 1 件" in alice.get(response["Location"]).content.decode()
    assert set(RiskFlag.objects.filter(month=JUNE).values_list("household_id", "size")) == {(poor.pk, 2)}
    assert Case.objects.get().household_id == poor.pk
