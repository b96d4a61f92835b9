"""Load-time consistency check (POLICY.md §2): 特困 basic standard ≥ ratio × 低保 standard of the same area.

The ratio (1.3 [seed]) is itself a dated parameter whose first date (2018-01-01 [default]) is when the
check starts. The check walks every date on which any of the three parameters changes, in the city and
each county, and reports each failing pair of values once, naming the level that holds them, the period
and the regions affected — e.g. the city's 2018–19 rural values (3196 < 1.3 × 3744).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from jingzhun.policy import regions
from jingzhun.policy.money import fraction_to_str
from jingzhun.policy.params import ParameterTree, Resolved

RATIO = "tekun.consistency.min_ratio_to_dibao"
AREA_ZH = {"rural": "农村", "urban": "城市"}
CARE_ZH = {"home": "分散供养", "institution": "集中供养"}


@dataclass
class _Failure:
    start: dt.date
    until: dt.date | None
    basic: Resolved
    standard: Resolved
    value: Fraction
    minimum: Fraction
    regions: list[str] = field(default_factory=list)


def consistency_warnings(tree: ParameterTree) -> list[str]:
    return [message for _, _, message in dated_consistency_warnings(tree)]


def warnings_at(tree: ParameterTree, at: dt.date) -> list[str]:
    """The consistency warnings whose period includes ``at`` (what ``jingzhun entitle`` prints for a month)."""
    return [m for start, until, m in dated_consistency_warnings(tree) if start <= at and (until is None or at <= until)]


def dated_consistency_warnings(tree: ParameterTree) -> list[tuple[dt.date, dt.date | None, str]]:
    cached = getattr(tree, "_dated_warnings", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found = _dated(tree)
    object.__setattr__(tree, "_dated_warnings", found)
    return found


def _dated(tree: ParameterTree) -> list[tuple[dt.date, dt.date | None, str]]:
    if RATIO not in tree:
        return []
    warnings: list[tuple[dt.date, dt.date | None, str]] = []
    for area in ("rural", "urban"):
        basic, standard = f"tekun.basic.{area}", f"dibao.standard.{area}"
        if basic not in tree or standard not in tree:
            continue
        dates = sorted({*tree.change_dates(basic), *tree.change_dates(standard), *tree.change_dates(RATIO)})
        failures: dict[tuple[object, ...], _Failure] = {}
        for code in (regions.CITY, *regions.COUNTIES):
            for i, at in enumerate(dates):
                ratio = tree.resolve_or_none(RATIO, code, at)
                b = tree.resolve_or_none(basic, code, at)
                s = tree.resolve_or_none(standard, code, at)
                if ratio is None or b is None or s is None:
                    continue
                until = dates[i + 1] - dt.timedelta(days=1) if i + 1 < len(dates) else None
                minimum = _frac(ratio.value) * _frac(s.value)
                for care, value in _leaves(b):
                    if value >= minimum:
                        continue
                    key = (care, b.region, b.since, s.region, s.since, ratio.value)
                    failure = failures.setdefault(key, _Failure(at, until, b, s, value, minimum))
                    failure.start = min(failure.start, at)
                    if failure.until is not None:
                        failure.until = None if until is None else max(until, failure.until)
                    if code not in failure.regions:
                        failure.regions.append(code)
        warnings.extend((f.start, f.until, _message(area, str(key[0]), f)) for key, f in failures.items())
    return warnings


def _leaves(resolved: Resolved) -> list[tuple[str, Fraction]]:
    value = resolved.value
    if isinstance(value, Mapping):
        return [(care, _frac(v)) for care, v in value.items()]
    return [("", _frac(value))]


def _frac(value: object) -> Fraction:
    assert isinstance(value, Fraction | int) and not isinstance(value, bool)
    return Fraction(value)


def _message(area: str, care: str, f: _Failure) -> str:
    period = f"{f.start.isoformat()} 至 {f.until.isoformat()}" if f.until else f"{f.start.isoformat()} 起"
    names = "、".join(regions.label(code) for code in f.regions)
    return (
        f"一致性警告 (consistency warning): {period}，{regions.label(f.basic.region)} 的{AREA_ZH[area]}特困基本生活标准"
        f"（{CARE_ZH.get(care, care)}）{fraction_to_str(f.value)} 元/年（{f.basic.since.isoformat()} 起）"
        f"低于低保标准的倍数下限：{fraction_to_str(f.minimum)} 元/年"
        f"（低保标准 {fraction_to_str(_frac(f.standard.value))}，"
        f"{regions.label(f.standard.region)} {f.standard.since.isoformat()} 起）；涉及 {names}"
    )
