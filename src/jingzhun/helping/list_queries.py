"""帮扶记录 across a region: the list page and its 导出Excel read the same filtered records.

Who sees which records is who sees which households (registry/queries.py): county, township and village
staff and auditors every household under their region; a 帮扶 cadre the households assigned to them; the
administrator all. A region filter outside the viewer's region is a 404, as a household outside it is.

Built for 10⁵ households (``bench/bench_help_list.py``): the scope and the region filter go through the
villages' ids, as the household search does; the order is ``(date, id)`` newest first — a county walks the
``help_record_date`` index and stops after the page, a township or village reads its households' records
(``help_record_household_date``) and sorts them. The count stops at :data:`COUNT_CAP`. A page reads its rows
with their household, village, township and 户主 in one query and its photos in one more.
The search box is the household search's own (:func:`registry.queries.text_filter`): a name, a name and
the last 4 digits of an ID number together (“吴全华 0013”), an ID tail, a 户编号, a village's name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.core.scope import region_prefix
from jingzhun.helping.models import HelpKind, HelpPhoto, HelpRecord
from jingzhun.registry.attachments import Attachment
from jingzhun.registry.models import Household, Person, PersonStatus, Region, RegionLevel
from jingzhun.registry.queries import households_for, text_filter

STATES = {"": "有效记录", "voided": "已作废", "all": "全部（含已作废）"}
COUNT_CAP = 10_000  # "超过 10000 条" rather than counting a county's records to the end on every page


@dataclass(frozen=True)
class HelpFilter:
    """What the list filters by; every field optional."""

    region: str = ""  # a township or village code inside the viewer's region
    cadre: str = ""  # 帮扶责任人 (the household's), part of the name
    kind: str = ""  # a HelpKind value
    since: dt.date | None = None  # 帮扶日期 from (inclusive)
    until: dt.date | None = None  # 帮扶日期 to (inclusive)
    q: str = ""  # the household search box
    state: str = ""  # STATES


@dataclass
class Found:
    records: QuerySet[HelpRecord]  # filtered, ordered newest first, not yet paged
    notes: list[str] = field(default_factory=list)  # how the search box was read, in Chinese
    region_name: str = ""


def region_named(actor: Actor, code: str) -> Region:
    """The township or village ``code`` when it lies inside the actor's region; Http404 otherwise."""
    region = Region.objects.filter(code=code, level__in=(RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)).first()
    if region is None or not code.startswith(actor.scope):
        raise Http404("未找到该区域（或不在您的工作范围内）")
    return region


def filtered(actor: Actor, f: HelpFilter) -> Found:
    """The records the actor may read that match ``f``, newest first, each with its household, village,
    township and ``head_name`` (the 户主) loaded."""
    prefix, region_name = actor.scope, ""
    if f.region:
        region = region_named(actor, f.region)
        prefix, region_name = region_prefix(region.code), region.name
    rows = HelpRecord.objects.all()
    if prefix:
        villages = list(
            Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=prefix).values_list("pk", flat=True)
        )
        if len(prefix) >= len("141102001"):  # a township or a village: its households' records, then sorted
            rows = rows.filter(household__village_id__in=villages)
        else:  # a county or more: walk the (date, id) index newest first and stop after the page (``+ 0``
            # keeps the village index out of the plan, as the household search's walk does)
            rows = rows.alias(village_key=F("household__village_id") + 0).filter(village_key__in=villages)
    if actor.role == Role.ASSIGNED_CADRE:
        rows = rows.filter(household__assigned_cadre=actor.user)
    if f.state == "voided":
        rows = rows.filter(voided_at__isnull=False)
    elif f.state != "all":
        rows = rows.filter(voided_at__isnull=True)
    if f.kind in HelpKind.values:
        rows = rows.filter(kind=f.kind)
    if f.since is not None:
        rows = rows.filter(date__gte=f.since)
    if f.until is not None:
        rows = rows.filter(date__lte=f.until)
    if f.cadre:
        rows = rows.filter(household__cadre_name__contains=f.cadre)
    text = text_filter(actor, f.q)
    if text.persons is not None:
        match = Q(household_id__in=Person.objects.filter(text.persons).values("household_id"))
        if text.households is not None:
            match |= Q(household_id__in=Household.objects.filter(text.households).values("pk"))
        rows = rows.filter(match)
    elif text.households is not None:
        rows = rows.filter(household_id__in=Household.objects.filter(text.households).values("pk"))
    return Found(_with_household(rows).order_by("-date", "-id"), text.notes, region_name)


def _with_household(rows: QuerySet[HelpRecord]) -> QuerySet[HelpRecord]:
    head = Person.objects.filter(household_id=OuterRef("household_id"), relation="head", status=PersonStatus.ACTIVE)
    return rows.select_related("household__village__parent").annotate(
        head_name=Subquery(head.order_by("id").values("name")[:1])
    )


def photos_of(record_ids: list[int], *, voided: bool = False) -> dict[int, list[Attachment]]:
    """{record id: its 走访照片 (attachments), oldest first} in one query; voided photos only when asked."""
    links = HelpPhoto.objects.filter(record_id__in=record_ids).select_related("attachment").order_by("id")
    if not voided:
        links = links.filter(attachment__voided_at__isnull=True)
    out: dict[int, list[Attachment]] = defaultdict(list)
    for link in links:
        out[link.record_id].append(link.attachment)
    return out


def record_for(actor: Actor, pk: int) -> HelpRecord:
    """One record the actor may read (with household, village, township, 户主); Http404 otherwise."""
    record = _with_household(HelpRecord.objects.filter(pk=pk, household__in=households_for(actor))).first()
    if record is None:
        raise Http404("未找到该帮扶记录")
    return record


def capped_count(records: QuerySet[HelpRecord], cap: int) -> tuple[int, bool]:
    """(how many records match, up to ``cap``; whether there are more than ``cap``), reading no further."""
    counted = records.order_by().values("pk")[: cap + 1].count()  # without the page's joins and 户主 subquery
    return min(counted, cap), counted > cap
