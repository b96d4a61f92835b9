"""The one vocabulary of programs and families. Pure: no Django imports.

Program ids with their Chinese names (``PROGRAM_NAMES``: staff pages, ledger, reports, explanations — the
one table: each program module's ``NAME_ZH`` is read from it, tests/policy/test_vocabulary.py checks that
no other module writes a table of its own) and the coarser public set the 一码清 pages show (``PUBLIC_*``);
the enrollment families and which approval (救助对象认定) pays which program.

Names chosen where three places used to disagree: ``低保补差`` (what the explanations, README and the month
reports say; 分类施保 is its sibling), ``特困人员照料护理费`` (the policy's term, beside 特困人员基本生活费),
``脱贫返贫保险`` (POLICY.md's name; 一保通 is the county's brand for the whole 一保通 package and stays in the
public 帮扶措施 wording ``PUBLIC_MEASURES``).

A payment line of the policy engine is paid only when its household holds an active, approved
enrollment (在册救助对象) in one of the program's families. This is the contract between the
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
    "tekun_basic": "特困人员基本生活费",
    "tekun_care": "特困人员照料护理费",
    "elderly_allowance": "高龄补贴",
    "disabled_elder_allowance": "失能老人补贴",
    "disability_living": "困难残疾人生活补贴",
    "disability_care": "重度残疾人护理补贴",
    "price_subsidy": "价格临时补贴",
    "major_illness_care": "大病关怀救助",
    "temporary_assistance": "临时救助",
    "filial_reward": "孝亲敬老奖励",
    "income_gap_insurance": "脱贫返贫保险",
    "medical_assistance": "医疗救助（住院一站式结算）",
    "cap136": "“136”兜底保障",
    "insurance_claim": "一保通保险赔付",
    "welfare_post_wage": "公益岗位工资",
    "forest_ranger_wage": "生态护林员工资",
}

# Programs whose lines are written by their own apps' actions (medical settlement, 一保通 claims), not by
# the month run: a month run neither pays nor adjusts them, and bank files leave them out (医疗救助 and
# "136" are settled with the hospital at discharge; insurance claims are paid by the insurer).
# 公益岗位 and 护林员 wages are paid by the projects app for the month's attendance (issue #17): wages for
# work, not assistance, and shown as such on the 一码清 household page.
PAID_OUTSIDE_MONTH_RUN: tuple[str, ...] = (
    "medical_assistance",
    "cap136",
    "insurance_claim",
    "welfare_post_wage",
    "forest_ranger_wage",
)

# Engine programs that only an insurance claim pays, never the month run (a household enrolled in their
# family would otherwise be paid twice: in December's run and by the 一保通 claim, ``insurance_claim``).
# The run computes the line and leaves it unpaid; applying for the family is refused with this reason.
PAID_BY_INSURANCE_CLAIM: dict[str, str] = {
    "income_gap_insurance": "脱贫返贫保险由一保通理赔赔付（县级干部在“一保通”中按规则核算，记入民生账本“保险赔付”），"
    "不通过救助申请和月度发放支付，以免重复赔付。",
}


# What the public pages call each program, in the order they list them (the program ids of
# POLICY.md). A name that would tell a member's disability grade, care level, 失能 or illness is not
# shown: those programs are merged into a neutral group (``PUBLIC_GROUP``) — 分类施保 into 低保 (its
# rate follows the disability grade or an illness), 特困护理 into 特困供养 (its amount follows the
# care level), 失能老人补贴 into 老年人补贴, the two disability subsidies (困难残疾人生活补贴, 重度残疾人护理补贴)
# as 生活补贴 (their usual name 残疾人两项补贴 told every passer-by that a member is disabled, issue #11;
# 生活补贴 names no condition and is no other public program's name), 大病关怀救助 as 医疗救助. Village and
# township pages use the same groups, so a small village's totals cannot be matched to a household's page.
# Staff pages and the ledger keep every program apart.
PUBLIC_GROUP: dict[str, str] = {
    "dibao_classified": "dibao",
    "tekun_care": "tekun_basic",
    "disabled_elder_allowance": "elderly_allowance",
    "disability_care": "disability_living",
    "medical_assistance": "major_illness_care",
    "cap136": "major_illness_care",
}
PUBLIC_PROGRAM_NAMES: dict[str, str] = {
    "dibao": "低保",
    "tekun_basic": "特困供养",
    "elderly_allowance": "老年人补贴",
    "disability_living": "生活补贴",
    "price_subsidy": "价格临时补贴",
    "major_illness_care": "医疗救助",
    "temporary_assistance": "临时救助",
    "filial_reward": "孝亲敬老奖励",
    "income_gap_insurance": "脱贫返贫保险",
    "insurance_claim": "保险赔付",
    "welfare_post_wage": "公益岗位工资",
    "forest_ranger_wage": "生态护林员工资",
}

# 帮扶措施 as the public page names them, by the program that carries them out.
PUBLIC_MEASURES: dict[str, str] = {
    "dibao": "低保兜底保障",
    "dibao_classified": "低保兜底保障",
    "tekun_basic": "特困人员救助供养",
    "tekun_care": "特困人员救助供养",
    "elderly_allowance": "老年人补贴",
    "disabled_elder_allowance": "老年人补贴",
    "disability_living": "生活补贴",
    "disability_care": "生活补贴",
    "price_subsidy": "价格临时补贴",
    "major_illness_care": "医疗救助",
    "temporary_assistance": "临时救助",
    "filial_reward": "孝亲敬老奖励",
    "income_gap_insurance": "一保通脱贫返贫保险",
    "medical_assistance": "医疗救助",
    "cap136": "医疗救助",
    "insurance_claim": "一保通保险",
    "welfare_post_wage": "公益岗位",
    "forest_ranger_wage": "生态护林员",
}


# 发放状态: where a payment line's money is, as the staff list (发放明细), the 民生账本 and the public 一码清
# page all name it — one word per bank status of the ledger (``ledger.models.BankStatus``). 已到账 rather than
# 已发放 (the statement's older word): 已发放 also means "the month was paid out" (本月已发放) before any bank
# answer, and the family checks the passbook for money that has arrived. A returned line queued again for the
# next bank file reads ``BANK_REQUEUED``.
BANK_STATUS_NAMES: dict[str, str] = {
    "pending": "待发",
    "sent": "已报盘",
    "paid": "已到账",
    "returned": "退回",
}
BANK_REQUEUED = "退回，待重发"
