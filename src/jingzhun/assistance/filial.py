"""孝亲敬老奖励 (filial-piety reward): from 子女赡养费 records to the engine's ``support_payments``.

POLICY.md §5 ``filial_reward`` is yearly and assessed at the Double Ninth (重阳节, the ninth day of the
ninth lunar month). The pure rule (``policy/programs/filial_reward.py``) pays a household once, in the
month of the latest date of its records of a calendar year, and takes the parent's age on the first of that
month. So this module hands the engine, for each household and parent, the support counted for one year,
dated on that year's Double Ninth: the reward falls due in the Double Ninth's month (October in every year
the program ran) and the parent must be 60 on the first of it. The Double Ninth of a year is computed from
the lunar calendar (``lunardate``, 1900–2099); a year outside it is refused with a Chinese message.

Which year a payment counts for (this project's reading of "the support paid during the year"): the year
of the first Double Ninth on or after the day it was paid — the twelve months up to an assessment count
for it, so a payment made after one Double Ninth is counted at the next one, never lost nor counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import Sum
from lunardate import LunarDate

from jingzhun.assistance.filial_models import SupportPayment

PROGRAM = "filial_reward"
FAMILY = "filial_reward"
FIRST_YEAR, LAST_YEAR = 1900, 2099  # the years lunardate's table of lunar months covers


class OutsideCalendar(ValueError):
    """A year whose Double Ninth cannot be computed; the message says so in Chinese."""


def in_calendar(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


@cache
def double_ninth(year: int) -> dt.date:
    """农历九月初九 of ``year`` in the Gregorian calendar (``lunardate``: 2019-10-07, 2020-10-25, 2021-10-14)."""
    if not in_calendar(year):
        raise OutsideCalendar(f"无法推算 {year} 年的重阳节（农历九月初九）：农历日历只覆盖 {FIRST_YEAR}–{LAST_YEAR} 年")
    day: dt.date = LunarDate(year, 9, 9).to_solar_date()  # 九月 itself, never a 闰九月
    return day


def assessment_year(paid_on: dt.date) -> int:
    """The year of the first Double Ninth on or after ``paid_on`` (:class:`OutsideCalendar` beyond it)."""
    year = paid_on.year
    return year if paid_on <= double_ninth(year) else double_ninth(year + 1).year


def payment_month(year: int) -> dt.date:
    """The first of the month in which the reward of ``year`` is paid."""
    return double_ninth(year).replace(day=1)


def support_documents(
    first: dt.date, region_prefix: str = "", *, household_pks: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """The engine's ``support_payments`` for the month ``first``: empty unless it is a Double Ninth month.

    One entry per household and parent: ``{household: household_no, parent: str(person pk), amount_paid:
    yuan text, date: the Double Ninth}``, sorted, so equal records give an equal month-run snapshot.
    """
    year = first.year
    if not in_calendar(year) or payment_month(year) != first:
        return []
    rows = SupportPayment.objects.filter(
        assessment_year=year, household__village__code__startswith=region_prefix, voided_at__isnull=True
    )
    if household_pks is not None:
        rows = rows.filter(household_id__in=list(household_pks))
    totals = rows.values("household__household_no", "parent_id").annotate(fen=Sum("amount_fen"))
    day = double_ninth(year).isoformat()
    return sorted(
        (
            {
                "household": t["household__household_no"],
                "parent": str(t["parent_id"]),
                "amount_paid": f"{Decimal(t['fen']) / 100:.2f}",
                "date": day,
            }
            for t in totals
        ),
        key=lambda d: (d["household"], d["parent"]),
    )


def reward_fen(household: Any, year: int) -> int | None:
    """The reward the engine computes for ``household``'s records of ``year``, in fen — exactly what the
    Double Ninth month's run computes (the household's document of that month, the same rule). ``None``
    when the household has no member in that month (nothing to compute)."""
    from jingzhun.policy.engine import compute_document
    from jingzhun.registry.documents import household_document

    first = payment_month(year)
    document = household_document(f"{first:%Y-%m}", household_ids=[household.pk])
    if not document["households"]:
        return None
    members = {m["id"] for h in document["households"] for m in h["members"]}
    support = support_documents(first, household_pks=[household.pk])
    document["support_payments"] = [s for s in support if s["parent"] in members]
    result = compute_document(document, f"{first:%Y-%m}").households[0]
    return sum(line.amount_fen for line in result.lines if line.program == PROGRAM)
