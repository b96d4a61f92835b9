"""Households for the 返贫预警 tests, built through the registry's own action, and the personas' actors."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

_serial = itertools.count(1)


@pytest.fixture
def actor() -> Callable[[Any], Any]:
    from jingzhun.core.actions import Actor

    return Actor.for_user


@pytest.fixture
def household(regions: dict[str, Any]) -> Callable[..., Any]:
    """``household("v11", members=[{...}], incomes={2019: fen, 2020: fen}, status="exited_supported", marginal=False)``.

    Each member dict overrides a working-age adult; ``incomes`` are recorded as wages of the first member."""
    from jingzhun.core.actions import Actor
    from jingzhun.registry.actions import create_household
    from jingzhun.registry.idnumber import make_id_number
    from jingzhun.registry.models import Household

    def make(
        village: str = "v11",
        *,
        members: list[dict[str, Any]] | None = None,
        incomes: dict[int, int] | None = None,
        status: str | None = "exited_supported",
        marginal: bool = False,
        **fields: Any,
    ) -> Any:
        n = next(_serial)
        region = regions[village]
        people = []
        for i, extra in enumerate(members or [{}]):
            birth = extra.get("birth_date", dt.date(1970, 1, 1))
            person = {
                "id_number": make_id_number(region.code[:6], birth, n * 5 + i, extra.get("sex", "M")),
                "name": f"成员{n}-{i}",
                "relation": "head" if i == 0 else "child",
                "self_care": "full",
                "labour": "full",
                "student": "none",
                **extra,
            }
            if i == 0 and incomes:
                person["incomes"] = [{"year": y, "wages_fen": fen} for y, fen in incomes.items()]
            people.append(person)
        registered = {"registered_year": 2015, "status": status} if status else {}
        h = create_household(
            Actor.system("test"),
            household_no=f"{region.code}{n:04d}",
            village_code=region.code,
            members=people,
            **{"address": f"{region.name}{n}号", "area": "rural", "housing_grade": "A", **registered, **fields},
        )
        if marginal:
            Household.objects.filter(pk=h.pk).update(marginal=True)
            h.refresh_from_db()
        return h

    return make
