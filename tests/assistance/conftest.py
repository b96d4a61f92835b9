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

    Each member dict overrides the defaults of a working-age adult with no disability; ``income_fen``
    is the household's annual net income for ``income_year``, recorded on the first member.
    """
    from jingzhun.registry.idnumber import make_id_number
    from jingzhun.registry.models import Household, IncomeRecord, Person

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
        home = Household.objects.create(
            household_no=f"{region.code}{n:04d}",
            village=region,
            address=f"{region.name}{n}号",
            area=fields.pop("area", "rural"),
            housing_grade="A",
            **fields,
        )
        for i, extra in enumerate(members or [{}]):
            birth = extra.get("birth_date", dt.date(1970, 1, 1))
            sex = extra.get("sex", "M")
            person = Person.objects.create(
                household=home,
                id_number=make_id_number(region.code[:6], birth, n * 5 + i, sex),
                name=f"成员{n}-{i}",
                relation="head" if i == 0 else "child",
                sex=sex,
                self_care="full",
                labour="full",
                student="none",
                **{k: v for k, v in extra.items() if k not in ("birth_date", "sex")},
                birth_date=birth,
            )
            if i == 0 and income_fen:
                IncomeRecord.objects.create(person=person, year=income_year, wages_fen=income_fen)
        return home

    return make
