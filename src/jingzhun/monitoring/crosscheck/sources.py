"""The department lists of 数据比对 and what a confirmed hit means (POLICY.md §8's table).

``TASKS`` are the lists whose every hit is a 疑点 for the village to verify; ``EVENTS`` (disability,
disaster, dropout — and death, which is both) feed 返贫预警 (:func:`..queries.events_for`); ``dibao_roll``
feeds the 低保 ↔ 建档立卡 comparison page. A confirmed hit of a ``DISQUALIFY`` list raises a change request
that adds the §1 ``disqualified`` code; a confirmed death raises a 死亡登记 request (the registry pays up to
the month of death, so it counts from the month after); a confirmed prison hit records the member's dated
服刑 term (registry.custody): while serving they are not a member of the 共同生活家庭 — POLICY.md §8's
"member does not share income", read as 民政's 低保 rules treat 在监狱服刑人员 — so the registry leaves them
out of the household's size and income for those months. Pension hits are recorded, not applied.
A pension hit means "wage income to verify, not disqualifying": its 疑点 page sets the list's scheme and amount
beside the member's recorded income and asks the village to look when an employee-only scheme (职工养老保险,
公积金) meets no recorded 工资性收入; the income itself is corrected on the household page.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from jingzhun.policy.money import fraction_to_str

DEPOSIT_THRESHOLD = "crosscheck.deposit_threshold"

SOURCES: dict[str, str] = {
    "death": "死亡、火化（公安/卫健/民政）",
    "vehicle": "机动车（公安）",
    "business": "工商注册（市场监管）",
    "civil_servant": "财政供养人员（财政/编办）",
    "housing": "不动产登记（自然资源）",
    "deposit": "存款、证券（银行）",
    "pension": "养老金、社保、公积金（人社/公积金）",
    "prison": "服刑人员（司法）",
    "dibao_roll": "低保名册（民政）",
    "disability": "残疾人登记（残联）",
    "disaster": "受灾人员（应急）",
    "dropout": "辍学学生（教育）",
}
SHORT: dict[str, str] = {
    "death": "死亡",
    "vehicle": "车辆",
    "business": "工商",
    "civil_servant": "财政供养",
    "housing": "商品房",
    "deposit": "存款",
    "pension": "养老金/社保",
    "prison": "服刑",
    "dibao_roll": "低保名册",
    "disability": "残疾",
    "disaster": "受灾",
    "dropout": "辍学",
}
TASKS = ("death", "vehicle", "business", "civil_servant", "housing", "deposit", "pension", "prison")
EVENTS = ("death", "disability", "disaster", "dropout")
DISQUALIFY: dict[str, str] = {
    "vehicle": "vehicle",
    "business": "business",
    "civil_servant": "civil_servant",
    "housing": "commercial_housing",
    "deposit": "large_deposit",
}
DISQUALIFIED_LABELS: dict[str, str] = {
    "vehicle": "拥有机动车",
    "business": "注册公司/个体工商户",
    "civil_servant": "财政供养人员",
    "commercial_housing": "购买商品房",
    "large_deposit": "大额存款",
}
HIT_MEANS: dict[str, str] = {
    "death": "该成员已死亡（核实属实后提出死亡登记申请，自次月起停发）",
    "vehicle": "拥有机动车（不予保障情形）",
    "business": "注册公司或个体工商户（不予保障情形）",
    "civil_servant": "财政供养人员（不予保障情形）",
    "housing": "在城镇购买商品房（不予保障情形）",
    "deposit": "大额存款（不予保障情形）",
    "pension": "有工资性收入待核实（不取消资格）",
    "prison": "服刑人员（核实属实即登记服刑：服刑期间不计入共同生活家庭，不计家庭人数和收入）",
    "dibao_roll": "低保名册与建档立卡信息比对",
    "disability": "新增残疾（返贫预警事件）",
    "disaster": "受灾（返贫预警事件）",
    "dropout": "辍学（返贫预警事件）",
}
NOT_SAME_PERSON = "not_same_person"
# POLICY.md §8's exemptions per list; "not the same person" (the 隰县 case: most cars in poor people's names
# were someone else's) clears a hit of any list.
EXEMPTIONS: dict[str, dict[str, str]] = {
    "vehicle": {
        "vehicle_under_30000": "车辆价格低于 3 万元",
        "mobility_vehicle": "残疾人代步车",
        "farm_vehicle": "农用车",
    },
    "business": {"relief_fund_shares": "以扶贫资金入股"},
    "civil_servant": {"after_registration": "建档立卡后成为财政供养人员"},
    "housing": {"relocation_housing": "易地扶贫搬迁安置房"},
    "deposit": {"deposit_below_threshold": "存款低于每户大额存款标准"},  # the amount: exemptions_for
    "pension": {"no_wage_income": "无工资性收入（仅领取城乡居民养老金等）"},
}
COMMON_EXEMPTIONS: dict[str, str] = {
    NOT_SAME_PERSON: "经核实非本人（同名或证件被冒用）",
    "list_error": "部门名单有误（已向该部门反馈）",
}


def exemptions_for(source: str, region: str | None = None, at: dt.date | None = None) -> dict[str, str]:
    """The exemption codes a hit of ``source`` may be cleared with: the list's own, then the common ones.

    Given the region and date (the list's 截至日期), the deposit exemption names the threshold in force there
    (``crosscheck.deposit_threshold``, POLICY.md §8's local threshold, 50 000 a household by default) and says
    when it is the default value."""
    own = dict(EXEMPTIONS.get(source, {}))
    if source == "deposit" and region is not None and at is not None:
        own["deposit_below_threshold"] = _deposit_label(region, at)
    return {**own, **COMMON_EXEMPTIONS}


def exemption_label(source: str, code: str, region: str | None = None, at: dt.date | None = None) -> str:
    return exemptions_for(source, region, at).get(code, code)


def _deposit_label(region: str, at: dt.date) -> str:
    from jingzhun.policy.params import load_parameters

    resolved = load_parameters().resolve_or_none(DEPOSIT_THRESHOLD, region, at)
    if resolved is None:
        return EXEMPTIONS["deposit"]["deposit_below_threshold"]
    assert isinstance(resolved.value, Fraction | int) and not isinstance(resolved.value, bool)
    wan = Fraction(resolved.value) / 10_000
    amount = f"{fraction_to_str(wan)} 万元" if wan.denominator in (1, 2, 4, 5, 10) else f"{resolved.value} 元"
    note = "（默认值，请按本地文件核定）" if resolved.default else ""
    return f"存款低于每户 {amount}{note}"
