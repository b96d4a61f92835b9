"""What every program of one household and month reads: ages, 特困 persons, the 低保 household test.

Ages are completed years on the first day of the month (POLICY.md §0): a birthday on the 1st counts in
its own month, any later day from the next month; a 29 February birthday is reached on 1 March in
common years — which the plain (month, day) comparison against day 1 already gives.
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
class DibaoTest:
    """The 低保 household (POLICY.md §3): members who are not 特困, S, y and eligibility."""

    calc: Calc
    members: tuple[Member, ...]
    n: int
    annual_standard: Fraction
    eligible: bool
    _monthly: Fraction | None = None

    @property
    def standard(self) -> Fraction:
        """S, the monthly standard (annual / 12), computed when a program needs it."""
        if self._monthly is None:
            self._monthly = self.annual_standard / 12
        return self._monthly


@dataclass
class HouseholdMonth:
    household: Household
    month: dt.date
    params: Mapping[str, Resolved]
    document: Document
    people: Mapping[str, Member]
    ages: dict[str, int]
    tekun: dict[str, Calc]
    dibao: DibaoTest
    _member_template: Calc | None = None

    def calc(self) -> Calc:
        return Calc(self.params)

    def dibao_member_calc(self) -> Calc:
        """The start of a person line that depends on the household receiving 低保: the fact, S and its
        parameter — the full 低保 test is explained once, on the household's ``dibao`` line."""
        if self._member_template is None:
            c = Calc(self.params)
            c.step("receives_dibao", self.dibao.eligible)
            c.param(f"dibao.standard.{self.household.area}")
            c.step("monthly_standard_S", self.dibao.standard)
            self._member_template = c
        return self._member_template.fork()

    @property
    def month_key(self) -> str:
        return f"{self.month.year:04d}-{self.month.month:02d}"

    def in_month(self, day: dt.date) -> bool:
        return (day.year, day.month) == (self.month.year, self.month.month)
