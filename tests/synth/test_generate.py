"""The files import cleanly: the template's headers and labels, valid unique IDs, consistent households."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jingzhun.registry import columns as c
from jingzhun.registry.idnumber import make_id_number, parse_id_number
from jingzhun.synth.generate import generate_county
from jingzhun.synth.idnumbers import id_numbers, serials
from tests.synth.conftest import HOUSEHOLDS, County


def test_headers_are_the_import_template(county: County) -> None:
    assert tuple(county.rows.columns) == c.HEADERS
    assert county.regions.columns == ["区域代码", "名称", "层级", "上级代码"]


def test_every_household_and_person_is_there(county: County) -> None:
    assert county.rows["户编号"].n_unique() == HOUSEHOLDS == county.result.households
    assert county.rows.height == county.result.persons
    assert 2.8 <= county.rows.height / HOUSEHOLDS <= 3.0


def test_required_columns_are_filled(county: County) -> None:
    for col in c.COLUMNS:
        if col.required:
            assert county.rows[col.header].null_count() == 0, col.header


def test_enum_and_yes_no_cells_use_the_template_labels(county: County) -> None:
    for col in c.COLUMNS:
        values = county.rows[col.header].drop_nulls()
        if col.kind in ("enum", "bool"):
            assert set(values.unique()) <= set(col.choices), col.header
        elif col.kind == "multi_enum":
            assert set(itertools.chain.from_iterable(values.str.split("、").to_list())) <= set(col.choices), col.header


def test_every_id_number_is_valid_unique_and_matches_birth_date_and_sex(county: County) -> None:
    rows = county.rows.select("身份证号", "出生日期", "性别").iter_rows()
    for number, birth, sex in rows:
        parsed = parse_id_number(number)
        assert parsed.birth_date.isoformat() == birth
        assert c.SEX[sex] == parsed.sex
    assert county.rows["身份证号"].n_unique() == county.rows.height


@settings(max_examples=50, deadline=None)
@given(
    births=st.lists(st.dates(dt.date(1915, 1, 1), dt.date(2020, 6, 30)), min_size=1, max_size=40),
    sexes=st.lists(st.booleans(), min_size=40, max_size=40),
)
def test_vectorised_numbers_equal_the_one_at_a_time_ones(births: list[dt.date], sexes: list[bool]) -> None:
    days = np.array([(b - dt.date(1970, 1, 1)).days for b in births], dtype=np.int64)
    male = np.array(sexes[: len(births)])
    seq = serials(days, male)
    expected = [
        make_id_number("141102", b, int(s), "M" if m else "F") for b, s, m in zip(births, seq, male, strict=True)
    ]
    assert id_numbers("141102", days, male).to_list() == expected


def test_exactly_one_head_per_household(county: County) -> None:
    heads = county.rows.group_by("户编号").agg((pl.col("与户主关系") == "户主").sum().alias("heads"))
    assert heads["heads"].unique().to_list() == [1]


def test_household_columns_are_the_same_on_every_row(county: County) -> None:
    household_headers = [col.header for col in c.HOUSEHOLD_COLUMNS]
    distinct = county.rows.select(household_headers).unique().height
    assert distinct == HOUSEHOLDS


def test_ages_agree_with_relations(persons: pl.DataFrame) -> None:
    head = persons.filter(pl.col("与户主关系") == "户主").select("户编号", pl.col("age").alias("head_age"))
    df = persons.join(head, on="户编号")
    gap = pl.col("head_age") - pl.col("age")
    assert df.filter(pl.col("与户主关系") == "户主")["age"].min() >= 18
    assert df.filter(pl.col("与户主关系").is_in(["配偶", "儿媳", "女婿"]))["age"].min() >= 18
    assert df.filter(pl.col("与户主关系") == "子女").select(gap.min()).item() >= 16
    assert df.filter(pl.col("与户主关系") == "孙子女").select(gap.min()).item() >= 36
    assert df.filter(pl.col("与户主关系") == "父母").select(gap.max()).item() <= -16
    assert df.filter(pl.col("与户主关系") == "祖父母").select(gap.max()).item() <= -36
    assert persons["age"].min() >= 0
    assert persons["age"].max() <= 100


def test_spouses_are_of_the_other_sex(county: County) -> None:
    couples = county.rows.filter(pl.col("与户主关系").is_in(["户主", "配偶"])).group_by("户编号").agg(pl.col("性别"))
    pairs = couples.filter(pl.col("性别").list.len() == 2)["性别"].list.sort().to_list()
    assert pairs and all(p == ["女", "男"] for p in pairs)


def test_villages_are_in_the_regions_file_with_the_right_parents(county: County) -> None:
    regions = county.regions
    townships = regions.filter(pl.col("层级") == "乡镇")
    villages = regions.filter(pl.col("层级") == "村")
    assert set(regions["层级"].unique()) == {"乡镇", "村"}
    assert 10 <= townships.height <= 12
    assert regions["区域代码"].n_unique() == regions.height
    assert all(code.startswith("141102") and code.endswith("000") and len(code) == 12 for code in townships["区域代码"])
    assert set(townships["上级代码"].unique()) == {"141102"}
    for code, parent in villages.select("区域代码", "上级代码").iter_rows():
        assert len(code) == 12 and code.startswith("141102") and code[-3:] != "000"
        assert parent == code[:9] + "000"
    assert set(villages["上级代码"].unique()) <= set(townships["区域代码"])
    assert set(county.rows["村代码"].unique()) <= set(villages["区域代码"])
    per_township = villages.group_by("上级代码").len()["len"]
    assert 12 <= per_township.mean() <= 40


def test_incomes_are_non_negative_yuan_with_at_most_two_decimals(county: County) -> None:
    for header in ["工资性收入", "种养殖收入", "经营性收入", "财产性收入", "转移性收入"]:
        values = county.rows[header]
        assert values.null_count() == 0
        assert values.str.contains(r"^\d+(\.\d{1,2})?$").all(), header


def test_registered_households_have_a_year_status_date_and_cadre(county: County) -> None:
    hh = county.rows.filter(pl.col("与户主关系") == "户主")
    reg = hh.filter(pl.col("建档立卡年份").is_not_null())
    assert set(reg["建档立卡年份"].unique()) <= {"2014", "2015", "2016"}
    assert (
        reg.select(
            pl.sum_horizontal(pl.col("户状态", "状态日期", "致贫原因", "帮扶责任人", "帮扶人电话").null_count())
        ).item()
        == 0
    )
    assert (reg["状态日期"].str.slice(0, 4).cast(pl.Int64) >= reg["建档立卡年份"].cast(pl.Int64)).all()
    assert reg["帮扶人电话"].str.contains(r"^1\d{10}$").all()
    assert reg.group_by("帮扶责任人", "帮扶人电话").len()["len"].max() <= 5
    other = hh.filter(pl.col("建档立卡年份").is_null())
    assert (
        other.select(pl.min_horizontal(pl.col("户状态", "状态日期", "致贫原因", "帮扶责任人").null_count())).item()
        == other.height
    )


def test_bank_accounts_are_nineteen_digits_with_a_luhn_check(county: County) -> None:
    accounts = county.rows.filter(pl.col("与户主关系") == "户主")["银行账号"].drop_nulls()
    assert accounts.len() > 0.9 * HOUSEHOLDS
    for account in accounts.to_list()[:2000]:
        assert len(account) == 19 and account.isdigit()
        digits = [int(d) for d in reversed(account)]
        assert (sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])) % 10 == 0


def test_pupils_by_age_and_rare_dropouts(persons: pl.DataFrame) -> None:
    years = pl.col("age")
    compulsory = persons.filter(pl.col("在校情况") == "义务教育")
    assert compulsory["age"].min() >= 6 and compulsory["age"].max() < 16
    assert persons.filter(pl.col("在校情况") == "学前")["age"].max() < 6
    assert persons.filter(pl.col("在校情况") == "大专及以上")["age"].min() >= 18
    school_age = persons.filter((years >= 7) & (years <= 14))
    assert (school_age["在校情况"] == "义务教育").mean() > 0.99
    dropouts = persons.filter(pl.col("辍学") == "是")
    assert 0 < dropouts.height < 0.01 * school_age.height
    assert (dropouts["在校情况"] == "非在校").all()
    assert persons.filter(pl.col("在校情况") != "非在校")["学校"].null_count() == 0


def test_disability_details_only_for_disabled_persons(county: County) -> None:
    rows = county.rows
    none = rows.filter(pl.col("残疾等级").is_null())
    assert (
        none.select(pl.min_horizontal(pl.col("残疾类别", "第二代残疾证", "需长期照护").null_count())).item()
        == none.height
    )
    disabled = rows.filter(pl.col("残疾等级").is_not_null())
    assert set(disabled["残疾等级"].unique()) == {"1", "2", "3", "4"}
    assert disabled["残疾类别"].null_count() == 0
    assert disabled.filter(pl.col("残疾等级").is_in(["3", "4"]))["需长期照护"].eq("否").all()


def test_same_seed_same_bytes_and_another_seed_other_bytes(tmp_path: Path) -> None:
    a = generate_county("141102", 3000, 7, tmp_path / "a")
    b = generate_county("141102", 3000, 7, tmp_path / "b")
    other = generate_county("141102", 3000, 8, tmp_path / "c")
    assert a.households_path.read_bytes() == b.households_path.read_bytes()
    assert a.regions_path.read_bytes() == b.regions_path.read_bytes()
    assert a.households_path.read_bytes() != other.households_path.read_bytes()


def test_xlsx_holds_the_same_rows_and_is_reproducible(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    a = generate_county("141102", 200, 3, tmp_path / "a", "xlsx")
    b = generate_county("141102", 200, 3, tmp_path / "b", "xlsx")
    csv = generate_county("141102", 200, 3, tmp_path / "c", "csv")
    assert a.households_path.suffix == ".xlsx"
    assert a.households_path.read_bytes() == b.households_path.read_bytes()
    sheet = load_workbook(a.households_path, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == c.HEADERS
    expected = pl.read_csv(csv.households_path, infer_schema=False)
    assert len(rows) - 1 == expected.height
    ids = c.HEADERS.index("身份证号")
    assert [r[ids] for r in rows[1:]] == expected["身份证号"].to_list()


@pytest.mark.parametrize("region", ["141123", "141181", "141130"])
def test_other_counties_get_their_own_codes_and_townships(region: str, tmp_path: Path) -> None:
    result = generate_county(region, 1500, 1, tmp_path)
    regions = pl.read_csv(result.regions_path, infer_schema=False)
    rows = pl.read_csv(result.households_path, infer_schema=False)
    assert regions["区域代码"].str.starts_with(region).all()
    assert rows["村代码"].str.starts_with(region).all()
    assert rows["身份证号"].str.slice(0, 6).is_in([region, *_old_code(region)]).all()


def _old_code(region: str) -> list[str]:
    from jingzhun.synth.idnumbers import OLD_CODES

    return [OLD_CODES[region]]


def test_unknown_county_and_format_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="未知的县级区划代码"):
        generate_county("110101", 10, 1, tmp_path)
    with pytest.raises(ValueError, match="未知的格式"):
        generate_county("141102", 10, 1, tmp_path, "json")


def test_a_full_birth_date_continues_under_the_old_prefecture_code() -> None:
    days = np.full(700, (dt.date(1960, 3, 1) - dt.date(1970, 1, 1)).days, dtype=np.int64)
    male = np.zeros(700, dtype=bool)
    numbers = id_numbers("141102", days, male).to_list()
    assert len(set(numbers)) == 700
    assert sum(n.startswith("141102") for n in numbers) == 500
    assert sum(n.startswith("142301") for n in numbers) == 200  # 离石市, 吕梁地区 before 2004
    for number in numbers:
        parsed = parse_id_number(number)
        assert (parsed.birth_date, parsed.sex) == (dt.date(1960, 3, 1), "F")
    with pytest.raises(ValueError, match="人数超过"):
        id_numbers("141102", np.full(1001, 0, dtype=np.int64), np.zeros(1001, dtype=bool))
