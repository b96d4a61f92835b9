"""The JSON shape of DESIGN.md's ``jingzhun entitle``: money as two-decimal strings, zero lines left out.

Each line's ``explain`` is what its formula recorded (``calc.Calc``): ``inputs``, ``steps`` and every
``parameters`` entry with its value, the date it took effect (``since``), and where it came from
(``region`` code and ``level``); ``"default": true`` marks a value chosen where the sources are silent
(默认值，请按本地文件核定) and ``"date_assumed": true`` a start date known only by its year — both keys
appear only when true, to keep a county's output small.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from fractions import Fraction
from typing import Any

from jingzhun.policy import regions
from jingzhun.policy.calc import Line, ParamUse, text, to_json
from jingzhun.policy.engine import EntitlementResult, HouseholdResult
from jingzhun.policy.money import fen_to_str, fraction_to_str


def explain_line(line: Line) -> dict[str, Any]:
    return {
        "inputs": {key: _json(value) for key, value in line.inputs.items()},
        "steps": {key: _json(value) for key, value in line.steps.items()},
        "parameters": [_parameter(p) for p in line.parameters],
        "rule": rule_words(line.program),
        "sentence": sentence(line),
    }


def _json(value: object) -> Any:
    """``calc.to_json`` with its two commonest cases first (a county has ~10⁵ of these values)."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value
    if kind is Fraction:
        return fraction_to_str(value)  # type: ignore[arg-type]
    return to_json(value)


def rule_words(program: str) -> str:
    """The rule in words, from the program's module (``RULE_ZH``)."""
    module = _programs()[0].get(program)
    return str(module.RULE_ZH) if module is not None else ""


def sentence(line: Line) -> str:
    """One line of plain Chinese arithmetic to read aloud: ``低保补差 = (404.42 − 143.09) × 2 人 = 522.65 元``,
    worded by the program's own ``sentence`` from the line's steps and parameter values.

    Intermediate values are shown rounded to the fen; the amount is the exact formula rounded once."""
    BY_NAME, NAMES_ZH = _programs()
    amount = fen_to_str(line.amount_fen)
    module = BY_NAME.get(line.program)
    if module is None:
        return f"{NAMES_ZH.get(line.program, line.program)} = {amount} 元（定额）"
    params = {use.name: use.value for use in line.parameters}
    return str(module.sentence(line.steps, params, amount, line.persons))


_PROGRAMS: tuple[dict[str, Any], dict[str, str]] | None = None


def _programs() -> tuple[dict[str, Any], dict[str, str]]:
    """``programs.BY_NAME`` and ``NAMES_ZH``, imported on first use (once, not per line)."""
    global _PROGRAMS
    if _PROGRAMS is None:
        from jingzhun.policy.programs import BY_NAME, NAMES_ZH

        _PROGRAMS = (BY_NAME, NAMES_ZH)
    return _PROGRAMS


def _parameter(p: ParamUse) -> dict[str, Any]:
    """Formatted once per (name, resolved value): a county shares a few dozen parameter values."""
    key = (p.name, id(p.resolved))
    cached = _FORMATTED.get(key)
    if cached is not None and cached[0] is p.resolved:
        return cached[1]
    formatted = _format_parameter(p)
    if len(_FORMATTED) > 50_000:
        _FORMATTED.clear()
    _FORMATTED[key] = (p.resolved, formatted)
    return formatted


_FORMATTED: dict[tuple[str, int], tuple[object, dict[str, Any]]] = {}


def _format_parameter(p: ParamUse) -> dict[str, Any]:
    r = p.resolved
    out: dict[str, Any] = {"name": p.name, "value": text(p.value), "since": r.since.isoformat(), "region": r.region}
    out["level"] = r.level
    if r.default:
        out["default"] = True
    if r.date_assumed:
        out["date_assumed"] = True
    return out


def line_json(line: Line) -> dict[str, Any]:
    return {
        "program": line.program,
        "member": line.member,
        "amount": fen_to_str(line.amount_fen),
        "explain": explain_line(line),
    }


def household_json(household: HouseholdResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": household.id,
        "total": None if household.errors else fen_to_str(household.total_fen),
        "lines": [line_json(line) for line in household.lines],
    }
    if household.errors:
        out["errors"] = household.errors
    if household.program_errors:
        out["program_errors"] = household.program_errors
    if household.notes:
        out["notes"] = household.notes
    return out


def result_json(result: EntitlementResult) -> dict[str, Any]:
    return {"month": result.month, "households": [household_json(h) for h in result.households]}


_MISSING = re.compile(r"无参数: (?P<name>[\w.]+), (?P<region>\d+), (?P<date>\d{4}-\d{2}-\d{2})")


def error_text(message: str) -> str:
    """An engine message in words: ``无参数: dibao.standard.urban, 141102, 2020-07-01`` →
    ``缺少参数：城市低保标准（每人每年）（离石区 141102，2020-07-01 起）`` (the parameter's ``description.zh``).

    Any other text (and a name the parameter files do not know) is left as it is.
    """
    if "无参数" not in message:
        return message
    from jingzhun.policy.params import load_parameters

    tree = load_parameters()

    def words(match: re.Match[str]) -> str:
        name, region = match.group("name"), match.group("region")
        label = (tree.get(name).description_zh or name) if name in tree else name
        label = label.rsplit("：", 1)[-1]  # a group member reads "<group>：<member>"; the member says it all
        place = f"{regions.NAMES[region]} {region}" if region in regions.NAMES else region
        return f"缺少参数：{label}（{place}，{match.group('date')} 起）"

    return _MISSING.sub(words, message)


def error_causes(errors: Iterable[tuple[str, str]], enrolled: Collection[str]) -> list[tuple[str, int, int]]:
    """Uncomputable households grouped by cause, in words: ``(cause, households, of them enrolled)``.

    ``errors`` are (household, engine message) rows (a household may have several); ``enrolled`` the
    households holding an enrollment (在册). Most households first, then the cause's text.
    """
    words: dict[str, str] = {}
    by_cause: dict[str, set[str]] = {}
    for household, message in errors:
        if message not in words:
            words[message] = error_text(message)
        by_cause.setdefault(words[message], set()).add(household)
    rows = [(cause, len(ids), len(ids & set(enrolled))) for cause, ids in by_cause.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))
