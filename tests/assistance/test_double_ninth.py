"""The Double Ninth (重阳节, 农历九月初九) of any year is computed from the lunar calendar, and a year outside the
calendar is refused in Chinese (a 赡养费 record is dated 2014 on, and never in the future, so one never meets it)."""

from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.assistance.filial import OutsideCalendar, assessment_year, double_ninth, payment_month

# The 紫金山天文台 almanac (the table this module used to carry); 2014 has a 闰九月 after the Double Ninth.
ALMANAC = {
    2014: dt.date(2014, 10, 2),
    2015: dt.date(2015, 10, 21),
    2016: dt.date(2016, 10, 9),
    2017: dt.date(2017, 10, 28),
    2018: dt.date(2018, 10, 17),
    2019: dt.date(2019, 10, 7),
    2020: dt.date(2020, 10, 25),
    2021: dt.date(2021, 10, 14),
    2022: dt.date(2022, 10, 4),
    2023: dt.date(2023, 10, 23),
    2024: dt.date(2024, 10, 11),
    2025: dt.date(2025, 10, 29),
    2026: dt.date(2026, 10, 18),
    2027: dt.date(2027, 10, 8),
}


@pytest.mark.parametrize(("year", "day"), sorted(ALMANAC.items()))
def test_the_double_ninth_is_the_almanacs(year: int, day: dt.date) -> None:
    assert double_ninth(year) == day
    assert payment_month(year) == day.replace(day=1)


def test_a_payment_counts_at_the_next_double_ninth_in_any_year() -> None:
    assert assessment_year(dt.date(2019, 10, 7)) == 2019
    assert assessment_year(dt.date(2019, 10, 8)) == 2020
    assert assessment_year(dt.date(2021, 10, 15)) == 2022
    assert assessment_year(dt.date(2040, 1, 2)) == 2040  # past the old table's 2027: computed, not looked up


@pytest.mark.parametrize("year", [1899, 2100])
def test_a_year_outside_the_calendar_is_refused_in_chinese(year: int) -> None:
    with pytest.raises(OutsideCalendar) as refused:
        double_ninth(year)
    assert str(refused.value) == f"无法推算 {year} 年的重阳节（农历九月初九）：农历日历只覆盖 1900–2099 年"
