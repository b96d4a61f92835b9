"""An entitlement line's explanation in plain Chinese, for the caseworker who must answer "why this amount?".

The policy engine records, per line, its ``inputs`` (facts read from the household document), its
``steps`` (intermediate values) and every parameter with its value, the date it took effect and the
region level it came from (``policy/calc.py``). This module only translates keys and values into words;
it never recomputes anything, so the page can never disagree with the arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jingzhun.policy import regions

KEYS: dict[str, str] = {
    "area": "城乡类别",
    "annual_income": "家庭年收入（元）",
    "disqualified": "不予保障情形",
    "members": "家庭人数",
    "household_size": "家庭人数",
    "tekun_members_left_out": "不计入低保家庭的特困人员",
    "n": "低保家庭人数 n",
    "monthly_standard_S": "月低保标准 S（元）",
    "per_capita_monthly_income_y": "月人均收入 y（元）",
    "receives_dibao": "本月享受低保",
    "registered_poor": "建档立卡贫困户",
    "birth_date": "出生日期",
    "age": "周岁（按当月1日计）",
    "age_in_range": "年龄在补贴范围内",
    "disability_grade": "残疾等级",
    "disability_card_gen2": "持第二代残疾证",
    "needs_long_term_care": "需长期照护",
    "disabled_elder_certified": "经医院鉴定失能",
    "serious_illness": "重病",
    "late_stage_major_disease": "重特大疾病晚期",
    "income_source": "本人有收入来源",
    "capable_supporter": "有履行能力的法定义务人",
    "labour": "劳动能力",
    "self_care": "自理能力",
    "care_setting": "供养方式",
    "tekun_conditions": "特困认定条件",
    "tekun_person": "特困人员",
    "categories": "符合的分类施保类别",
    "category": "采用的类别（取最高）",
    "rate": "比例",
    "rate_percent": "涨幅（%）",
    "trigger": "启动依据",
    "cpi_all_items": "CPI 总指数同比涨幅（%）",
    "cpi_food": "食品价格同比涨幅（%）",
    "annual_standard": "年基本生活标准（元）",
    "annual_fee": "年照料护理费（元）",
    "per_capita_annual_income": "人均年收入（元）",
    "below_line": "低于扶贫标准",
    "events": "临时救助事件",
    "per_event": "各次救助金额（元）",
    "uncapped": "封顶前金额（元）",
    "review_within_working_days": "补办审核期限（工作日）",
    "paid_before": "此前已享受",
    "support_payments": "赡养费记录",
    "paid_to_parents_of_age": "给付达龄父母的赡养费（元）",
    "full_steps": "满档数",
    "amount_exact": "未舍入金额（元）",
    "amount": "本项金额（元，四舍五入到分）",
}
VALUES: dict[str, str] = {
    "rural": "农村",
    "urban": "城镇",
    "home": "分散供养",
    "institution": "集中供养",
    "full": "全自理/有劳动力",
    "partial": "半自理/弱劳动力",
    "none": "无",
    "vehicle": "车辆",
    "business": "经营实体",
    "civil_servant": "公职人员",
    "commercial_housing": "商品房",
    "large_deposit": "大额存款",
    "elderly": "老年",
    "minor": "未成年",
    "severe_disability": "一、二级残疾",
    "no_labour": "无劳动能力",
    "severe": "一、二级残疾或重病",
    "disability": "三、四级残疾",
    "all_items": "CPI 总指数",
    "food": "食品价格",
    "emergency": "急难型",
    "expense": "支出型",
}
SELF_CARE = {"full": "全自理", "partial": "半自理", "none": "全护理"}
LABOUR = {"full": "有劳动力", "partial": "弱劳动力", "none": "无劳动力"}
LEVELS = {"national": "国家", "province": "省级", "city": "市级", "county": "县级"}
UNITS = {
    "CNY/year": "元/年",
    "CNY/month": "元/月",
    "CNY": "元",
    "year": "周岁",
    "workday": "个工作日",
    "month": "个月",
    "percent": "%",
}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class ParamRow:
    label: str  # 中文名称 (and the keys used, e.g. 分散供养)
    name: str  # the parameter's key, for whoever checks the YAML
    value: str
    since: str  # 2020-01-01 起
    source: str  # 吕梁市（市级）
    notes: list[str]


def value_text(key: str, value: Any, names: dict[str, str] | None = None) -> str:
    """A recorded value as a caseworker reads it."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "无"
    if key == "tekun_members_left_out" and isinstance(value, list):
        return "、".join((names or {}).get(str(v), str(v)) for v in value) or "无"
    if isinstance(value, list):
        return "、".join(value_text(key, v, names) for v in value) or "无"
    if isinstance(value, dict):
        return "；".join(f"{k}：{value_text(key, v, names)}" for k, v in value.items()) or "无"
    text = str(value)
    if key == "self_care":
        return SELF_CARE.get(text, text)
    if key == "labour":
        return LABOUR.get(text, text)
    if key in ("members", "household_size", "n"):
        return f"{text} 人"
    if key == "disability_grade":
        return f"{text} 级"
    return VALUES.get(text, text)


def facts(recorded: dict[str, Any], names: dict[str, str] | None = None) -> list[Fact]:
    return [Fact(KEYS.get(key, key), value_text(key, value, names)) for key, value in recorded.items()]


_KEYED = re.compile(r"^(?P<base>[^\[]+)(?P<keys>(\[[^\]]+\])*)$")


def parameter_rows(parameters: list[dict[str, Any]]) -> list[ParamRow]:
    """Rows from the ``parameters`` list of a line's ``explain`` JSON (the ``jingzhun entitle`` contract)."""
    from jingzhun.policy.params import load_parameters

    tree = load_parameters()
    rows = []
    for use in parameters:
        name = str(use["name"])
        match = _KEYED.match(name)
        base = match.group("base") if match else name
        keys = re.findall(r"\[([^\]]+)\]", match.group("keys")) if match else []
        label, unit = base, ""
        if base in tree:
            parameter = tree.get(base)
            label, unit = parameter.description_zh or base, UNITS.get(parameter.unit, "")
        if keys:
            label += "（" + " · ".join(SELF_CARE.get(k) or VALUES.get(k, k) for k in keys) + "）"
        raw = str(use["value"])
        value = "是" if raw == "true" else "否" if raw == "false" else f"{raw} {unit}".strip()
        notes = []
        if use.get("default"):
            notes.append("默认值，请按本地文件核定")
        if use.get("date_assumed"):
            notes.append("生效日期为推定")
        region, level = str(use.get("region", "")), str(use.get("level", ""))
        source = f"{regions.NAMES.get(region, region)}（{LEVELS.get(level, level)}）"
        rows.append(ParamRow(label, name, value, f"{use['since']} 起", source, notes))
    return rows
