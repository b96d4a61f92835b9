"""POLICY.md §8 返贫预警: each flag at its boundary, who is assessed, the event window, levels, bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.policy.check_fields import CheckInputError
from jingzhun.policy.monitoring import assess_document

JUNE_2020 = dt.date(2020, 6, 1)


def household(hid: str = "H1", **over: Any) -> dict[str, Any]:
    """An exited household of 2 with nothing wrong: 14 000 ≥ 6000 × 2, steady income, no costs."""
    return {
        "id": hid,
        "category": "exited",
        "size": 2,
        "income_12m": "14000",
        "income_prev_year": "14000",
        "rigid_costs_12m": "0",
        "hospital_oop_12m": "0",
        "labour_capacity": True,
        "checks": {"schooling": True, "medical": True, "housing": True, "water": True},
        "events": [],
    } | over


def assess(month: dt.date, **over: Any) -> tuple[list[str], str | None]:
    (result,) = assess_document({"households": [household(**over)]}, month)
    return list(result.flags), result.level


def errors(doc: Any, month: dt.date = JUNE_2020) -> str:
    with pytest.raises(CheckInputError) as info:
        assess_document(doc, month)
    return "\n".join(info.value.errors)


def test_a_steady_household_has_no_flag_and_no_level() -> None:
    assert assess(JUNE_2020) == ([], None)


def test_income_low_is_strictly_below_the_monitoring_line_times_size() -> None:
    assert assess(JUNE_2020, income_12m="12000", income_prev_year="12000") == ([], None)
    assert assess(JUNE_2020, income_12m="11999.99", income_prev_year="12000") == (["income_low"], "yellow")


def test_rigid_costs_must_exceed_the_previous_year_income() -> None:
    assert assess(JUNE_2020, rigid_costs_12m="14000") == ([], None)
    assert assess(JUNE_2020, rigid_costs_12m="14000.01") == (["rigid_costs"], "yellow")


def test_income_drop_is_below_seven_tenths_of_the_previous_year() -> None:
    assert assess(JUNE_2020, income_12m="14000", income_prev_year="20000") == ([], None)
    assert assess(JUNE_2020, income_12m="14000", income_prev_year="20000.02") == (["income_drop"], "yellow")


def test_hospital_oop_must_exceed_ten_thousand() -> None:
    assert assess(JUNE_2020, hospital_oop_12m="10000") == ([], None)
    assert assess(JUNE_2020, hospital_oop_12m="10000.01") == (["hospital_oop"], "yellow")


def test_a_failed_check_is_a_red_flag() -> None:
    checks = {"schooling": True, "medical": True, "housing": True, "water": False}
    assert assess(JUNE_2020, checks=checks) == (["water"], "red")


def test_an_event_counts_from_the_same_day_a_year_before_until_the_day_before_the_month() -> None:
    assert assess(JUNE_2020, events=[{"kind": "disaster", "date": "2019-06-01"}]) == (["disaster"], "yellow")
    assert assess(JUNE_2020, events=[{"kind": "disaster", "date": "2020-05-31"}]) == (["disaster"], "yellow")
    assert assess(JUNE_2020, events=[{"kind": "disaster", "date": "2019-05-31"}]) == ([], None)
    assert assess(JUNE_2020, events=[{"kind": "disaster", "date": "2020-06-01"}]) == ([], None)


def test_flags_follow_policy_order_and_each_event_kind_counts_once() -> None:
    events = [
        {"kind": "work_interrupted", "date": "2020-01-01"},
        {"kind": "severe_disability", "date": "2020-02-01"},
        {"kind": "work_interrupted", "date": "2020-03-01"},
    ]
    flags, level = assess(JUNE_2020, events=events, hospital_oop_12m="20000", rigid_costs_12m="15000")
    assert flags == ["rigid_costs", "hospital_oop", "severe_disability", "work_interrupted"]
    assert level == "orange"


def test_red_when_income_is_below_the_poverty_line_times_size() -> None:
    # 7999.99 < 4000 × 2 → red although income_low is the only flag
    assert assess(JUNE_2020, income_12m="7999.99", income_prev_year="7999.99") == (["income_low"], "red")
    assert assess(JUNE_2020, income_12m="8000", income_prev_year="8000") == (["income_low"], "yellow")


def test_other_households_get_only_sudden_hardship_and_only_from_2021() -> None:
    events = [{"kind": "sudden_hardship", "date": "2020-11-01"}, {"kind": "disaster", "date": "2020-11-01"}]
    poor_other = {"category": "other", "income_12m": "100", "events": events}
    assert assess(dt.date(2020, 12, 1), **poor_other) == ([], None)
    assert assess(dt.date(2021, 1, 1), **poor_other) == (["sudden_hardship"], "red")


def test_marginal_households_get_sudden_hardship_before_2021() -> None:
    events = [{"kind": "sudden_hardship", "date": "2020-03-01"}]
    assert assess(JUNE_2020, category="marginal", events=events) == (["sudden_hardship"], "red")


def test_registered_households_are_not_monitored() -> None:
    assert assess(JUNE_2020, category="registered", income_12m="0", hospital_oop_12m="50000") == ([], None)


def test_months_before_2020_have_no_parameter() -> None:
    text = errors({"households": [household()]}, dt.date(2019, 12, 1))
    assert text == "评估月份 2019-12 [--month]：无参数: monitoring_line, 000000, 2019-12-01"
    assert assess(dt.date(2020, 1, 1)) == ([], None)


def test_every_input_error_is_listed_by_household_and_field() -> None:
    doc = {
        "households": [
            household("H1", size=0, category="poor", income_12m=1.5, labour_capacity="yes", colour=1),
            household("H1", size=True, income_prev_year="-3", rigid_costs_12m="1.001"),
            household("H3", checks={"schooling": True}, events=[{"kind": "flood", "date": "2020-02-30"}, {}]),
        ]
    }
    text = errors(doc)
    for expected in (
        "户 H1，未知字段 [colour]：未知字段 (unknown field)",
        "户 H1，家庭人口 [size]：应为不小于 1 的整数，得到 0",
        "户 H1，监测类别 [category]：取值须为 exited | marginal | registered | other，得到 'poor'",
        '户 H1，近 12 个月家庭纯收入 [income_12m]：金额应写成字符串（元），如 "1200"，得到 1.5',
        "户 H1，有劳动能力 [labour_capacity]：应为 true 或 false，得到 'yes'",
        "户 H1，户编号 [id]：户编号重复 (duplicate id)",
        "户 H1，家庭人口 [size]：应为不小于 1 的整数，得到 True",
        "户 H1，上年家庭纯收入 [income_prev_year]：金额不得为负数: '-3'",
        "户 H1，近 12 个月刚性支出 [rigid_costs_12m]：金额最多两位小数（分）: '1.001'",
        "户 H3，基本医疗有保障 [checks.medical]：缺少字段 (missing field)",
        "户 H3，事件类型 [events[1].kind]：取值须为 severe_disability",
        "户 H3，事件日期 [events[1].date]：不是有效日期 YYYY-MM-DD: '2020-02-30'",
        "户 H3，事件类型 [events[2].kind]：缺少字段 (missing field)",
        "户 H3，事件日期 [events[2].date]：缺少字段 (missing field)",
    ):
        assert expected in text, f"missing {expected!r} in:\n{text}"
    assert "得到 None" not in text  # a missing field is reported once, not again as a wrong type
