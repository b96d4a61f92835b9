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
from jingzhun.policy.money import fen_to_str, fraction_to_str, round_fen


def explain_line(line: Line) -> dict[str, Any]:
    return {
        "inputs": {key: to_json(value) for key, value in line.inputs.items()},
        "steps": {key: to_json(value) for key, value in line.steps.items()},
        "parameters": [_parameter(p) for p in line.parameters],
        "rule": RULES.get(line.program, ""),
        "sentence": sentence(line),
    }


RULES: dict[str, str] = {
    "tekun_basic": "特困人员每月领取基本生活标准的十二分之一（按城乡、分散或集中供养）",
    "tekun_care": "特困人员每月领取照料护理费的十二分之一（按供养方式与自理能力）",
    "dibao": "低保家庭每月补足人均收入与低保标准的差额：（月低保标准 − 月人均收入）× 保障人数",
    "dibao_classified": "低保家庭成员按最高的一类加发：月低保标准 × 分类施保比例",
    "elderly_allowance": "低保家庭中 80 至 99 岁老人每月定额发放",
    "disabled_elder_allowance": "低保家庭中经鉴定失能的 60 至 99 岁老人每月定额发放",
    "disability_living": "低保家庭中持第二代残疾证的困难残疾人每月定额发放",
    "disability_care": "一、二级且需长期照护的重度残疾人每月定额发放（特困人员除外）",
    "price_subsidy": "物价涨幅达到启动条件的月份，低保对象与特困人员每人领取：月低保标准 × 涨幅",
    "major_illness_care": "建档立卡贫困户中重特大疾病晚期患者，一生一次",
    "temporary_assistance": "急难型先行救助，或支出型按超出家庭年收入一定比例部分的一半救助（有上限）",
    "filial_reward": "子女每赡养老人满 1000 元奖励 200 元，每户最多 400 元",
    "income_gap_insurance": "一保通：人均年收入低于当年贫困线时，赔付（贫困线 − 人均年收入）× 家庭人数",
}


def _yuan(value: object) -> str:
    """A yuan amount as a cadre reads it: two decimals, half-up."""
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        return fen_to_str(round_fen(Fraction(value)))
    return str(value)


def _percent(value: object) -> str:
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        return fraction_to_str(Fraction(value))
    return str(value)


def _param_value(line: Line, prefix: str) -> object:
    for use in line.parameters:
        if use.name.startswith(prefix):
            return use.value
    return None


def sentence(line: Line) -> str:
    """One line of plain Chinese arithmetic to read aloud: ``低保补差 = (404.42 − 143.09) × 2 人 = 522.65 元``.

    Intermediate values are shown rounded to the fen; the amount is the exact formula rounded once."""
    steps, amount = line.steps, fen_to_str(line.amount_fen)
    program = line.program
    if program == "dibao":
        s, y, n = steps.get("monthly_standard_S"), steps.get("per_capita_monthly_income_y"), steps.get("n")
        return f"低保补差 = ({_yuan(s)} − {_yuan(y)}) × {n} 人 = {amount} 元"
    if program == "dibao_classified":
        s, rate = steps.get("monthly_standard_S"), steps.get("rate")
        rate_text = _percent(Fraction(rate) * 100) if isinstance(rate, Fraction | int) else str(rate)
        return f"分类施保 = {_yuan(s)} × {rate_text}% = {amount} 元"
    if program == "tekun_basic":
        return f"特困人员基本生活费 = {_yuan(steps.get('annual_standard'))} ÷ 12 = {amount} 元"
    if program == "tekun_care":
        return f"照料护理费 = {_yuan(steps.get('annual_fee'))} ÷ 12 = {amount} 元"
    if program == "price_subsidy":
        s, rate = steps.get("monthly_standard_S"), steps.get("rate_percent")
        return f"价格临时补贴 = {_yuan(s)} × {_percent(rate)}% = {amount} 元"
    if program == "filial_reward":
        per_step, cap = _param_value(line, "filial_reward.reward_per_step"), _param_value(line, "filial_reward.cap")
        return f"孝亲敬老奖励 = min({steps.get('full_steps')} × {_yuan(per_step)}, {_yuan(cap)}) = {amount} 元"
    if program == "income_gap_insurance":
        gap_line, per_capita = _param_value(line, "poverty_line"), steps.get("per_capita_annual_income")
        return f"脱贫返贫保险 = ({_yuan(gap_line)} − {_yuan(per_capita)}) × {line.persons} 人 = {amount} 元"
    if program == "temporary_assistance":
        return f"临时救助 = 本月各次救助合计 = {amount} 元"
    from jingzhun.policy.programs import NAMES_ZH

    return f"{NAMES_ZH.get(program, program)} = {amount} 元（定额）"


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
    households holding an enrolment (在册). Most households first, then the cause's text.
    """
    words: dict[str, str] = {}
    by_cause: dict[str, set[str]] = {}
    for household, message in errors:
        if message not in words:
            words[message] = error_text(message)
        by_cause.setdefault(words[message], set()).add(household)
    rows = [(cause, len(ids), len(ids & set(enrolled))) for cause, ids in by_cause.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))
