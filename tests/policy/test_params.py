"""Parameters: every file loads, values resolve county → city → province → national, problems are named."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from jingzhun.policy.params import MissingParameter, ParameterFileError, load_parameters

D = dt.date


def test_every_parameter_file_loads() -> None:
    tree = load_parameters()
    assert "dibao.standard.rural" in tree
    assert "tekun.care_fee" in tree


def test_county_value_wins_until_its_null_then_the_city_value_applies() -> None:
    tree = load_parameters()
    in_2015 = tree.resolve("dibao.standard.rural", "141102", D(2015, 6, 1))
    assert (in_2015.value, in_2015.level, in_2015.region, in_2015.since) == (
        Fraction(2484),
        "county",
        "141102",
        D(2015, 1, 1),
    )
    in_2020 = tree.resolve("dibao.standard.rural", "141102", D(2020, 6, 1))
    assert (in_2020.value, in_2020.level, in_2020.since) == (Fraction(4853), "city", D(2020, 1, 1))


def test_value_changes_on_its_date_not_before() -> None:
    tree = load_parameters()
    assert tree.resolve("dibao.standard.rural", "141130", D(2019, 12, 1)).value == Fraction(3744)
    assert tree.resolve("dibao.standard.rural", "141130", D(2020, 1, 1)).value == Fraction(4853)


def test_fangshan_tekun_2018_value_is_repealed_in_2020() -> None:
    tree = load_parameters()
    assert tree.resolve("tekun.basic.rural", "141128", D(2019, 6, 1)).leaf("home") == Fraction(5000)
    resolved = tree.resolve("tekun.basic.rural", "141128", D(2020, 6, 1))
    assert (resolved.leaf("institution"), resolved.region) == (Fraction(9169), "141100")


def test_no_value_at_any_level_is_an_error_not_zero() -> None:
    tree = load_parameters()
    with pytest.raises(MissingParameter, match=r"无参数: tekun.basic.urban, 141128, 2015-06-01"):
        tree.resolve("tekun.basic.urban", "141128", D(2015, 6, 1))
    with pytest.raises(MissingParameter):
        tree.resolve("dibao.standard.rural", "141130", D(2015, 6, 1))


def test_default_and_assumed_date_flags_are_carried() -> None:
    tree = load_parameters()
    city_2018 = tree.resolve("dibao.standard.rural", "141121", D(2018, 6, 1))
    assert city_2018.default and city_2018.date_assumed
    assert tree.resolve("allowances.elderly.amount", "141102", D(2020, 6, 1)).default
    assert not tree.resolve("dibao.classified.registered_poor_only", "141102", D(2020, 6, 1)).default


def test_consistency_warning_names_the_city_2018_19_values() -> None:
    warnings = load_parameters().warnings
    assert len(warnings) == 1
    (warning,) = warnings
    assert "2018-01-01 至 2019-12-31" in warning
    assert "141100 吕梁市" in warning and "3196" in warning and "4867.2" in warning
    assert "141102" not in warning and "141128" not in warning


def test_bad_files_are_reported_by_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "description: {zh: 甲, en: A}\n"
        "metadata: {unit: CNY/year, reference: x, colour: red}\n"
        "regions:\n"
        "  '141100':\n"
        "    2020-01-01: 4853.5\n"
        "    2019-01-01: '1'\n"
        "    2021-13-01: '2'\n"
        "  '999999':\n"
        "    2020-01-01: '1'\n",
        encoding="utf-8",
    )
    (tmp_path / "b.yaml").write_text("description: {zh: 乙}\nmetadata: {unit: furlong, reference: y}\nvalues: {}\n")
    with pytest.raises(ParameterFileError) as info:
        load_parameters(tmp_path)
    text = "\n".join(info.value.problems)
    assert "a.yaml: metadata.colour: 未知键" in text
    assert "a.yaml: regions.141100.2020-01-01: 金额与比率写成字符串" in text
    assert "a.yaml: regions.141100.2019-01-01: 日期须升序" in text
    assert "a.yaml: regions.141100.2021-13-01: 键应为 ISO 日期" in text
    assert "a.yaml: regions.999999: 未知区划代码" in text
    assert "b.yaml: description: 需要 zh 与 en" in text
    assert "b.yaml: metadata.unit: 未知单位" in text


def test_breakdown_values_must_name_every_member(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "description: {zh: 丙, en: C}\n"
        "metadata: {unit: CNY/year, reference: z, breakdown: [care_setting]}\n"
        "values:\n  2020-01-01: {home: '1'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterFileError, match=r"c.yaml: values.2020-01-01: 应为按 care_setting 分列"):
        load_parameters(tmp_path)


def test_urban_standards_are_city_defaults_amended_in_policy() -> None:
    """POLICY.md §2–3 (amended): urban 低保 3795 · 5040 · 6533 and urban 特困 4934 · 6552 · 8493, all 默认值."""
    tree = load_parameters()
    for year, dibao, tekun in ((2016, 3795, 4934), (2018, 5040, 6552), (2020, 6533, 8493)):
        standard = tree.resolve("dibao.standard.urban", "141102", D(year, 6, 1))
        basic = tree.resolve("tekun.basic.urban", "141102", D(year, 6, 1))
        assert (standard.value, standard.region, standard.default) == (Fraction(dibao), "141100", True)
        assert (basic.leaf("home"), basic.leaf("institution"), basic.default) == (tekun, tekun, True)
    assert tree.resolve("dibao.standard.urban", "141128", D(2019, 6, 1)).region == "141128"  # 方山's own 5040


def test_price_subsidy_triggers_apply_from_2011() -> None:
    tree = load_parameters()
    assert tree.resolve("price_subsidy.all_items_threshold", "141102", D(2011, 1, 1)).value == Fraction("3.5")
    assert tree.resolve_or_none("price_subsidy.food_threshold", "141102", D(2010, 12, 1)) is None
