import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingzhun.registry.idnumber import IdNumberError, make_id_number, mask_id_number, parse_id_number


def test_published_example_number_passes_and_decodes() -> None:
    # GB 11643's worked example: 11010519491231002X, a woman born 1949-12-31.
    parsed = parse_id_number("11010519491231002x")
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "F"
    assert parsed.number.endswith("X")


def test_wrong_check_digit_is_refused_naming_the_right_one() -> None:
    with pytest.raises(IdNumberError, match="校验码错误（末位应为 X）"):
        parse_id_number("110105194912310021")


@pytest.mark.parametrize("raw", ["1101051949123100", "11010519491231002Y", "110105194913310029"])
def test_malformed_numbers_are_refused(raw: str) -> None:
    with pytest.raises(IdNumberError):
        parse_id_number(raw)


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    seq=st.integers(0, 499),
    sex=st.sampled_from(["M", "F"]),
)
def test_made_numbers_round_trip(birth: dt.date, seq: int, sex: str) -> None:
    parsed = parse_id_number(make_id_number("141102", birth, seq, sex))
    assert (parsed.region, parsed.birth_date, parsed.sex) == ("141102", birth, sex)


def test_mask_keeps_four_and_four() -> None:
    assert mask_id_number("141102195001011234") == "1411**********1234"
