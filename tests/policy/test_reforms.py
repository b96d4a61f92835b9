"""Reforms: small dated overrides on top of the parameter tree, the original left untouched."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from jingzhun.policy.params import MissingParameter, load_parameters
from jingzhun.policy.reforms import ReformError, apply_reform, parse_reform

JUNE_2021 = dt.date(2021, 6, 1)


def test_a_reform_without_region_applies_everywhere_from_its_date() -> None:
    base = load_parameters()
    reformed = apply_reform(
        base, parse_reform({"changes": [{"parameter": "dibao.standard.rural", "from": "2021-01-01", "value": "5200"}]})
    )
    for region in ("141102", "141130", "141128"):
        assert reformed.resolve("dibao.standard.rural", region, JUNE_2021).value == Fraction(5200)
    assert reformed.resolve("dibao.standard.rural", "141130", dt.date(2020, 12, 1)).value == Fraction(4853)
    assert base.resolve("dibao.standard.rural", "141130", JUNE_2021).value == Fraction(4853)


def test_a_regional_reform_touches_only_that_region() -> None:
    change = {"parameter": "dibao.standard.rural", "from": "2021-01-01", "value": "5200", "region": "141130"}
    reformed = apply_reform(load_parameters(), parse_reform({"changes": [change]}))
    assert reformed.resolve("dibao.standard.rural", "141130", JUNE_2021).value == Fraction(5200)
    assert reformed.resolve("dibao.standard.rural", "141102", JUNE_2021).value == Fraction(4853)


def test_a_reform_can_repeal() -> None:
    change = {"parameter": "tekun.basic.rural", "from": "2021-01-01", "value": None}
    reformed = apply_reform(load_parameters(), parse_reform({"name": "废止", "changes": [change]}))
    with pytest.raises(MissingParameter):
        reformed.resolve("tekun.basic.rural", "141102", JUNE_2021)


def test_a_reform_is_checked_for_consistency_again() -> None:
    change = {"parameter": "tekun.basic.rural", "from": "2021-01-01", "value": {"home": "1000", "institution": "9000"}}
    reformed = apply_reform(load_parameters(), parse_reform({"changes": [change]}))
    assert any("2021-01-01 起" in warning and "1000" in warning for warning in reformed.warnings)


def test_bad_reforms_list_every_problem() -> None:
    with pytest.raises(ReformError) as info:
        parse_reform(
            {
                "changes": [
                    {"parameter": "no.such", "from": "2021-01-01", "value": "1"},
                    {"parameter": "dibao.standard.rural", "from": "yesterday", "value": "1"},
                    {"parameter": "dibao.standard.rural", "from": "2021-01-01", "value": 1.5},
                    {"parameter": "dibao.standard.rural", "from": "2021-01-01", "value": "1", "region": "999999"},
                ]
            }
        )
    text = "\n".join(info.value.errors)
    assert "未知参数 'no.such'" in text
    assert "起始日期 [from]" in text
    assert "不得用浮点数" in text
    assert "未知区划代码 '999999'" in text


def test_a_city_wide_reform_does_not_freeze_a_county_with_its_own_series() -> None:
    """Issue #13: a reform with no region from 2018 must give 离石区 (which has its own, repealed, series)
    the same value as every other county — in 2019 the reform's, from 2020 the city's next standard."""
    import datetime as dt

    from jingzhun.policy.params import load_parameters
    from jingzhun.policy.reforms import apply_reform, parse_reform

    tree = load_parameters()
    raw = {
        "name": "全市 4000",
        "changes": [{"parameter": "dibao.standard.rural", "from": "2018-01-01", "value": "4000"}],
    }
    reformed = apply_reform(tree, parse_reform(raw, tree))
    for at, expected in ((dt.date(2019, 6, 1), 4000), (dt.date(2020, 6, 1), 4853)):
        values = {code: reformed.resolve("dibao.standard.rural", code, at).value for code in ("141102", "141130")}
        assert values == {"141102": expected, "141130": expected}
    assert reformed.resolve("dibao.standard.rural", "141102", dt.date(2015, 6, 1)).value == 2484  # before: unchanged
