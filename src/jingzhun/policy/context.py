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
