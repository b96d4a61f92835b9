"""Template filters for the staff pages: money in yuan from integer fen."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

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


@register.simple_tag(takes_context=True)
def export_link(context: dict[str, Any]) -> str:
    """导出Excel beside a list: the same filter, every page, as ``?format=xlsx`` (core.list_export)."""
    from jingzhun.core.list_export import EXPORT_CAP, export_query

    request = context["request"]
    return format_html(
        '<a class="export-link" href="?{}" title="导出当前筛选条件下的全部记录（最多 {} 条）">导出Excel</a>',
        export_query(request.GET),
        EXPORT_CAP,
    )
