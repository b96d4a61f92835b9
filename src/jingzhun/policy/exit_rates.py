"""Village and county exit (贫困村、贫困县退出), POLICY.md §8 — pure, no database.

* Village: incidence = registered-poor persons not yet exited ÷ the village's registered population; the
  village may exit when it is below ``exit_rates.incidence_max`` (2 % for 吕梁, central China; the 3 %
  western value is ``exit_rates.incidence_max_western``).
* County ("三率一度"): incidence < ``incidence_max``, 错退率 < ``wrong_exit_max``, 漏评率 < ``missed_max``,
  群众认可度 ≥ ``approval_min``; any failure blocks. A rate that cannot be computed (no sample check, no
  survey recorded) blocks too — a county is not passed on missing evidence.

Parameters are read on 1 January of the year, like the exit check's. Rates are exact fractions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from jingzhun.policy.params import ParameterTree, load_parameters


@dataclass(frozen=True)
class ExitThresholds:
    incidence_max: Fraction
    wrong_exit_max: Fraction
    missed_max: Fraction
    approval_min: Fraction


@dataclass(frozen=True)
class CountyVerdict:
    passes: bool
    reasons: tuple[str, ...]  # why not, in Chinese; empty when it passes


def thresholds(region: str, year: int, params: ParameterTree | None = None) -> ExitThresholds:
    tree = params if params is not None else load_parameters()
    at = dt.date(year, 1, 1)

    def value(name: str) -> Fraction:
        v = tree.resolve(f"exit_rates.{name}", region, at).value
        assert isinstance(v, Fraction | int) and not isinstance(v, bool)
        return Fraction(v)

    return ExitThresholds(value("incidence_max"), value("wrong_exit_max"), value("missed_max"), value("approval_min"))


def rate(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def percent(value: Fraction | None, limit: Fraction | None = None) -> str:
    """0.0153… → "1.53 %" (two places, half up); None → "无数据".

    Beside its ``limit``, a value that is not the limit but rounds to it gets more places (up to six), so a
    passing 1.9989 % never reads "2.00 %" next to "< 2.00 %"."""
    if value is None:
        return "无数据"
    places = 2
    while places < 6 and limit is not None and value != limit and _places(value, places) == _places(limit, places):
        places += 1
    return _places(value, places)


def _places(value: Fraction, places: int) -> str:
    scale = 10**places
    units = (value * 100 * scale * 2 + 1) // 2
    return f"{units // scale}.{units % scale:0{places}d} %"


def village_passes(incidence: Fraction | None, t: ExitThresholds) -> bool:
    return incidence is not None and incidence < t.incidence_max


def county_verdict(
    incidence: Fraction | None,
    wrong_exit: Fraction | None,
    missed: Fraction | None,
    approval: Fraction | None,
    t: ExitThresholds,
) -> CountyVerdict:
    reasons: list[str] = []

    def below(name: str, value: Fraction | None, limit: Fraction, missing: str) -> None:
        if value is None:
            reasons.append(f"{name}无数据（{missing}）")
        elif not value < limit:
            reasons.append(f"{name} {percent(value, limit)}，未低于 {percent(limit)}")

    below("贫困发生率", incidence, t.incidence_max, "没有在册人口")
    below("错退率", wrong_exit, t.wrong_exit_max, "未录入已退出户的抽样核查")
    below("漏评率", missed, t.missed_max, "未录入未识别户的抽样核查")
    if approval is None:
        reasons.append("群众认可度无数据（未录入认可度调查）")
    elif approval < t.approval_min:
        reasons.append(f"群众认可度 {percent(approval, t.approval_min)}，低于 {percent(t.approval_min)}")
    return CountyVerdict(not reasons, tuple(reasons))
