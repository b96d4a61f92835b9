"""Template filters for the staff pages: money in yuan from integer fen."""

from __future__ import annotations

from django import template

from jingzhun.policy.money import fen_to_grouped

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """12345678 → ``123,456.78`` (grouped, two decimals); None → ``—``."""
    if fen is None or fen == "":
        return "—"
    return fen_to_grouped(int(fen))


@register.simple_tag
def working_month_note() -> str:
    """The header's reminder when the working month (``JINGZHUN_WORKING_MONTH``) is not the calendar's."""
    from jingzhun.core import workday

    return workday.note()
