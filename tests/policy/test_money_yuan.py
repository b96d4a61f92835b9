"""Yuan text ↔ integer fen, without floats."""

from __future__ import annotations

import pytest

from jingzhun.policy.money import fen_to_str, yuan_to_fen


@pytest.mark.parametrize(("text", "fen"), [("1200", 120_000), ("1200.5", 120_050), ("0.01", 1), (" 7 ", 700), (3, 300)])
def test_yuan_text_becomes_exact_fen(text: str, fen: int) -> None:
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize(
    ("text", "message"), [("-1", "不能为负数"), ("0.001", "最多两位小数"), ("abc", "不是金额"), ("NaN", "不是金额")]
)
def test_bad_amounts_are_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        yuan_to_fen(text)


def test_fen_prints_as_two_decimal_yuan() -> None:
    assert [fen_to_str(f) for f in (0, 5, 120_050, -250)] == ["0.00", "0.05", "1200.50", "-2.50"]
