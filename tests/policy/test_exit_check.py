"""POLICY.md §8 household exit check: each criterion at its boundary, the order of `failed`, and bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.policy.check_fields import CheckInputError
from jingzhun.policy.exit_check import CRITERIA, check_exit_document, school_age


def member(mid: str, birth: str = "1980-01-01", **over: Any) -> dict[str, Any]:
    return {
        "id": mid,
        "birth_date": birth,
        "in_school": False,
        "school_exempt_health": False,
        "medical_insured": True,
    } | over


def water(**over: Any) -> dict[str, Any]:
    return {
        "litres_per_day": "40",
        "fetch_minutes": 10,
        "days_without_water": 0,
        "quality_ok": True,
        "dry_area": False,
    } | over


def household(hid: str = "H1", members: list[dict[str, Any]] | None = None, **over: Any) -> dict[str, Any]:
    return {
        "id": hid,
        "region": "141102",
        "annual_income": "20000",
        "housing_grade": "A",
        "relocated_keys": False,
        "water": water(),
        "members": members if members is not None else [member(f"{hid}a")],
    } | over


def failed(year: int, *households: dict[str, Any]) -> list[str]:
    (result,) = check_exit_document({"households": list(households)}, year)
    return list(result.failed)


def errors(year: int, doc: Any) -> str:
    with pytest.raises(CheckInputError) as info:
        check_exit_document(doc, year)
    return "\n".join(info.value.errors)


def test_income_must_be_strictly_above_the_line_times_members() -> None:
    two = [member("A"), member("B")]
    assert failed(2019, household(members=two, annual_income="6436")) == ["income"]  # 3218 × 2, not above
    assert failed(2019, household(members=two, annual_income="6436.01")) == []


def test_2015_uses_the_2800_exit_line_not_the_2855_poverty_line() -> None:
    assert failed(2015, household(annual_income="2800.01")) == []
    assert failed(2015, household(annual_income="2800")) == ["income"]


def test_the_income_line_is_read_on_1_january_of_the_year() -> None:
    (result,) = check_exit_document({"households": [household()]}, 2020)
    line = result.rules.parameters[0]
    assert (line.name, line.value, line.since.isoformat()) == ("exit_income_line", 4000, "2020-01-01")


def test_a_birthday_on_1_september_counts_as_reached() -> None:
    assert school_age(dt.date(2004, 9, 1), 2019) == 15
    assert school_age(dt.date(2004, 9, 2), 2019) == 14
    adult = member("P")
    # turns 16 on 1 September 2019: no longer school age
    assert failed(2019, household(members=[adult, member("C", "2003-09-01")])) == []
    # one day younger: still 15, out of school → fails
    assert failed(2019, household(members=[adult, member("C", "2003-09-02")])) == ["schooling"]
    # turns 6 on 1 September 2019: school age
    assert failed(2019, household(members=[adult, member("C", "2013-09-01")])) == ["schooling"]
    assert failed(2019, household(members=[adult, member("C", "2013-09-02")])) == []


def test_a_health_exemption_counts_as_schooling() -> None:
    child = member("C", "2010-01-01", school_exempt_health=True)
    assert failed(2019, household(members=[member("P"), child])) == []


def test_every_member_must_be_medically_insured() -> None:
    assert failed(2019, household(members=[member("A"), member("B", medical_insured=False)])) == ["medical"]


@pytest.mark.parametrize(
    ("grade", "relocated", "fails"),
    [("A", False, False), ("B", False, False), ("C", False, True), ("D", False, True), ("D", True, False)],
)
def test_housing_needs_grade_a_or_b_or_the_relocation_keys(grade: str, relocated: bool, fails: bool) -> None:
    got = failed(2019, household(housing_grade=grade, relocated_keys=relocated))
    assert got == (["housing"] if fails else [])


@pytest.mark.parametrize(
    ("over", "fails"),
    [
        ({"litres_per_day": "35"}, False),
        ({"litres_per_day": "34.99"}, True),
        ({"litres_per_day": "20", "dry_area": True}, False),
        ({"litres_per_day": "19.99", "dry_area": True}, True),
        ({"fetch_minutes": 20}, False),
        ({"fetch_minutes": 21}, True),
        ({"days_without_water": 36}, False),
        ({"days_without_water": 37}, True),
        ({"quality_ok": False}, True),
    ],
)
def test_water_thresholds_from_2019(over: dict[str, Any], fails: bool) -> None:
    assert failed(2019, household(water=water(**over))) == (["water"] if fails else [])


def test_water_is_not_a_criterion_in_2018_and_is_neither_required_nor_validated() -> None:
    without = household()
    del without["water"]
    assert failed(2018, without) == []
    assert failed(2018, household(water={"litres_per_day": 1.5, "nonsense": True})) == []
    (result,) = check_exit_document({"households": [without]}, 2018)
    assert [c.code for c in result.criteria()] == ["income", "schooling", "medical", "housing"]


def test_water_is_required_from_2019() -> None:
    without = household()
    del without["water"]
    assert "户 H1，饮水情况 [water]：缺少字段 (missing field)" in errors(2019, {"households": [without]})


def test_failed_criteria_come_in_policy_order_each_once() -> None:
    kids = [member("A", medical_insured=False), member("B", "2010-01-01"), member("C", "2011-01-01")]
    got = failed(2019, household(members=kids, annual_income="0", housing_grade="D", water=water(quality_ok=False)))
    assert got == list(CRITERIA)


def test_every_input_error_is_listed_by_household_member_and_field() -> None:
    doc = {
        "households": [
            household("H1", annual_income=1200.5, housing_grade="E", region="999999", colour="red"),
            household("H1", members=[member("M1", "2001-02-30", in_school="yes")], annual_income="-1"),
            household("H3", members=[member("M1")], annual_income="1.234"),
            household("H4", members=[]),
            household("H5", water=water(fetch_minutes=-1, litres_per_day="many")),
        ]
    }
    text = errors(2019, doc)
    for expected in (
        "户 H1，未知字段 [colour]：未知字段 (unknown field)",
        '户 H1，家庭年纯收入 [annual_income]：金额应写成字符串（元），如 "1200"，得到 1200.5',
        "户 H1，住房等级 [housing_grade]：取值须为 A | B | C | D，得到 'E'",
        "户 H1，行政区划 [region]：未知区划代码",
        "户 H1，户编号 [id]：户编号重复 (duplicate id)",
        "户 H1，成员 M1，出生日期 [birth_date]：不是有效日期 YYYY-MM-DD: '2001-02-30'",
        "户 H1，成员 M1，在校 [in_school]：应为 true 或 false，得到 'yes'",
        "户 H1，家庭年纯收入 [annual_income]：金额不得为负数: '-1'",
        "户 H3，成员 M1，成员编号 [id]：成员编号在文档中重复（已见于户 H1）",
        "户 H3，家庭年纯收入 [annual_income]：金额最多两位小数（分）: '1.234'",
        "户 H4，家庭成员 [members]：应为非空列表",
        "户 H5，往返取水时间（分钟） [water.fetch_minutes]：应为不小于 0 的整数，得到 -1",
        "户 H5，每人每日可用水量（升） [water.litres_per_day]：不是有效数值: 'many'",
    ):
        assert expected in text, f"missing {expected!r} in:\n{text}"


def test_a_year_without_a_parameter_value_is_an_input_error() -> None:
    text = errors(2013, {"households": [household()]})
    assert text == "评估年度 2013 [--year]：无参数: exit_income_line, 141102, 2013-01-01"


def test_a_document_without_households_is_rejected() -> None:
    assert "家庭列表 [households]：应为非空列表" in errors(2019, {"households": []})
    assert "未知字段 [year]" in errors(2019, {"households": [household()], "year": 2019})
