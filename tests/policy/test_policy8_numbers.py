"""POLICY.md §8's numbers, each written here by hand from the page (not read back from the YAML), so a
wrong or missing dated value fails: the two lines per year, the monitoring line, the 2020 监测规模 limit
with its deep-poverty counties, and the 三率一度 limits at their exact edge."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from jingzhun.policy import regions
from jingzhun.policy.exit_rates import county_verdict, rate, thresholds
from jingzhun.policy.params import MissingParameter, load_parameters

# year → (poverty_line, exit_income_line), POLICY.md §8 "Lines"; 2020's values stay in force after 2020.
LINES = {
    2014: ("2800", "2800"),
    2015: ("2855", "2800"),
    2016: ("2952", "2952"),
    2017: ("2952", "2952"),
    2018: ("2995", "2995"),
    2019: ("3218", "3218"),
    2020: ("4000", "4000"),
    2021: ("4000", "4000"),
    2023: ("4000", "4000"),
}
COUNTIES = (
    "141102", "141121", "141122", "141123", "141124", "141125", "141126",
    "141127", "141128", "141129", "141130", "141181", "141182",
)  # fmt: skip
DEEP = {"141123", "141124", "141126", "141127"}  # 兴县、临县、石楼县、岚县


@pytest.mark.parametrize("year", sorted(LINES))
@pytest.mark.parametrize("county", ["141102", "141130"])
def test_each_years_lines_from_1_january(year: int, county: str) -> None:
    tree = load_parameters()
    poverty, exit_line = LINES[year]
    for name, want in (("poverty_line", poverty), ("exit_income_line", exit_line)):
        got = tree.resolve(name, county, dt.date(year, 1, 1))
        assert got.value == Fraction(want), (name, year)
        assert got.since == dt.date(min(year, 2020), 1, 1)
        # the day before 1 January is still last year's value
        if year in LINES and year - 1 in LINES and year <= 2020:
            before = tree.resolve(name, county, dt.date(year - 1, 12, 31))
            assert before.value == Fraction(LINES[year - 1][0 if name == "poverty_line" else 1])
    with pytest.raises(MissingParameter):
        tree.resolve("exit_income_line", county, dt.date(2013, 12, 31))


def test_the_monitoring_line_is_6000_from_2020_and_missing_before() -> None:
    tree = load_parameters()
    for day in (dt.date(2020, 1, 1), dt.date(2020, 12, 1), dt.date(2021, 1, 1), dt.date(2022, 6, 1)):
        assert tree.resolve("monitoring_line", regions.NATIONAL, day).value == 6000
    with pytest.raises(MissingParameter):
        tree.resolve("monitoring_line", regions.NATIONAL, dt.date(2019, 12, 1))


@pytest.mark.parametrize("county", COUNTIES)
def test_the_2020_monitored_share_limit_is_10_percent_in_the_four_deep_poverty_counties_else_5(county: str) -> None:
    tree = load_parameters()
    limit = tree.resolve("monitoring.monitored_share_warning", county, dt.date(2020, 6, 1))
    assert limit.value == (Fraction(10, 100) if county in DEEP else Fraction(5, 100))
    assert tree.resolve_or_none("monitoring.monitored_share_warning", county, dt.date(2021, 1, 1)) is None
    assert tree.resolve_or_none("monitoring.monitored_share_warning", county, dt.date(2019, 12, 31)) is None


@pytest.mark.parametrize("which", ["incidence", "wrong_exit", "missed"])
def test_each_of_the_three_rates_blocks_at_exactly_2_percent_and_passes_one_step_below(which: str) -> None:
    t = thresholds("141102", 2020)
    ok = {"incidence": rate(1, 100), "wrong_exit": rate(1, 100), "missed": rate(1, 100), "approval": rate(9, 10)}
    assert county_verdict(**ok, t=t).passes
    at = county_verdict(**(ok | {which: rate(2, 100)}), t=t)
    assert not at.passes and len(at.reasons) == 1 and "未低于 2.00 %" in at.reasons[0]
    assert county_verdict(**(ok | {which: rate(19_999, 1_000_000)}), t=t).passes


def test_approval_passes_at_exactly_90_percent_and_fails_one_step_below() -> None:
    t = thresholds("141102", 2020)
    low = rate(1, 100)
    assert county_verdict(low, low, low, rate(90, 100), t).passes
    below = county_verdict(low, low, low, rate(89_999, 100_000), t)
    assert not below.passes and below.reasons == ("群众认可度 89.999 %，低于 90.00 %",)


def test_a_rate_next_to_its_limit_is_never_shown_as_the_limit() -> None:
    """39 of 1 951 persons is 1.99897… %: it passes (< 2 %), and must not read "2.00 %" beside "< 2.00 %"."""
    from jingzhun.policy.exit_rates import percent, village_passes

    t = thresholds("141102", 2020)
    near = rate(39, 1951)
    assert village_passes(near, t)
    assert percent(near, t.incidence_max) == "1.999 %"
    assert percent(rate(1, 50), t.incidence_max) == "2.00 %"  # exactly the limit: two places
    assert percent(near) == "2.00 %"  # alone, two places as before
    low = rate(1, 100)
    verdict = county_verdict(low, low, low, rate(17_999, 20_000), t)  # 89.995 %
    assert verdict.reasons == ("群众认可度 89.995 %，低于 90.00 %",)
