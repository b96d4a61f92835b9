"""导出Excel of 户籍查询: every page of the search, as the list shows it (ID numbers masked)."""

from __future__ import annotations

from dataclasses import replace

from jingzhun.core import list_export
from jingzhun.core.actions import Actor
from jingzhun.core.list_export import Export, filter_words
from jingzhun.policy.vocabulary import FAMILIES
from jingzhun.registry import queries
from jingzhun.registry.models import HouseholdStatus, Region

HEADERS = ("户编号", "户主", "身份证号", "乡镇", "村", "在册人数", "户状态", "在册救助", "户籍状态")


def households(actor: Actor, s: queries.Search) -> Export:
    """The search's households page after page (keyset, the list's own plan) up to the export cap."""
    statuses = {**dict(HouseholdStatus.choices), queries.NOT_REGISTERED: "非建档立卡"}
    region = Region.objects.filter(code=s.region).values_list("name", flat=True).first() if s.region else ""
    export = Export(
        "户籍查询",
        filter_words(
            [
                ("姓名/身份证号/户编号", s.q),
                ("区域", f"{region}（{s.region}）" if region else s.region),
                ("户状态", statuses.get(s.status, s.status)),
                ("在册救助", FAMILIES.get(s.family, s.family)),
                ("户籍状态", queries.ACTIVE_CHOICES.get(s.active, s.active)),
            ]
        ),
        HEADERS,
        region_code=actor.scope,
    )
    search = replace(s, after="", before="", limit=queries.MAX_PAGE_SIZE)
    while True:
        page = queries.search(actor, search)
        if not export.total:
            export.total = page.count
        for row in page.rows:
            h = row.household
            export.rows.append(
                (
                    h.household_no,
                    row.head_name,
                    row.head_id,
                    h.village.parent.name if h.village.parent else "",
                    h.village.name,
                    row.members,
                    h.get_status_display() if h.status else "非建档立卡",
                    "、".join(row.families),
                    "在册" if h.active else "已销户",
                )
            )
        if not page.next_after:
            break
        if len(export.rows) >= list_export.EXPORT_CAP:
            export.more = True  # a very common name's count stops at COUNT_CAP: the file says "超过"
            break
        search = replace(search, after=page.next_after)
    export.more = export.more or len(export.rows) > list_export.EXPORT_CAP
    del export.rows[list_export.EXPORT_CAP :]
    export.total = max(export.total, len(export.rows))
    return export
