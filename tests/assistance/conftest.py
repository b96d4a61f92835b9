"""Households for the assistance tests, built in the registry, and the actors of the personas."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

_serial = itertools.count(1)


@pytest.fixture
def actor() -> Callable[[Any], Any]:
    """``actor(personas["victor"])`` → the :class:`~jingzhun.core.actions.Actor` of that login."""
    from jingzhun.core.actions import Actor

    return Actor.for_user


@pytest.fixture
def household(regions: dict[str, Any]) -> Callable[..., Any]:
    """``household("v11", members=[{...}], income_fen=0)`` → a registry household in that village.

    Made through the registry's own action. Each member dict overrides the defaults of a working-age
    adult with no disability; ``income_fen`` is the household's annual net income for ``income_year``,
    recorded as wages of the first member.
    """
    from jingzhun.core.actions import Actor
    from jingzhun.registry.actions import create_household
    from jingzhun.registry.idnumber import make_id_number

    def make(
        village: str = "v11",
        *,
        members: list[dict[str, Any]] | None = None,
        income_fen: int = 0,
        income_year: int = 2019,
        **fields: Any,
    ) -> Any:
        n = next(_serial)
        region = regions[village]
        people = []
        for i, extra in enumerate(members or [{}]):
            birth = extra.get("birth_date", dt.date(1970, 1, 1))
            sex = extra.get("sex", "M")
            person = {
                "id_number": make_id_number(region.code[:6], birth, n * 5 + i, sex),
                "name": f"成员{n}-{i}",
                "relation": "head" if i == 0 else "child",
                "self_care": "full",
                "labour": "full",
                "student": "none",
                **extra,
            }
            if i == 0 and income_fen:
                person["incomes"] = [{"year": income_year, "wages_fen": income_fen}]
            people.append(person)
        return create_household(
            Actor.system("test"),
            household_no=f"{region.code}{n:04d}",
            village_code=region.code,
            members=people,
            **{"address": f"{region.name}{n}号", "area": "rural", "housing_grade": "A", **fields},
        )

    return make


@pytest.fixture
def walk(personas: dict[str, Any]) -> Callable[..., Any]:
    """``walk(app, "township_review")`` takes an application through every step up to and including the
    named one, each by the persona whose job it is (victor the village cadre, tom the township, alice the
    county), in date order from 2020-05-04 (so the 公示 has run its seven days); an application must be
    submitted by then (the tests submit on 2020-05-01)."""
    from jingzhun.assistance import actions
    from jingzhun.assistance.workflow import path_of
    from jingzhun.core.actions import Actor

    victor, tom, alice = (Actor.for_user(personas[n]) for n in ("victor", "tom", "alice"))
    day = dt.date(2020, 5, 4)
    plan: list[tuple[str, Callable[[Any], Any]]] = [
        (
            "survey",
            lambda a: actions.record_survey(
                victor, a, annual_income_fen=0, income_verified=True, assets_ok=True, surveyors=["王村", "李镇"], on=day
            ),
        ),
        (
            "democratic_review",
            lambda a: actions.record_democratic_review(
                victor, a, held_on=day, attendees=21, votes_for=19, votes_against=1
            ),
        ),
        ("notice_start", lambda a: actions.start_public_notice(victor, a, start=dt.date(2020, 5, 6))),
        ("notice_finish", lambda a: actions.finish_public_notice(victor, a, on=dt.date(2020, 5, 13))),
        (
            "township_review",
            lambda a: actions.township_review(tom, a, agree=True, opinion="情况属实", on=dt.date(2020, 5, 14)),
        ),
        ("county_decision", lambda a: actions.county_decide(alice, a, approve=True, on=dt.date(2020, 5, 20))),
    ]

    def run(app: Any, through: str) -> Any:
        """Steps already taken, and steps not on this application's path, are passed by."""
        names = [name for name, _ in plan]
        for name, step in plan[: names.index(through) + 1]:
            path = path_of(app)
            if name in path and path[name][0] == app.status:
                app = step(app)
        return app

    return run


@pytest.fixture
def county(personas: dict[str, Any]) -> Any:
    """alice, county officer of 离石区, as an actor."""
    from jingzhun.core.actions import Actor

    return Actor.for_user(personas["alice"])


@pytest.fixture
def poor(household: Any) -> Callable[..., Any]:
    """A one-person rural household with no income: 低保 (not 特困: a working-age adult who can work)."""
    return lambda village="v11", **fields: household(village, **fields)


@pytest.fixture
def well_off(household: Any) -> Callable[..., Any]:
    """A household with ¥100,000 a year: no program pays it."""
    return lambda village="v11", **fields: household(village, income_fen=10_000_000, **fields)
