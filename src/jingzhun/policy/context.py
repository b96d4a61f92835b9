"""What the event programs (临时救助, 孝亲敬老) read for one household and month, and ages.

Ages are completed years on the first day of the month (POLICY.md §0): a birthday on the 1st counts in
its own month, any later day from the next month; a 29 February birthday is reached on 1 March in
common years — which the plain (month, day) comparison against day 1 already gives. (The frame
programs compute the same with ``rules.Params.age``.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from jingzhun.policy.calc import Calc
from jingzhun.policy.document import Document, Household, Member
from jingzhun.policy.params import Resolved


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (earlier when negative), or that month's last day when it
    has no such day (30 November + 3 months = the last day of February; the 1st stays the 1st)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = (dt.date(year + (month == 11), (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))


def age_on(birth: dt.date, first_of_month: dt.date) -> int:
    """Completed years on ``first_of_month``."""
    before_birthday = (first_of_month.month, first_of_month.day) < (birth.month, birth.day)
    return first_of_month.year - birth.year - (1 if before_birthday else 0)


@dataclass
class HouseholdMonth:
    household: Household
    month: dt.date
    params: Mapping[str, Resolved]
    document: Document
    people: Mapping[str, Member]
    standard: Fraction  # S, the monthly 低保 standard of the household's area (yuan)

    def calc(self) -> Calc:
        return Calc(self.params)

    @property
    def month_key(self) -> str:
        return f"{self.month.year:04d}-{self.month.month:02d}"

    def in_month(self, day: dt.date) -> bool:
        return (day.year, day.month) == (self.month.year, self.month.month)
