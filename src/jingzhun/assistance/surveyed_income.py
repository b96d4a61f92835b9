"""The 入户调查's verified income becomes the household's registered income for the survey's year.

Called inside :func:`~.actions.record_survey`'s transaction when the income is marked 已核实: the
registry's own action (``set_household_incomes``, one audit row per member row written) records the
surveyed total spread over the members as ``policy.income_scale`` describes, so the amount the township
and the county see, the amount approved and the month run all count the surveyed income. An unverified
figure changes nothing in the registry.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from jingzhun.core.actions import Actor
from jingzhun.policy.income_scale import SOURCES, scale_incomes


def registered_total(household: Any, year: int) -> tuple[int | None, int]:
    """(the latest income year ≤ ``year`` or None, its total in fen) as the policy engine counts it."""
    from jingzhun.registry.models import IncomeRecord

    rows = IncomeRecord.objects.filter(person__household=household, year__lte=year)
    latest = rows.aggregate(y=Max("year"))["y"]
    if latest is None:
        return None, 0
    return int(latest), sum(r.total_fen for r in rows.filter(year=latest))


def apply_surveyed_income(actor: Actor, household: Any, year: int, total_fen: int) -> dict[str, Any]:
    """Write ``total_fen`` as the household's income for ``year``; returns what the step records
    (``{"year", "before_fen", "before_year", "rows"}``)."""
    from jingzhun.registry.actions import set_household_incomes
    from jingzhun.registry.models import IncomeRecord, PersonStatus

    members = list(household.persons.filter(status=PersonStatus.ACTIVE).order_by("id"))
    order = {"head": 0}
    members.sort(key=lambda p: (order.get(p.relation, 1), p.pk))
    before_year, before_fen = registered_total(household, year)
    base: dict[Any, dict[str, int]] = {}
    if before_year is not None:
        for row in IncomeRecord.objects.filter(person__in=members, year=before_year):
            base[row.person] = {s: getattr(row, s) for s in SOURCES}
    # members whose own row for the year would otherwise keep counting are written too (zeros)
    keyed = {p.pk: p for p in members}
    scaled = scale_incomes({p.pk: v for p, v in base.items()}, total_fen, [p.pk for p in members])
    written = set_household_incomes(actor, year, {keyed[pk]: fen for pk, fen in scaled.items()})
    return {"year": year, "before_year": before_year, "before_fen": before_fen, "after_fen": total_fen, "rows": written}
