"""导出Excel of 户籍查询: every page of the search, as the list shows it (ID numbers masked)."""

from __future__ import annotations

from jingzhun.core import list_export
from jingzhun.core.actions import Actor
from jingzhun.core.list_export import Export, filter_words
from jingzhun.policy.vocabulary import FAMILIES
from jingzhun.registry import queries
from jingzhun.registry.models import Household, HouseholdStatus, Region

CHUNK = 1_000  # households read (with their members and enrollments) at a time
HEADERS = ("户编号", "户主", "身份证号", "乡镇", "村", "在册人数", "户状态", "在册救助", "户籍状态")


def households(actor: Actor, s: queries.Search) -> Export:
    """The search's households (the list's own filters and plan) in 户编号 order, up to the export cap."""
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
    found = queries.filtered(actor, s)
    cap = list_export.EXPORT_CAP
    keys = queries.all_keys(found, cap + 1)
    export.more = len(keys) > cap  # said even when the count stopped early (a very common name: COUNT_CAP)
    keys = keys[:cap]
    for start in range(0, len(keys), CHUNK):  # the list's own row reader, a chunk at a time
        chunk = keys[start : start + CHUNK]
        fetched = Household.objects.select_related("village__parent").in_bulk(chunk)
        for row in queries.page_rows([fetched[pk] for pk in chunk], found.name):
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
    export.total = max(found.count, len(export.rows))
    return export
