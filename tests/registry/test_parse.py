"""Column-wise parsing agrees with the one-value rules it vectorises."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jingzhun.registry import columns as c
from jingzhun.registry.idnumber import IdNumberError, make_id_number, parse_id_number
from jingzhun.registry.parse import rule_for


def parse(header: str, cells: list[str | None]) -> list[tuple[object, str | None]]:
    """(value, error) per cell, through the same three passes the importer runs."""
    col = c.BY_HEADER[header]
    rule = rule_for(col, max_len=64, today=dt.date(2026, 1, 1))
    frame = pl.DataFrame({header: cells}, schema={header: pl.String})
    frame = frame.with_columns(**rule.prep).with_columns(rule.value.alias(col.key))
    frame = frame.with_columns(rule.error.alias("!"))
    return list(zip(frame[col.key].to_list(), frame["!"].to_list(), strict=True))


def _scalar_error(raw: str) -> str | None:
    try:
        parse_id_number(raw)
    except IdNumberError as exc:
        return str(exc)
    return None


id_like = st.one_of(
    st.builds(
        lambda birth, seq, sex, pos, digit: (lambda n: n[:pos] + digit + n[pos + 1 :])(
            make_id_number("141102", birth, seq, sex)
        ),
        st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
        st.integers(0, 499),
        st.sampled_from("MF"),
        st.integers(0, 17),
        st.sampled_from("0123456789X"),
    ),
    st.text(alphabet="0123456789Xx", min_size=1, max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(id_like, min_size=1, max_size=20))
def test_vectorised_id_checks_say_what_the_scalar_check_says(raws: list[str]) -> None:
    got = [error for _, error in parse("身份证号", list(raws))]
    assert got == [_scalar_error(raw) for raw in raws]


@pytest.mark.parametrize(
    ("cell", "fen", "error"),
    [
        ("1200", 120_000, None),
        ("1200.5", 120_050, None),
        ("0.05", 5, None),
        ("0.30000000000000004", 30, None),  # an Excel formula's float noise means 0.30
        ("1.2345", None, "「1.2345」最多两位小数"),
        ("-3", None, "「-3」不能为负数"),
        ("1,200", None, "「1,200」不是数字"),
        ("1000000000", None, "「1000000000」数值过大"),
        (None, None, None),
    ],
)
def test_money_cells_become_exact_fen(cell: str | None, fen: int | None, error: str | None) -> None:
    [(value, message)] = parse("工资性收入", [cell])
    assert message == error
    if error is None:
        assert value == fen


@pytest.mark.parametrize(
    "cell", ["2020-01-05", "2020/1/5", "2020.01.05", "2020年1月5日", "20200105", "2020-01-05 00:00:00"]
)
def test_the_usual_ways_of_writing_a_date_are_read(cell: str) -> None:
    assert parse("出生日期", [cell]) == [(dt.date(2020, 1, 5), None)]


def test_a_future_date_is_refused() -> None:
    [(_, error)] = parse("状态日期", ["2030-01-01"])
    assert error == "日期 2030-01-01 不合理"


def test_choices_accept_the_chinese_label_or_the_key() -> None:
    assert parse("自理能力", ["半自理", "none", "自理"]) == [
        ("partial", None),
        ("none", None),
        (None, "「自理」不是允许的值，可选：全自理、半自理、全护理"),
    ]


def test_multi_choice_cells_accept_any_separator_and_drop_repeats() -> None:
    [(value, error)] = parse("致贫原因", ["因病，缺水;因病 、 缺技术"])
    assert (value, error) == (["illness", "lack_water", "lack_technology"], None)


def test_integers_written_by_excel_as_floats_are_read() -> None:
    assert parse("建档立卡年份", ["2016.0", "2016", "2016.5", "2010"]) == [
        (2016, None),
        (2016, None),
        (None, "「2016.5」不是整数"),
        (2010, "2010 超出范围（应在 2013–2026 之间）"),
    ]
