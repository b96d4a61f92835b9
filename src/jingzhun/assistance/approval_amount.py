"""The monthly amount an approval gives, with its one-line explanation, for the township and county screens.

For a 低保, 特困 or 护理补贴 application: what the policy engine gives the household (its registered data,
the 入户调查's verified income included — ``surveyed_income``) in the month it would start, summed over
the family's programs (``policy_bridge.family_summary``). The explanation is the programs' own sentences
(``低保补差 = (404.42 − 200.00) × 2 人 = 408.84 元``); for a zero it says why (``月人均收入 2,019.13 元不低于
月低保标准 404.42 元``), and :func:`~.actions.county_decide` refuses to approve a zero with that reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jingzhun.assistance.models import Application, ApplicationKind
from jingzhun.assistance.policy_bridge import ROLL_FAMILIES
from jingzhun.policy.money import fen_to_grouped, parse_decimal, round_fen
from jingzhun.policy.vocabulary import FAMILIES, PROGRAM_FAMILIES


@dataclass(frozen=True)
class ApprovalAmount:
    month: dt.date
    monthly_fen: int | None  # None: the engine could not compute the household (explanation says why)
    explanation: str

    @property
    def month_text(self) -> str:
        return f"{self.month:%Y-%m}"


def shows_amount(application: Application) -> bool:
    return application.family in ROLL_FAMILIES and application.kind != ApplicationKind.TEMPORARY


def approval_amount(application: Application, first: dt.date) -> ApprovalAmount:
    """The family's monthly amount for the month starting ``first`` and the sentence that explains it."""
    from jingzhun.policy.document import DocumentError
    from jingzhun.policy.engine import compute_document
    from jingzhun.policy.explain import error_text, sentence
    from jingzhun.registry.documents import household_document

    month = f"{first:%Y-%m}"
    try:
        document = household_document(month, household_ids=[application.household_id])
        if not document["households"]:
            return ApprovalAmount(first, None, "该户没有在册成员，无法计算")
        [result] = compute_document(document, month).households
    except DocumentError as exc:
        return ApprovalAmount(first, None, "无法计算：" + "；".join(exc.errors))
    if result.errors:
        return ApprovalAmount(first, None, "无法计算：" + "；".join(error_text(e) for e in result.errors))
    lines = [ln for ln in result.lines if application.family in PROGRAM_FAMILIES.get(ln.program, ())]
    total = sum(ln.amount_fen for ln in lines)
    if total > 0:
        return ApprovalAmount(first, total, "；".join(sentence(ln) for ln in lines))
    return ApprovalAmount(first, 0, _why_zero(application.family, document["households"][0], result, first))


def _why_zero(family: str, household: dict[str, Any], result: Any, first: dt.date) -> str:
    name = FAMILIES.get(family, family)
    if household.get("disqualified"):
        return f"该户有不符合{name}条件的情形（{'、'.join(household['disqualified'])}），月发放金额为 0.00 元"
    if family != "dibao":
        return f"按该户登记信息，{first:%Y-%m} 不符合{name}条件，月发放金额为 0.00 元"
    from jingzhun.policy.params import load_parameters

    tekun = {ln.member for ln in result.lines if ln.program.startswith("tekun")}
    n = len(household["members"]) - len(tekun)
    if n < 1:
        return "该户成员均为特困人员，不计低保，月发放金额为 0.00 元"
    standard = load_parameters().resolve_or_none(f"dibao.standard.{household['area']}", household["region"], first)
    income = parse_decimal(household["annual_income"])
    y = round_fen(income / 12 / n)
    if standard is None:
        return f"无 {first:%Y-%m} 的低保标准，月发放金额为 0.00 元"
    s = round_fen(Fraction(standard.value) / 12)
    return (
        f"月人均收入 {fen_to_grouped(y)} 元（家庭年收入 {fen_to_grouped(round_fen(income))} 元 ÷ 12 ÷ {n} 人）"
        f"不低于月低保标准 {fen_to_grouped(s)} 元，低保补差为 0.00 元"
    )
