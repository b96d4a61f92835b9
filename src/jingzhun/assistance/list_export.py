"""导出Excel of the 申请, 在册对象 and 待复核 lists: the filtered rows of each, as the list shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from jingzhun.core.actions import Actor
from jingzhun.core.list_export import Export, capped


def _heads(household_ids: list[int]) -> dict[int, str]:
    from jingzhun.registry.models import Person

    heads: dict[int, str] = {}
    rows = Person.objects.filter(household_id__in=household_ids, relation="head").order_by("status", "id")
    for household_id, name in rows.values_list("household_id", "name"):
        heads.setdefault(household_id, name)
    return heads


def _read(rows: QuerySet[Any]) -> tuple[list[Any], dict[int, str], int]:
    total = rows.count()
    items = capped(rows.select_related("household__village__parent"), total)
    return items, _heads([i.household_id for i in items]), total


def _day(value: dt.date | None, fmt: str = "%Y-%m-%d") -> str:
    return value.strftime(fmt) if value else ""


def _place(item: Any) -> tuple[str, str]:
    village = item.household.village
    return (village.parent.name if village.parent else "", village.name)


def applications(actor: Actor, rows: QuerySet[Any], filters: list[str]) -> Export:
    items, heads, total = _read(rows)
    headers = ("编号", "户编号", "户主", "乡镇", "村", "救助类别", "先行救助", "申请类型", "办理状态", "申请日期")
    out = [
        (
            a.pk,
            a.household.household_no,
            heads.get(a.household_id, ""),
            *_place(a),
            a.get_family_display(),
            "是" if a.paid_first else "",
            a.get_kind_display(),
            a.get_status_display(),
            _day(a.submitted_on),
        )
        for a in items
    ]
    return Export("救助申请", filters, headers, out, total, actor.scope)


def enrollments(actor: Actor, rows: QuerySet[Any], filters: list[str]) -> Export:
    items, heads, total = _read(rows)
    headers = ("户编号", "户主", "乡镇", "村", "救助类别", "状态", "暂停起始", "起始月份", "终止月份", "下次复核")
    out = [
        (
            e.household.household_no,
            heads.get(e.household_id, ""),
            *_place(e),
            e.get_family_display(),
            e.get_status_display(),
            _day(e.suspended_from, "%Y-%m") if e.status == "suspended" else "",
            _day(e.start_month, "%Y-%m"),
            _day(e.end_month, "%Y-%m"),
            _day(e.next_review_due),
        )
        for e in items
    ]
    return Export("在册对象", filters, headers, out, total, actor.scope)


def due(actor: Actor, rows: QuerySet[Any], filters: list[str], today: dt.date) -> Export:
    items, heads, total = _read(rows)
    headers = ("户编号", "户主", "乡镇", "村", "救助类别", "复核日期", "原因")
    out = [
        (
            e.household.household_no,
            heads.get(e.household_id, ""),
            *_place(e),
            e.get_family_display(),
            _day(e.next_review_due),
            "年度复核到期" if e.next_review_due <= today else "户籍或收入有变化",
        )
        for e in items
    ]
    return Export("待复核", filters, headers, out, total, actor.scope)
