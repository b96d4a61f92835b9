"""身份证号 of list rows: what is usable, what goes to fuzzy matching and why."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jingzhun.crosscheck.ids import BLANK, convert_15, normalise_id, normalise_ids
from jingzhun.registry.idnumber import make_id_number

VALID = make_id_number("141102", dt.date(1962, 5, 1), 5, "M")


def test_a_valid_18_digit_number_is_usable_as_written_and_in_common_misspellings() -> None:
    x_number = next(
        make_id_number("141102", dt.date(1950, 1, 1) + dt.timedelta(days=d), 1, "F")
        for d in range(400)
        if make_id_number("141102", dt.date(1950, 1, 1) + dt.timedelta(days=d), 1, "F").endswith("X")
    )
    full_width = VALID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert normalise_id(VALID) == (VALID, None)
    assert normalise_id(f"  {VALID} ") == (VALID, None)
    assert normalise_id(full_width) == (VALID, None)
    assert normalise_id(x_number[:17] + "x") == (x_number, None)


def test_a_15_digit_old_number_becomes_the_18_digit_number_of_the_same_person() -> None:
    old = VALID[:6] + VALID[8:17]
    assert len(old) == 15
    assert convert_15(old) == VALID
    assert normalise_id(old) == (VALID, None)


def test_unusable_numbers_say_why_in_chinese() -> None:
    wrong_check = VALID[:17] + ("0" if VALID[17] != "0" else "1")
    number, problem = normalise_id(wrong_check)
    assert number is None and problem is not None and "校验码" in problem
    assert normalise_id("1411021962050100")[1] == "身份证号应为 18 位，实际 16 位"
    assert normalise_id("14110262130100A")[1] == "15 位旧身份证号须全为数字"
    assert normalise_id("")[1] == BLANK
    assert normalise_id(None) == (None, BLANK)
    bad_date = make_id_number("141102", dt.date(1962, 5, 1), 5, "M")[:10] + "1399" + "0011"
    assert normalise_id(bad_date)[0] is None


def test_the_column_form_keeps_row_order_and_parses_repeated_values_alike() -> None:
    old = VALID[:6] + VALID[8:17]
    out = normalise_ids(pl.Series([VALID, None, old, "garbage", VALID]))
    assert out["id18"].to_list() == [VALID, None, VALID, None, VALID]
    assert out["id_problem"].to_list()[:2] == [None, BLANK]
    assert out["id_problem"][3] is not None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.builds(
                lambda days, seq, male: make_id_number(
                    "141102", dt.date(1900, 1, 1) + dt.timedelta(days=days), seq, "M" if male else "F"
                ),
                st.integers(0, 45000),
                st.integers(0, 499),
                st.booleans(),
            ),
            st.text(alphabet="0123456789Xx １２３４５６７８９０Ｘ-", min_size=0, max_size=20),
        ),
        min_size=1,
        max_size=30,
    ),
    st.data(),
)
def test_the_column_form_agrees_with_the_one_value_form(values: list[str], data: st.DataObject) -> None:
    # mutate some valid numbers: a digit changed, the 15-digit form, lower-case x, spaces
    mutated = []
    for v in values:
        how = data.draw(st.sampled_from(["keep", "digit", "old", "lower", "space"]))
        if how == "digit" and len(v) == 18:
            i = data.draw(st.integers(0, 17))
            v = v[:i] + data.draw(st.sampled_from("0123456789X")) + v[i + 1 :]
        elif how == "old" and len(v) == 18 and v[6:8] == "19":
            v = v[:6] + v[8:17]
        elif how == "lower":
            v = v.lower()
        elif how == "space":
            v = f" {v[:6]} {v[6:]} "
        mutated.append(v)
    column = normalise_ids(pl.Series(mutated, dtype=pl.String))
    assert list(zip(column["id18"], column["id_problem"], strict=True)) == [normalise_id(v) for v in mutated]


def test_the_gb_11643_worked_example_by_hand() -> None:
    """110105491231002 (15 digits, a woman born 1949-12-31) is 11010519491231002X: "19" inserted before the
    year, then the check digit — Σ dᵢ·wᵢ = 167, 167 mod 11 = 2 → "X"; any other last character is refused."""
    assert convert_15("110105491231002") == "11010519491231002X"
    assert normalise_id("110105491231002") == ("11010519491231002X", None)
    assert normalise_id("11010519491231002x") == ("11010519491231002X", None)
    for wrong in "0123456789":
        number, problem = normalise_id("11010519491231002" + wrong)
        assert number is None and problem is not None and "校验码" in problem
    column = normalise_ids(pl.Series(["110105491231002", "110105194912310021", "11010519491231002X"]))
    assert column["id18"].to_list() == ["11010519491231002X", None, "11010519491231002X"]
