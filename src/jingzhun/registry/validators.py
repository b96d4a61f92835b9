"""Character rules for names and phone numbers, shared by the models (so every action's ``full_clean``
applies them), the staff forms and — as Polars expressions — the importer (:mod:`.parse`).

A name (姓名, 帮扶责任人) is shown on staff pages and on the public 一码清 page: it may hold any
letters, including ethnic-minority names with "·", but no ``<``, ``>`` and no control characters
(line breaks, tabs…), which only appear when markup or junk was pasted. A phone number (帮扶人电话) is
dialled from the public page: digits with ``-`` or spaces between groups, optionally a leading ``+``,
7–15 digits in all (a landline without area code up to an international mobile number).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

NAME_FORBIDDEN = r"[<>\x00-\x1f\x7f]"
PHONE_SHAPE = r"^\+?[0-9][0-9\- ]*[0-9]$"
PHONE_DIGITS = (7, 15)
PHONE_MESSAGE = "帮扶人电话只能由数字、“-”、“+”和空格组成，共 7–15 位数字，例如 13812345678 或 0358-8221234"

_name_forbidden = re.compile(NAME_FORBIDDEN)
_phone_shape = re.compile(PHONE_SHAPE)


def name_message(label: str) -> str:
    return f"{label}不能包含 <、> 或换行、制表符等控制字符"


@deconstructible
class PlainName:
    """Refuses ``<``, ``>`` and control characters in a name field labelled ``label`` (e.g. 姓名)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, value: str) -> None:
        if _name_forbidden.search(str(value)):
            raise ValidationError(name_message(self.label), code="forbidden_characters")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainName) and other.label == self.label

    def __hash__(self) -> int:
        return hash(self.label)


def phone_problem(value: str) -> str | None:
    """None when ``value`` is a plausible phone number (or empty), else the Chinese message."""
    text = str(value).strip()
    if not text:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if not _phone_shape.match(text) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        return PHONE_MESSAGE
    return None


def validate_phone(value: str) -> None:
    if message := phone_problem(value):
        raise ValidationError(message, code="phone")
