"""导出Excel of the 疑点 list (数据比对) and the 返贫预警 cases list, as each list shows its rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from jingzhun.core.actions import Actor
from jingzhun.core.list_export import Export, capped
from jingzhun.registry.idnumber import mask_id_number


def suspects(actor: Actor, rows: QuerySet[Any], filters: list[str], short: dict[str, str]) -> Export:
    """疑点: the person's ID number masked, as on the list, whoever exports."""
    total = rows.count()
    headers = ("村", "户编号", "姓名", "身份证号", "名单", "匹配", "匹配概率", "状态")
    out = [
        (
            s.household.village.name,
            s.household.household_no,
            s.person.name,
            mask_id_number(s.person.id_number),
            short.get(s.source, s.source),
            "身份证号" if s.match == "exact" else "姓名+出生日期+村",
            f"{float(s.probability) * 100:.1f}%",
            s.get_state_display(),
        )
        for s in capped(rows, total)
    ]
    return Export("数据比对疑点", filters, headers, out, total, actor.scope)


def cases(actor: Actor, rows: QuerySet[Any], filters: list[str], today: dt.date) -> Export:
    from jingzhun.monitoring.cases import queries
    from jingzhun.registry.models import Person

    total = rows.count()
    items = capped(rows, total)
    heads: dict[int, str] = {}
    people = Person.objects.filter(household_id__in=[c.household_id for c in items], relation="head")
    for household_id, name in people.order_by("status", "id").values_list("household_id", "name"):
        heads.setdefault(household_id, name)
    headers = (
        *("案件", "户编号", "户主", "乡镇", "村", "预警等级"),
        *("预警项", "状态", "首次预警", "办结期限", "超期", "下一步"),
    )
    out = [
        (
            c.pk,
            c.household.household_no,
            heads.get(c.household_id, ""),
            c.household.village.parent.name if c.household.village.parent else "",
            c.household.village.name,
            queries.level_zh(c.level),
            queries.flags_zh(c.flags),
            c.get_state_display(),
            f"{c.first_flag_on:%Y-%m-%d}" if c.first_flag_on else "",
            f"{c.due_on:%Y-%m-%d}" if c.due_on else "",
            "已超期" if queries.is_overdue(c, today) else "",
            queries.NEXT_STEP.get(c.state, ("—", frozenset()))[0],
        )
        for c in items
    ]
    return Export("返贫预警案件", filters, headers, out, total, actor.scope)
