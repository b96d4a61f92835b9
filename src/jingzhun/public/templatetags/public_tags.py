"""Template filters for the public pages."""

from __future__ import annotations

from django import template

from jingzhun.policy.money import fen_to_grouped

register = template.Library()

# Village and township pages never show a count of 1 or 2 households (issue #11): in a village, "生活补贴
# 1 户" or "已脱贫户 2" points at the family next door. Such a count shows as "少于3户"; 0 stays 0 (it names
# no one). The amount next to it stays: the 合计 must add up and public money be accounted for, and an
# amount alone does not say which household, nor how many (each household's page behind its own door code
# already shows its own amounts).
FEW_HOUSEHOLDS = 3
FEW_TEXT = f"少于{FEW_HOUSEHOLDS}户"


@register.filter
def households(count: int) -> str:
    """A household count for a column or card headed 户数: "少于3户" for 1 or 2, else the number."""
    return FEW_TEXT if 0 < count < FEW_HOUSEHOLDS else str(count)


@register.filter
def households_unit(count: int) -> str:
    """A household count in a sentence: "少于3户" for 1 or 2, else "N 户"."""
    return FEW_TEXT if 0 < count < FEW_HOUSEHOLDS else f"{count} 户"


@register.filter
def yuan(fen: int) -> str:
    """Integer fen → yuan with two decimals and thousands separators: 123456 → "1,234.56"."""
    return fen_to_grouped(fen)
