"""Village and county exit thresholds and the 三率一度 verdict (policy/exit_rates.py, pure)."""

from __future__ import annotations

from fractions import Fraction

from jingzhun.policy.exit_rates import county_verdict, percent, rate, thresholds, village_passes


def test_luliang_uses_two_percent_and_the_western_value_stays_a_parameter() -> None:
    import datetime as dt

    from jingzhun.policy.params import load_parameters

    t = thresholds("141102", 2020)
    assert t.incidence_max == Fraction(2, 100) and t.approval_min == Fraction(9, 10)
    western = load_parameters().resolve("exit_rates.incidence_max_western", "141102", dt.date(2020, 1, 1))
    assert western.value == Fraction(3, 100)


def test_a_village_passes_strictly_below_the_limit() -> None:
    t = thresholds("141102", 2020)
    assert village_passes(rate(19, 1000), t)
    assert not village_passes(rate(20, 1000), t)  # exactly 2 % is not below 2 %
    assert not village_passes(rate(0, 0), t)  # no population: nothing to pass on


def test_the_county_verdict_names_every_failure_and_missing_evidence() -> None:
    t = thresholds("141102", 2020)
    verdict = county_verdict(rate(1, 100), rate(1, 20), None, rate(85, 100), t)
    assert not verdict.passes
    assert verdict.reasons == (
        "错退率 5.00 %，未低于 2.00 %",
        "漏评率无数据（未录入未识别户的抽样核查）",
        "群众认可度 85.00 %，低于 90.00 %",
    )
    ok = county_verdict(rate(1, 100), rate(0, 50), rate(1, 100), rate(9, 10), t)
    assert ok.passes and ok.reasons == ()


def test_percent_rounds_half_up_to_two_places() -> None:
    assert percent(Fraction(1, 3)) == "33.33 %" and percent(Fraction(1, 800)) == "0.13 %" and percent(None) == "无数据"
