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
    """A parameter value a formula read: the leaf ``value`` of ``resolved`` (its date and level)."""

    name: str
    value: object
    resolved: Resolved

    @property
    def since(self) -> dt.date:
        return self.resolved.since


@dataclass
class Line:
    """One non-zero payment line: household line when ``member`` is None.

    ``inputs`` and ``steps`` hold the raw values the formula recorded; ``explain.py`` formats them.
    """

    program: str
    member: str | None
    amount_fen: int
    persons: int
    inputs: dict[str, object] = field(default_factory=dict)
    steps: dict[str, object] = field(default_factory=dict)
    parameters: list[ParamUse] = field(default_factory=list)


def to_json(value: object) -> Json:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value  # type: ignore[return-value]
    if kind is Fraction:
        return fraction_to_str(value)  # type: ignore[arg-type]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | frozenset | set):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, Fraction | int):
        return to_json(Fraction(value)) if isinstance(value, Fraction) else int(value)
    return str(value)


def text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(to_json(value))


class Calc:
    """Records as it computes. ``quiet=True`` computes the same way and records nothing (for tests
    whose outcome is needed for everyone but whose explanation only for those who qualify).

    ``fork()`` starts a child that sees everything recorded so far (a household test shared by each
    member's line) without copying it; the parent is frozen from then on, so a child's explanation can
    never pick up a step recorded later for someone else.
    """

    def __init__(self, params: Mapping[str, Resolved], *, quiet: bool = False, parent: Calc | None = None) -> None:
        self._params = params
        self.quiet = quiet
        self.parent = parent
        self.frozen = False
        self.inputs: dict[str, object] = {}
        self.steps: dict[str, object] = {}
        self.used: dict[str, ParamUse] = {}

    @property
    def params(self) -> Mapping[str, Resolved]:
        return self._params

    def fork(self) -> Calc:
        self.frozen = True
        return Calc(self._params, quiet=self.quiet, parent=self)

    def input(self, key: str, value: T) -> T:
        if not self.quiet:
            assert not self.frozen, "recording on a Calc after fork()"
            self.inputs[key] = value
        return value

    def step(self, key: str, value: T) -> T:
        if not self.quiet:
            assert not self.frozen, "recording on a Calc after fork()"
            self.steps[key] = value
        return value

    def param(self, name: str, *keys: str) -> Value:
        resolved = self._params[name]
        value = resolved.leaf(*keys) if keys else resolved.value
        if not self.quiet:
            label = name + "".join(f"[{k}]" for k in keys) if keys else name
            if label not in self.used:
                assert not self.frozen, "recording on a Calc after fork()"
                self.used[label] = ParamUse(label, value, resolved)
        return value

    def number(self, name: str, *keys: str) -> Fraction:
        value = self.param(name, *keys)
        if type(value) is Fraction:
            return value
        assert isinstance(value, int) and not isinstance(value, bool), name
        return Fraction(value)

    def integer(self, name: str) -> int:
        value = self.param(name)
        assert type(value) is int, name
        return value

    def flag(self, name: str) -> bool:
        value = self.param(name)
        assert isinstance(value, bool), name
        return value

    def _chain(self) -> list[Calc]:
        chain: list[Calc] = []
        node: Calc | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        chain.reverse()
        return chain

    def line(self, program: str, member: str | None, amount: Fraction, persons: int = 1) -> Line | None:
        """Round half-up to the fen once; a zero line is left out."""
        fen = round_fen(amount)
        if fen == 0:
            return None
        inputs: dict[str, object] = {}
        steps: dict[str, object] = {}
        used: dict[str, ParamUse] = {}
        for node in self._chain():
            inputs.update(node.inputs)
            steps.update(node.steps)
            used.update(node.used)
        steps["amount_exact"] = amount
        steps["amount"] = fen_to_str(fen)
        return Line(program, member, fen, persons, inputs, steps, list(used.values()))
