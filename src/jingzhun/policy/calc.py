"""A line's calculation as named steps: the formula records what it reads, and that record is the explanation.

Programs compute through a :class:`Calc`: ``c.input`` for facts from the document, ``c.param`` for dated
parameters (remembering the date and level each value came from), ``c.step`` for intermediate values,
``c.line`` for the single half-up rounding to the fen. ``explain.py`` only formats what was recorded, so
the explanation can never drift from the arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypeVar

from jingzhun.policy.money import fen_to_str, fraction_to_str, round_fen
from jingzhun.policy.params import Resolved, Value

Json = str | int | bool | None | list["Json"] | dict[str, "Json"]
T = TypeVar("T")


@dataclass(frozen=True)
class ParamUse:
    name: str
    value: str
    since: dt.date
    region: str
    level: str
    default: bool
    date_assumed: bool


@dataclass
class Line:
    """One non-zero payment line: household line when ``member`` is None."""

    program: str
    member: str | None
    amount_fen: int
    persons: int
    inputs: dict[str, Json] = field(default_factory=dict)
    steps: dict[str, Json] = field(default_factory=dict)
    parameters: list[ParamUse] = field(default_factory=list)


def to_json(value: object) -> Json:
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Fraction):
        return fraction_to_str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | frozenset | set):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    return str(value)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(to_json(value))


class Calc:
    def __init__(self, params: Mapping[str, Resolved]) -> None:
        self._params = params
        self.inputs: dict[str, Json] = {}
        self.steps: dict[str, Json] = {}
        self.used: dict[str, ParamUse] = {}

    def fork(self) -> Calc:
        """A copy to continue from: household-level steps shared by each member's line."""
        other = Calc(self._params)
        other.inputs, other.steps, other.used = dict(self.inputs), dict(self.steps), dict(self.used)
        return other

    def input(self, key: str, value: T) -> T:
        self.inputs[key] = to_json(value)
        return value

    def step(self, key: str, value: T) -> T:
        self.steps[key] = to_json(value)
        return value

    def param(self, name: str, *keys: str) -> Value:
        resolved = self._params[name]
        value = resolved.leaf(*keys)
        label = name + "".join(f"[{k}]" for k in keys)
        self.used[label] = ParamUse(
            label,
            _text(value),
            resolved.since,
            resolved.region,
            resolved.level,
            resolved.default,
            resolved.date_assumed,
        )
        return value

    def number(self, name: str, *keys: str) -> Fraction:
        value = self.param(name, *keys)
        assert isinstance(value, Fraction | int) and not isinstance(value, bool), name
        return Fraction(value)

    def integer(self, name: str) -> int:
        value = self.param(name)
        assert isinstance(value, int) and not isinstance(value, bool), name
        return value

    def flag(self, name: str) -> bool:
        value = self.param(name)
        assert isinstance(value, bool), name
        return value

    def line(self, program: str, member: str | None, amount: Fraction, persons: int = 1) -> Line | None:
        """Round half-up to the fen once; a zero line is left out."""
        fen = round_fen(amount)
        self.steps["amount_exact"] = to_json(amount)
        self.steps["amount"] = fen_to_str(fen)
        if fen == 0:
            return None
        return Line(program, member, fen, persons, dict(self.inputs), dict(self.steps), list(self.used.values()))
