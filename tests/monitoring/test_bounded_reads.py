"""The monitoring pages' reads rewritten for 10⁵ households (bench/bench_monitor_pages.py) list the same rows:
待甄别 rows by region (EXISTS over a row's candidates instead of a DISTINCT join from every person), the 三率一度
population and the 监测规模 counts (counted from households instead of reading every person)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from jingzhun.core.actions import Actor
from jingzhun.monitoring.crosscheck.queries import ambiguities_for
from jingzhun.monitoring.models.crosscheck import Ambiguity
from jingzhun.registry.models import Person, Region
from tests.monitoring.crosscheck.test_ambiguous import BORN, tie  # noqa: F401 (the fixture)
from tests.staff import make_household

pytestmark = pytest.mark.django_db


def _joined(actor: Actor) -> set[int]:
    """The rows as the page read them before: a DISTINCT join from every person of the region."""
    people = Person.objects.filter(household__village__code__startswith=actor.scope)
    if actor.role == "assigned_cadre":
        people = people.filter(household__assigned_cadre=actor.user)
    return set(Ambiguity.objects.filter(candidates__in=people).distinct().values_list("pk", flat=True))


def test_each_persona_reads_the_same_ambiguous_rows(tie: dict[str, Any], regions: dict[str, Any], login: Any) -> None:  # noqa: F811
    row = Ambiguity.objects.get()
    elsewhere = make_household(regions["v12"], "1411020010020031", "王建军", birth=BORN)
    row.candidates.add(elsewhere.persons.get())  # a row whose candidates span two villages
    for name in ("alice", "tom", "victor", "carl", "audrey", "zoe", "root"):
        login(name)
        actor = Actor.for_user(User.objects.get(username=name))
        assert set(ambiguities_for(actor).values_list("pk", flat=True)) == _joined(actor), name
    other = Actor.for_user(User.objects.get(username="victor"))
    assert row.pk in set(ambiguities_for(other).values_list("pk", flat=True))
    v12 = Region.objects.get(code=regions["v12"].code)
    assert v12.code != regions["v11"].code
    page = login("alice").get("/monitoring/crosscheck/").content.decode()
    assert 'id="ambiguous-rows"' in page and "1411020010020031" in page
    assert 'id="ambiguous-rows"' not in login("zoe").get("/monitoring/crosscheck/").content.decode()


def test_the_county_population_and_poor_are_its_active_persons(world: dict[str, Any]) -> None:
    from jingzhun.monitoring.exit.queries import NOT_EXITED, county_figures
    from jingzhun.registry.models import Household

    Household.objects.filter(pk=world["own_other"].pk).update(status="exited_supported")  # not poor any more
    county = Region.objects.get(code="141102")
    people = [p for p in Person.objects.select_related("household__village") if p.status == "active"]
    here = [p for p in people if p.household.village.code.startswith("141102")]
    poor = [
        p
        for p in here
        if p.household.registered_year is not None and p.household.status in NOT_EXITED and p.household.active
    ]
    figures = county_figures(county, 2020)
    assert (figures.population, figures.poor) == (len(here), len(poor))
    assert figures.population > figures.poor > 0
    assert len(people) > len(here)  # another county's persons are left out


def test_the_share_counts_are_the_regions_active_persons(world: dict[str, Any]) -> None:
    from jingzhun.monitoring.cases.queries import share_warning

    Person.objects.filter(household=world["own"]).update(status="active")
    world["own"].monitored = True
    world["own"].save()
    people = [
        p
        for p in Person.objects.select_related("household__village")
        if p.status == "active" and p.household.active and p.household.village.code.startswith("141102")
    ]
    registered = [p for p in people if p.household.registered_year is not None and p.household.status]
    watched = [p for p in people if p.household.monitored and (p in registered or p.household.marginal)]
    w = share_warning("141102", dt.date(2020, 6, 1))
    assert (w.monitored, w.registered) == (len(watched), len(registered))
    assert w.monitored > 0
