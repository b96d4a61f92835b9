"""居民身份证号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence, check digit.

The sequence's last digit is odd for men and even for women. The check digit is
``(12 - sum(d_i * w_i) mod 11) mod 11`` with weights ``2^(17-i) mod 11``; 10 is written ``X``.
Pure: no Django imports, so the importer, the synthetic county and the policy engine can share it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # index: sum(d_i * w_i) mod 11


class IdNumberError(ValueError):
    """A malformed ID number; the message is Chinese and meant for the user."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    region: str
    birth_date: dt.date
    sex: str  # "M" | "F"


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse_id_number(raw: str) -> IdNumber:
    """Validate an 18-digit number and return what it encodes; raise IdNumberError otherwise."""
    number = raw.strip().upper()
    if len(number) != 18:
        raise IdNumberError(f"身份证号应为 18 位，实际 {len(number)} 位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("身份证号前 17 位须为数字，末位为数字或 X")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise IdNumberError(f"身份证号校验码错误（末位应为 {expected}）")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"身份证号中的出生日期无效：{number[6:14]}") from None
    if birth.year < 1880:
        raise IdNumberError(f"身份证号中的出生日期无效：{number[6:14]}")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumber(number=number, region=number[:6], birth_date=birth, sex=sex)


def make_id_number(region: str, birth_date: dt.date, sequence: int, sex: str) -> str:
    """Build a valid number (for the synthetic county and tests). ``sequence`` 0–499 picks the serial."""
    serial = (sequence % 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth_date:%Y%m%d}{serial:03d}"
    return first17 + check_digit(first17)


def mask_id_number(number: str) -> str:
    """``1411**********1234``: the first four and last four digits, as shown everywhere but detail pages."""
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else "*" * len(number)
