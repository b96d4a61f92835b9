"""发放明细: the ledger's payment lines for staff — filtered, totalled, paged and exported — region scoped.

Filters: a month range (at most :data:`MAX_MONTHS` months, so a read is bounded by what the county pays in a
year), one program, a township or village inside the viewer's region, the 发放状态 (the latest bank status
event of the line: 待发/已报盘/已到账/退回, ``policy.vocabulary.BANK_STATUS_NAMES``) and the household search's
box (a member's name, the last 4 digits of an ID number, both, or a 户编号: ``registry.queries.filtered``, the
same reading as 户籍查询).

A page is a keyset page over ``(month desc, id)`` — the ``paymentline_month_id`` index (migration 0010)
walks the lines in order and stops after a page — and the lines' households, members and statuses are read
for that page only. The totals of the filtered set (:func:`totals`) are read from the running sums per village ×
program × month × status (``LineTotal``, kept by database triggers: ``line_totals.py``) and a count of the
region's households with a matching line; a search box's filter falls back to a sum over the lines
(:func:`summed`) — bench/bench_ledger_lines.py, README.
The export reads the same filtered lines in the same order (``core.list_export``, at most EXPORT_CAP rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from jingzhun.core.actions import Actor
from jingzhun.core.list_export import Export, capped, filter_words, yuan
from jingzhun.ledger.models import BankStatus, LineKind, LineTotal, PaymentLine, PaymentStatusEvent
from jingzhun.ledger.statements import bank_statuses
from jingzhun.policy.document import parse_month_or_none
from jingzhun.policy.money import fen_to_grouped
from jingzhun.policy.vocabulary import BANK_STATUS_NAMES, PROGRAM_NAMES
from jingzhun.registry.models import Household, Region

PAGE_SIZE = 50
COUNTY_PREFIX = 6  # region-code prefix length of a county (core.scope.region_prefix)
MAX_MONTHS = 12
HEADERS = (
    "台账行",
    "发放月份",
    "户编号",
    "乡镇",
    "村",
    "户主",
    "项目",
    "对象",
    "类型",
    "金额（元）",
    "发放状态",
    "说明",
)


@dataclass(frozen=True)
class LineFilter:
    """What the 发放明细 page filters by, as read from the query string (already checked)."""

    first: dt.date  # the range's first month (1st of the month)
    last: dt.date  # the range's last month
    program: str = ""
    region: str = ""  # a township or village code inside the viewer's scope; "" = the whole scope
    region_name: str = ""
    status: str = ""  # a BankStatus value, "" = any
    q: str = ""
    after: str = ""  # keyset cursor "YYYY-MM:id" of the previous page's last line

    def words(self) -> list[str]:
        """The filter in words, for the page's heading and the export's title."""
        months = f"{self.first:%Y-%m}" if self.first == self.last else f"{self.first:%Y-%m} 至 {self.last:%Y-%m}"
        chosen = [
            ("区域", self.region_name),
            ("项目", PROGRAM_NAMES.get(self.program, "")),
            ("发放状态", BANK_STATUS_NAMES.get(self.status, "")),
            ("查询", self.q),
        ]
        return [f"发放月份：{months}", *filter_words(chosen)]


class FilterError(ValueError):
    """A query-string value the page cannot read; the message is Chinese and names the field."""


def months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def read_filter(actor: Actor, get: Any, default_month: dt.date) -> LineFilter:
    """The filter from ``request.GET``; ``FilterError`` for a bad month or range, ``Http404`` for a region
    outside the viewer's scope (the same answer as a region that does not exist)."""
    first_text, last_text = (get.get("from") or "").strip(), (get.get("to") or "").strip()
    first = parse_month_or_none(first_text) if first_text else default_month
    last = parse_month_or_none(last_text) if last_text else first
    if first is None:
        raise FilterError(f"起始月份应为 YYYY-MM（如 2020-06），得到「{first_text}」[from]")
    if last is None:
        raise FilterError(f"截止月份应为 YYYY-MM（如 2020-06），得到「{last_text}」[to]")
    if last < first:
        raise FilterError(f"截止月份 {last:%Y-%m} 早于起始月份 {first:%Y-%m} [to]")
    if months_between(first, last) > MAX_MONTHS:
        raise FilterError(f"一次最多查询 {MAX_MONTHS} 个月，请缩小月份范围 [to]")
    program = get.get("program") or ""
    if program and program not in PROGRAM_NAMES:
        raise FilterError(f"没有项目「{program}」[program]")
    status = get.get("status") or ""
    if status and status not in BankStatus.values:
        raise FilterError(f"没有发放状态「{status}」[status]")
    region, region_name = (get.get("region") or "").strip(), ""
    if region:
        found = Region.objects.filter(code=region, level__in=("township", "village")).first()
        if found is None or not actor.can_see(region):
            raise Http404("未找到该区域")
        region_name = found.name
    return LineFilter(
        first=first,
        last=last,
        program=program,
        region=region,
        region_name=region_name,
        status=status,
        q=(get.get("q") or "").strip()[:40],
        after=get.get("after") or "",
    )


def _status_filter(lines: QuerySet[PaymentLine], status: str) -> QuerySet[PaymentLine]:
    """Lines whose latest bank status event is ``status`` (no event at all reads 待发).

    Written as EXISTS over "an event with no later event of its line", so PostgreSQL runs it as (anti) hash
    joins over the events once, not as one subquery per line (bench/bench_ledger_lines.py)."""
    later = PaymentStatusEvent.objects.filter(line=OuterRef("line"), id__gt=OuterRef("id"))
    latest = PaymentStatusEvent.objects.filter(~Exists(later), line=OuterRef("pk"))
    if status == BankStatus.PENDING:
        return lines.filter(~Exists(latest.exclude(status=BankStatus.PENDING)))
    return lines.filter(Exists(latest.filter(status=status)))


def _matching(actor: Actor, f: LineFilter) -> tuple[QuerySet[PaymentLine], list[str]]:
    """The lines matching ``f``'s months, program, status and search box, not yet narrowed to a region."""
    from jingzhun.registry.queries import Search, filtered

    lines = PaymentLine.objects.filter(month__gte=f.first, month__lte=f.last)
    if f.program:
        lines = lines.filter(program=f.program)
    notes: list[str] = []
    if f.q:  # the household search's own reading of the box, within the same region
        found = filtered(actor, Search(q=f.q, region=f.region, active="all"))
        notes = found.notes
        lines = lines.filter(household__in=found.households.values("pk"))
    if f.status:
        lines = _status_filter(lines, f.status)
    return lines, notes


def _villages(actor: Actor, f: LineFilter) -> list[int] | None:
    """The ids of the villages in the filter's region (else the viewer's); None for everywhere."""
    prefix = _prefix(f.region) if f.region else actor.scope
    if not prefix:
        return None
    return list(Region.objects.filter(level="village", code__startswith=prefix).values_list("pk", flat=True))


def filtered_lines(actor: Actor, f: LineFilter) -> tuple[QuerySet[PaymentLine], list[str]]:
    """The lines matching ``f`` in the viewer's region (unordered) and the search box's notes."""
    lines, notes = _matching(actor, f)
    villages = _villages(actor, f)
    if villages is not None:
        lines = lines.filter(household__village_id__in=villages)
    return lines, notes


def totals(actor: Actor, f: LineFilter) -> tuple[int, int, int]:
    """(lines, net fen, households) of the filtered set (:func:`_totals`)."""
    count, fen, households, _ = _totals(actor, f)
    return count, fen, households


def _totals(actor: Actor, f: LineFilter) -> tuple[int, int, int, list[dt.date] | None]:
    """(lines, net fen, households, the months holding a matching line — None when not known) of the set.

    Without a search box the lines and the net come from the running sums per village × program × month ×
    status (``LineTotal``, kept by triggers: ``line_totals.py``) — a few thousand cells for a county's year
    instead of ~10⁶ lines — and the households are counted as "a household of the region with a matching line"
    (one index probe per household, not a pass over the lines; in a single month, the month's distinct
    households from the (month, household) index). A search box's filter is not in the sums: its
    few households' lines are summed (:func:`summed`)."""
    if f.q:
        return (*summed(actor, f), None)
    cells = LineTotal.objects.filter(month__gte=f.first, month__lte=f.last)
    if f.program:
        cells = cells.filter(program=f.program)
    if f.status:
        cells = cells.filter(status=f.status)
    households = Household.objects.all()
    villages = _villages(actor, f)
    inside = True  # every matching line's household is in the region (the cells hold its current village)
    if villages is not None:
        if not villages:
            return 0, 0, 0, []
        inside = not cells.filter(lines__gt=0).exclude(village_id__in=villages).exists()
        cells = cells.filter(village_id__in=villages)
        households = households.filter(village_id__in=villages)
    found = cells.aggregate(n=Sum("lines"), t=Sum("amount_fen"))
    count = int(found["n"] or 0)
    if not count:
        return 0, int(found["t"] or 0), 0, []
    # only the months whose cells hold matching lines are probed: a status such as 待发 or 退回 lives in a
    # month or two of the year, and each probe of another month would read a line's status for nothing
    months = list(cells.filter(lines__gt=0).values_list("month", flat=True).distinct())
    lines, _ = _matching(actor, f)
    lines = lines.filter(month__in=months)
    if len(months) == 1:  # one month's lines come out of the (month, household) index in household order
        distinct = lines.values("household_id").distinct().order_by()
        if not inside:  # another region's lines in the month: keep this region's households
            distinct = distinct.filter(household_id__in=households.values("pk"))
        return count, int(found["t"] or 0), distinct.count(), months
    matched = households.filter(Exists(lines.filter(household_id=OuterRef("pk")))).count()
    return count, int(found["t"] or 0), matched, months


def summed(actor: Actor, f: LineFilter) -> tuple[int, int, int]:
    """(lines, net fen, households) of the filtered set summed over its lines, in one query.

    For a county or wider the lines are summed per household first and only those sums joined to the
    region's households: a county's year is ~10⁶ lines but 10⁵ households, and joining every line to its
    household and village cost seconds; a township's or village's lines are few, read through their
    households (bench/bench_ledger_lines.py)."""
    prefix = _prefix(f.region) if f.region else actor.scope
    if len(prefix) > COUNTY_PREFIX:  # a township or village: its households' lines through their index
        lines, _ = filtered_lines(actor, f)
        found = lines.aggregate(n=Count("id"), t=Sum("amount_fen"), h=Count("household_id", distinct=True))
        return int(found["n"]), int(found["t"] or 0), int(found["h"])
    lines, _ = _matching(actor, f)
    per_household = lines.values("household_id").annotate(n=Count("id"), t=Sum("amount_fen")).order_by()
    inner, params = per_household.query.sql_with_params()
    sql = f"SELECT COUNT(*), COALESCE(SUM(g.n), 0), COALESCE(SUM(g.t), 0) FROM ({inner}) g"
    villages = _villages(actor, f)
    if villages is not None:
        if not villages:
            return 0, 0, 0
        table = Household._meta.db_table
        marks = ", ".join(["%s"] * len(villages))
        sql += f" WHERE g.household_id IN (SELECT id FROM {table} WHERE village_id IN ({marks}))"
        params = (*params, *villages)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        households, count, total = cursor.fetchone()
    return int(count), int(total), int(households)


def _prefix(code: str) -> str:
    from jingzhun.core.scope import region_prefix

    return region_prefix(code)


@dataclass
class LineRow:
    line: PaymentLine
    head: str
    member: str
    status: str

    @property
    def amount(self) -> str:
        return fen_to_grouped(self.line.amount_fen)

    @property
    def program_name(self) -> str:
        return PROGRAM_NAMES.get(self.line.program, self.line.program)

    @property
    def kind_name(self) -> str:
        return str(LineKind(self.line.kind).label)


@dataclass
class LinePage:
    rows: list[LineRow]
    count: int
    total_fen: int
    households: int
    next_after: str | None
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> str:
        """The filtered set's net in the pages' money format (1,234.50)."""
        return fen_to_grouped(self.total_fen)


def _ordered(lines: QuerySet[PaymentLine]) -> QuerySet[PaymentLine]:
    return lines.order_by("-month", "id")


def _after(lines: QuerySet[PaymentLine], cursor: str) -> QuerySet[PaymentLine]:
    month_text, _, pk_text = cursor.partition(":")
    month = parse_month_or_none(month_text)
    if month is None or not pk_text.isdigit():
        return lines
    return lines.filter(Q(month__lt=month) | Q(month=month, id__gt=int(pk_text)))


def page(actor: Actor, f: LineFilter, limit: int = PAGE_SIZE) -> LinePage:
    """One keyset page of the filtered lines with the totals of the whole filtered set."""
    lines, notes = filtered_lines(actor, f)
    count, total_fen, households, months = _totals(actor, f)
    if f.status and months is not None:
        # a status lives in a few months of the range (待发: the last; 已到账: not the last): the keyset walk
        # starts and ends at the first and last month whose running sums hold a matching line, instead of
        # first reading the latest status of every line of the months that hold none (the sums are exact:
        # kept in the same transaction). A range, not an IN list: PostgreSQL keeps walking the (month, id)
        # index in order (an IN list of one month made it sort the month's lines: bench/bench_ledger_lines.py)
        lines = lines.filter(month__gte=min(months), month__lte=max(months)) if months else lines.none()
    keys = list(_ordered(_after(lines, f.after)).values_list("pk", flat=True)[: limit + 1])
    chunk = _rows(keys[:limit])
    last = chunk[-1].line if chunk and len(keys) > limit else None
    return LinePage(
        rows=chunk,
        count=count,
        total_fen=total_fen,
        households=households,
        next_after=f"{last.month:%Y-%m}:{last.pk}" if last else None,
        notes=notes,
    )


def _rows(keys: list[int]) -> list[LineRow]:
    """The lines ``keys`` (in that order) with household, village, member, head and status: four reads."""
    from jingzhun.registry.models import Person

    fetched = PaymentLine.objects.select_related("household__village__parent", "person").in_bulk(keys)
    lines = [fetched[pk] for pk in keys]
    heads: dict[int, str] = {}
    people = Person.objects.filter(household_id__in={line.household_id for line in lines}, relation="head")
    for household_id, name, state in people.order_by("household_id", "id").values_list(
        "household_id", "name", "status"
    ):
        if state == "active" or household_id not in heads:  # the current head; a former one if none is left
            heads[household_id] = name
    status = bank_statuses(keys)
    return [
        LineRow(line, heads.get(line.household_id, ""), line.person.name if line.person else "全户", status[line.pk])
        for line in lines
    ]


def export(actor: Actor, f: LineFilter) -> Export:
    """The filtered lines, all pages (up to EXPORT_CAP), in the page's order: the 导出Excel."""
    lines, _ = filtered_lines(actor, f)
    total = totals(actor, f)[0]
    keys = capped(_ordered(lines).values_list("pk", flat=True), total)
    rows = []
    for start in range(0, len(keys), 2000):  # a bounded IN list per read
        for row in _rows(keys[start : start + 2000]):
            line, village = row.line, row.line.household.village
            rows.append(
                (
                    line.pk,
                    f"{line.month:%Y-%m}",
                    line.household.household_no,
                    village.parent.name if village.parent else "",
                    village.name,
                    row.head,
                    row.program_name,
                    row.member,
                    row.kind_name,
                    yuan(line.amount_fen),
                    row.status,
                    line.reason,
                )
            )
    return Export("发放明细", f.words(), HEADERS, rows, total, f.region or actor.scope)
