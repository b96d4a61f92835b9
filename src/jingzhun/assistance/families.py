"""Which approval (救助对象认定) pays which programme. Pure: no Django imports.

A payment line of the policy engine is paid only when its household holds an active, approved
enrolment (在册救助对象) in one of the programme's families. This is the contract between the
assistance app (which approves) and the ledger (which pays).

* ``dibao`` 低保对象: 低保补差, 分类施保 and the allowances that require a 低保 household.
* ``tekun`` 特困供养对象: basic living and care fees.
* ``disability_care`` 重度残疾人护理补贴对象: no income test, approved separately (残联/民政).
* ``price_subsidy`` follows either 低保 or 特困.
* ``major_illness`` 大病关怀救助, ``temporary`` 临时救助: one-off, approved per application.
* ``filial_reward`` 孝亲敬老奖励, ``income_gap_insurance`` 一保通: yearly, approved per list.
"""

from __future__ import annotations

FAMILIES: dict[str, str] = {
    "dibao": "最低生活保障（低保）",
    "tekun": "特困人员救助供养",
    "disability_care": "重度残疾人护理补贴",
    "major_illness": "大病关怀救助",
    "temporary": "临时救助",
    "filial_reward": "孝亲敬老奖励",
    "income_gap_insurance": "脱贫返贫保险",
}

PROGRAM_FAMILIES: dict[str, tuple[str, ...]] = {
    "dibao": ("dibao",),
    "dibao_classified": ("dibao",),
    "elderly_allowance": ("dibao",),
    "disabled_elder_allowance": ("dibao",),
    "disability_living": ("dibao",),
    "price_subsidy": ("dibao", "tekun"),
    "tekun_basic": ("tekun",),
    "tekun_care": ("tekun",),
    "disability_care": ("disability_care",),
    "major_illness_care": ("major_illness",),
    "temporary_assistance": ("temporary",),
    "filial_reward": ("filial_reward",),
    "income_gap_insurance": ("income_gap_insurance",),
}

PROGRAM_NAMES: dict[str, str] = {
    "dibao": "低保补差",
    "dibao_classified": "分类施保",
    "tekun_basic": "特困基本生活费",
    "tekun_care": "特困护理费",
    "elderly_allowance": "高龄补贴",
    "disabled_elder_allowance": "失能老人补贴",
    "disability_living": "困难残疾人生活补贴",
    "disability_care": "重度残疾人护理补贴",
    "price_subsidy": "价格临时补贴",
    "major_illness_care": "大病关怀救助",
    "temporary_assistance": "临时救助",
    "filial_reward": "孝亲敬老奖励",
    "income_gap_insurance": "脱贫返贫保险",
}


def families_for(program: str) -> tuple[str, ...]:
    """The enrolment families any one of which makes ``program`` payable."""
    return PROGRAM_FAMILIES[program]
