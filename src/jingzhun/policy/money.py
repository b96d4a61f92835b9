"""Exact money: parameters and inputs become ``fractions.Fraction`` yuan; each line is rounded once.

POLICY.md §0 asks for exact arithmetic and a single half-up rounding to the fen at the end of each
payment line. Rationals (not ``Decimal``) keep ``4853 / 12`` exact until that one rounding, which is
what lets the integer-fen batch engine agree with the reference path to the fen.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$", re.ASCII)  # ASCII digits only: no full-width ０１２


def parse_decimal(text: str) -> Fraction:
    """``"4853"`` or ``"0.3"`` → an exact rational; raises ``ValueError`` on anything else."""
    text = text.strip()
    if not _DECIMAL.match(text):
        raise ValueError(f"not a decimal number: {text!r}")
    whole, _, frac = text.partition(".")
    if not frac:
        return Fraction(int(whole))
    return Fraction(int(whole + frac), 10 ** len(frac))


def decimals(text: str) -> int:
    """How many digits a decimal string has after its point (``"12.50"`` → 2)."""
    _, _, frac = text.strip().partition(".")
    return len(frac)


def round_fen(yuan: Fraction) -> int:
    """Half-up to the fen: 121.325 yuan → 12133 fen (floor(100·yuan + ½), in integers). Never negative."""
    n, d = yuan.numerator, yuan.denominator
    return (200 * n + d) // (2 * d)


def fen_to_str(fen: int) -> str:
    """12133 → ``"121.33"`` (two decimals, as JSON output writes money)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def fen_to_grouped(fen: int) -> str:
    """123456 → ``"1,234.56"``: yuan with thousands separators, as the staff and public pages show money."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def fen_to_decimal(fen: int) -> Decimal:
    """12133 → ``Decimal("121.33")``: exact yuan for a spreadsheet cell or a form's initial value (never a float)."""
    return Decimal(int(fen)).scaleb(-2)


def decimal_to_fen(value: Decimal | None) -> int | None:
    """A form's yuan (a DecimalField of two places, so exact) in integer fen; blank stays None."""
    return None if value is None else int(value * 100)


def yuan_to_fen(text: str | int | Decimal) -> int:
    """``"1200.5"`` → 120050. Refuses negatives, floats' noise and more than two decimals (ValueError, Chinese)."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueError(f"「{text}」不是金额") from None
    if not value.is_finite():
        raise ValueError(f"「{text}」不是金额")
    if value < 0:
        raise ValueError(f"金额「{text}」不能为负数")
    if value != value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        raise ValueError(f"金额「{text}」最多两位小数")
    return int(value * 100)


def fraction_to_str(value: Fraction, places: int = 6) -> str:
    """An exact decimal when the rational terminates, else rounded half-up to ``places`` digits and "…"."""
    return _fraction_to_str(value.numerator, value.denominator, places)


@lru_cache(maxsize=8192)
def _fraction_to_str(numerator: int, denominator: int, places: int) -> str:
    if denominator == 1:
        return str(numerator)
    sign = "-" if numerator < 0 else ""
    numerator = abs(numerator)
    rest = denominator
    twos = fives = 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest == 1:
        digits = max(twos, fives)
        scaled = numerator * 10**digits // denominator
    else:
        digits = places
        scaled = (numerator * 10**digits * 2 + denominator) // (2 * denominator)
    text = f"{scaled:0{digits + 1}d}"
    return f"{sign}{text[:-digits]}.{text[-digits:]}" + ("" if rest == 1 else "…")
