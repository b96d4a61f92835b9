"""Reads behind the 一码清 pages: benefit totals, household and region summaries, projects.

Every page costs a handful of queries whatever the size of the village or township: counts are
aggregates, benefit totals are one ``GROUP BY``, and nothing is loaded per household.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Case, CharField, Count, F, Max, OuterRef, Q, Subquery, Sum, Value, When

from jingzhun.core import workday
from jingzhun.helping.models import HelpKind, HelpRecord
from jingzhun.helping.queries import PUBLIC_LIMIT, public_text
from jingzhun.policy.vocabulary import BANK_STATUS_NAMES, PUBLIC_GROUP, PUBLIC_MEASURES, PUBLIC_PROGRAM_NAMES
from jingzhun.public.models import PublicToken
from jingzhun.registry.models import (
    EXITED_STATUSES,
    Household,
    HouseholdStatus,
    Person,
    PersonStatus,
    Region,
    RegionLevel,
)
from jingzhun.registry.public_contact import PublicContact

PROGRAM_NAMES = PUBLIC_PROGRAM_NAMES
_ORDER = {program: i for i, program in enumerate(PROGRAM_NAMES)}

MEASURES = PUBLIC_MEASURES


def public_group(program: str) -> str:
    """The program id the public pages file ``program`` under (itself unless merged: PUBLIC_GROUP)."""
    return PUBLIC_GROUP.get(program, program)


@dataclass(frozen=True)
class ProgramTotal:
    """One public group's payments in a year (``program`` is the group's id, see PUBLIC_GROUP):
    amount in integer fen and how many households received it."""

    program: str
    amount_fen: int
    households: int = 1

    @property
    def name(self) -> str:
        return PROGRAM_NAMES.get(self.program, self.program)


def _payment_lines() -> Any:
    """The ledger's PaymentLine model, or None while the ledger app (or its model) is not there yet."""
    if not apps.is_installed("jingzhun.ledger"):
        return None
    try:
        return apps.get_model("ledger", "PaymentLine")
    except LookupError:
        return None


def _group_expression() -> Case:
    return Case(
        *(When(program__in=[p for p, g in PUBLIC_GROUP.items() if g == group], then=Value(group)) for group in
          dict.fromkeys(PUBLIC_GROUP.values())),
        default=F("program"),
        output_field=CharField(),
    )  # fmt: skip


def _status_events() -> Any:
    """The ledger's PaymentStatusEvent model (a line's bank status), or None without the ledger."""
    if not apps.is_installed("jingzhun.ledger"):
        return None
    try:
        return apps.get_model("ledger", "PaymentStatusEvent")
    except LookupError:
        return None


def _totals(lines: Any) -> list[ProgramTotal]:
    """Per public group (one household counted once in a group, whatever it received in it)."""
    rows = (
        lines.annotate(group=_group_expression())
        .values("group")
        .annotate(amount=Sum("amount_fen"), households=Count("household", distinct=True))
        .order_by()
    )
    return _sorted(ProgramTotal(r["group"], int(r["amount"]), int(r["households"])) for r in rows if r["amount"])


def _sorted(totals: Iterable[ProgramTotal]) -> list[ProgramTotal]:
    return sorted(totals, key=lambda t: (_ORDER.get(t.program, len(_ORDER)), t.program))


def _year_lines(year: int) -> Any:
    model = _payment_lines()
    if model is None:
        return None
    return model.objects.filter(month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1))


_years: dict[str, int] = {}
_years_version: list[int] = [0]


def public_year(ledger_version: int | None, region_code: str = "") -> int:
    """公开年度 of a page of ``region_code`` (a household page passes its village): the calendar year of the
    latest month run that covered it (``MonthRun`` whose scope is a prefix of the code), else of the
    ledger's latest line, else today's year.

    "本年度" on a door label means the payments a family can check, so in January, before the first
    run of the new year, the page still shows the whole of last year rather than an empty one (and the
    demo's 2020 ledger shows as 2020); a township that has run January does not turn its neighbours'
    pages to an empty new year. Read once per ledger version (its highest line id, from the token
    query) and region per process.
    """
    model = _payment_lines()
    if not ledger_version or model is None:  # no line yet: nothing to read
        return workday.today().year
    if _years_version[0] != ledger_version:
        _years.clear()
        _years_version[0] = ledger_version
    if (year := _years.get(region_code)) is not None:
        return year
    from jingzhun.ledger.queries import last_run_month

    latest = last_run_month(region_code)
    if latest is None:
        latest = model.objects.aggregate(latest=Max("month"))["latest"]
    year = latest.year if latest is not None else workday.today().year
    _years[region_code] = year
    return int(year)


def household_benefits(household: Household, year: int) -> list[ProgramTotal]:
    """本年度各项补助: the household's payments in ``year`` summed per program, in fen; one query
    (hand-written, like :func:`find_token`: it runs on every page not yet cached).

    Assumes the ledger (``jingzhun.ledger``, written separately) has a model ``ledger.PaymentLine``
    with ``household`` (FK to registry.Household), ``program`` (program id, str), ``month`` (date,
    first day of the month paid for) and ``amount_fen`` (int; a reversal is a negative line, so sums
    net out corrections). While the app or that model is missing this returns ``[]``.
    """
    model = _payment_lines()
    if model is None:
        return []

    def build(p: list[str]) -> str:
        return (
            f"SELECT program, SUM(amount_fen) FROM {_q(model._meta.db_table)}"
            f" WHERE household_id = {p[0]} AND month >= {p[1]} AND month < {p[2]} GROUP BY program"
        )

    params = [household.pk, dt.date(year, 1, 1), dt.date(year + 1, 1, 1)]
    rows = _fetch("benefits", build, ["bigint", "date", "date"], params)
    grouped: dict[str, int] = {}
    for program, amount in rows:
        grouped[public_group(program)] = grouped.get(public_group(program), 0) + int(amount)
    return _sorted(ProgramTotal(group, amount) for group, amount in grouped.items() if amount)


def card_tail(account: str) -> str:
    """The last 4 digits of a bank account (what a family checks its passbook by), "" without one."""
    digits = "".join(c for c in account if c.isdigit())
    return digits[-4:] if len(digits) >= 8 else ""


ARRIVED, WAITING = BANK_STATUS_NAMES["paid"], BANK_STATUS_NAMES["pending"]  # the one 发放状态 vocabulary


@dataclass(frozen=True)
class MonthPaid:
    """One month of a household's payments on its public page: the net amount (fen), the public
    programs it carries, and 已到账 when the bank confirmed every line of it (else 待发)."""

    month: dt.date
    amount_fen: int
    programs: tuple[str, ...]
    status: str

    @property
    def arrived(self) -> bool:
        return self.status == ARRIVED


@dataclass(frozen=True)
class HouseholdYear:
    """A household's year on its public page: per public group (``benefits``), per month (``months``,
    newest first) and when its payments last changed (a line booked or a bank answer; None without any)."""

    benefits: list[ProgramTotal]
    months: list[MonthPaid]
    updated: dt.datetime | None


def _when(value: object) -> dt.datetime | None:
    """A timestamp from a raw cursor (SQLite hands text), as an aware datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def household_year(household: Household, year: int) -> HouseholdYear:
    """本年度各项补助 and each month's 已到账 / 待发: the household's payment lines of ``year`` summed per
    month and program with how many of them the bank has not confirmed, in one hand-written query (it
    runs on every page not yet cached, like :func:`find_token`).

    A line counts as arrived when its latest bank status event is ``paid`` (``ledger.PaymentStatusEvent``);
    programs paid outside the month run (at the hospital, by the insurer: PAID_OUTSIDE_MONTH_RUN) never
    reach a bank file and do not hold a month at 待发. Without the ledger: empty.
    """
    from jingzhun.policy.vocabulary import PAID_OUTSIDE_MONTH_RUN

    model = _payment_lines()
    if model is None:
        return HouseholdYear([], [], None)
    events = _status_events()
    lines_t = _q(model._meta.db_table)
    outside = ", ".join(_literal(p) for p in PAID_OUTSIDE_MONTH_RUN)
    has_created = any(f.name == "created_at" for f in model._meta.get_fields())
    created = "MAX(pl.created_at)" if has_created else "NULL"
    if events is not None:
        ev = _q(events._meta.db_table)
        latest = f"(SELECT e.status FROM {ev} e WHERE e.line_id = pl.id ORDER BY e.id DESC LIMIT 1)"
        answered = f"MAX((SELECT MAX(e.at) FROM {ev} e WHERE e.line_id = pl.id))"
        unpaid = f"SUM(CASE WHEN pl.program IN ({outside}) THEN 0 WHEN {latest} = {_literal('paid')} THEN 0 ELSE 1 END)"
    else:
        answered, unpaid = "NULL", f"SUM(CASE WHEN pl.program IN ({outside}) THEN 0 ELSE 1 END)"

    def build(p: list[str]) -> str:
        return (
            f"SELECT pl.month, pl.program, SUM(pl.amount_fen), {unpaid}, {created}, {answered} FROM {lines_t} pl"
            f" WHERE pl.household_id = {p[0]} AND pl.month >= {p[1]} AND pl.month < {p[2]}"
            " GROUP BY pl.month, pl.program"
        )

    params = [household.pk, dt.date(year, 1, 1), dt.date(year + 1, 1, 1)]
    rows = _fetch("months", build, ["bigint", "date", "date"], params)
    grouped: dict[str, int] = {}
    months: dict[dt.date, list[Any]] = {}
    updated: dt.datetime | None = None
    for month, program, amount, waiting, booked, answer in rows:
        if isinstance(month, str):
            month = dt.date.fromisoformat(month)
        group = public_group(program)
        grouped[group] = grouped.get(group, 0) + int(amount)
        entry = months.setdefault(month, [0, {}, 0])
        entry[0] += int(amount)
        entry[1][group] = entry[1].get(group, 0) + int(amount)
        entry[2] += int(waiting or 0)
        for when in (_when(booked), _when(answer)):
            if when is not None and (updated is None or when > updated):
                updated = when
    paid = [
        MonthPaid(
            month,
            fen,
            tuple(t.name for t in _sorted(ProgramTotal(g, a) for g, a in by_group.items() if a)),
            WAITING if waiting else ARRIVED,
        )
        for month, (fen, by_group, waiting) in sorted(months.items(), reverse=True)
        if fen or by_group
    ]
    benefits = _sorted(ProgramTotal(group, amount) for group, amount in grouped.items() if amount)
    return HouseholdYear(benefits, paid, updated)


def region_benefits(region_prefix: str, year: int) -> list[ProgramTotal]:
    """Per-program totals (fen) and recipient households in ``year`` for every household whose
    village code starts with ``region_prefix``; one query. Same ledger assumption as
    :func:`household_benefits`; ``[]`` without it.
    """
    lines = _year_lines(year)
    if lines is None:
        return []
    return _totals(lines.filter(household__village__code__startswith=region_prefix))


def measures(benefits: list[ProgramTotal], household_pk: int | None = None, year: int | None = None) -> list[str]:
    """帮扶措施: the programs that paid this year, then the cadres' public 帮扶记录 of the year (their
    kind and public text only, never the private content: ``helping.queries``), without repeats."""
    named = [MEASURES.get(b.program, b.name) for b in benefits]
    if household_pk is not None and year is not None:
        named += [text if text == label else f"{label}：{text}" for label, text in help_measures(household_pk, year)]
    return list(dict.fromkeys(named))


def help_measures(household_pk: int, year: int) -> list[tuple[str, str]]:
    """(kind label, public text or the label) of the household's public, non-voided 帮扶记录 of ``year``,
    newest first — what ``helping.queries.public_help_measures`` returns (a test holds them
    equal), as one hand-written prepared query: it runs on every household page not yet cached."""
    table = _q(HelpRecord._meta.db_table)

    def build(p: list[str]) -> str:
        return (
            f"SELECT kind, public_text FROM {table} WHERE household_id = {p[0]} AND date >= {p[1]}"
            f" AND date < {p[2]} AND public = {TRUE} AND voided_at IS NULL ORDER BY date DESC, id DESC"
            f" LIMIT {PUBLIC_LIMIT}"
        )

    rows = _fetch(
        "help", build, ["bigint", "date", "date"], [household_pk, dt.date(year, 1, 1), dt.date(year + 1, 1, 1)]
    )
    labels = dict(HelpKind.choices)
    return [(labels.get(kind, kind), public_text(kind, text)) for kind, text in rows]


def projects(region_code: str) -> list[Any]:
    """扶贫项目 a page of ``region_code`` lists (a household page passes its village's code), every year,
    newest first: ``projects.queries.public_projects``, one query."""
    from jingzhun.projects.queries import public_projects

    return list(public_projects(region_code))


def fund_totals(region_code: str) -> list[Any]:
    """Funds by source over the projects of a township or village (``projects.queries.totals_by_region``);
    one query."""
    from jingzhun.projects.queries import totals_by_region

    return list(totals_by_region(region_code))


def village_pv(village_code: str) -> Any:
    """The village's 光伏收益 block (``projects.queries.public_pv``): stations, each year's revenue and its
    distribution by use, no names; None without a station. Three queries."""
    from jingzhun.projects.queries import public_pv

    return public_pv(village_code)


def status_in_words(household: Household) -> str:
    """建档立卡 status as the public page says it: the 户状态 in the staff pages' words (``HouseholdStatus``,
    one vocabulary), and for an exited household the year it exited."""
    if not household.registered_poor:
        return "非建档立卡户"
    status = HouseholdStatus(household.status)
    words = f"建档立卡户 · {status.label}"
    if status in EXITED_STATUSES and household.status_date:
        words += f" · {household.status_date.year}年脱贫"
    return words


@dataclass(frozen=True)
class Found:
    """An active token and what its page needs to name, read by :func:`find_token`.

    ``region`` is the township or village of a region token; ``household``, ``village`` and
    ``township`` are set for a household token (``head_name`` unmasked: mask before showing).
    ``parent_token`` is a village's township's active token. ``row`` is the whole row as read, with
    the active-token count and highest id of a township's villages; with the year it versions the
    cached page (see views.py).
    """

    token: str
    level: str
    region: Region | None
    parent: Region | None
    household: Household | None
    village: Region | None
    township: Region | None
    head_name: str
    members: int
    ledger_version: int
    parent_token: str | None
    row: tuple[object, ...]
    help_records: int = 0  # a household's public, non-voided 帮扶记录 (any year): 0 saves their query
    county_name: str = ""
    office: str = ""  # the county's 发布单位 as set (PublicContact), "" when not set
    phone: str = ""  # the county's 监督举报电话, "" when not set
    card_tail: str = ""  # the last 4 digits of the household's bank account (代发账户), "" without one


def _q(name: str) -> str:
    from django.db import connection

    return connection.ops.quote_name(name)


def _literal(value: str) -> str:
    """A constant of this module (a status or level code) as an SQL string literal."""
    assert value.replace("_", "").isalnum(), value
    return f"'{value}'"


def _lookup_sql(param: str) -> str:
    """The token lookup as SQL text with the token as its one parameter (``param``), built once per
    process: the ORM would compile it on every request, which cost more CPU than all the rest of a
    cached page. Constants are literals, so PostgreSQL can keep it as a prepared statement."""
    token_t, region_t = _q(PublicToken._meta.db_table), _q(Region._meta.db_table)
    household_t, person_t = _q(Household._meta.db_table), _q(Person._meta.db_table)
    lines = _payment_lines()
    ledger = f"(SELECT MAX(id) FROM {_q(lines._meta.db_table)})" if lines is not None else "0"
    persons = f"FROM {person_t} p WHERE p.household_id = h.id AND p.status = {_literal(PersonStatus.ACTIVE)}"
    # A township page links its villages by their active tokens: their number and highest id change
    # with every revoke or reissue, so they version the cached page.
    links = (
        f"FROM {token_t} pt JOIN {region_t} c ON c.id = pt.region_id WHERE c.parent_id = r.id"
        f" AND pt.revoked_at IS NULL AND r.level = {_literal(RegionLevel.TOWNSHIP)}"
    )
    # 帮扶记录 version a household page: a new record raises the highest id, a voided one lowers the count.
    help_t = _q(HelpRecord._meta.db_table)
    shown = f"FROM {help_t} hr WHERE hr.household_id = h.id AND hr.public = {TRUE} AND hr.voided_at IS NULL"
    help_version = f"(SELECT COUNT(*) {shown}), (SELECT MAX(hr.id) FROM {help_t} hr WHERE hr.household_id = h.id)"
    # A household page names its county's publisher and 监督举报电话 and the card's last digits, and says
    # which months are 已到账: the bank's status events (append-only, so their highest id) version it too.
    contact_t = _q(PublicContact._meta.db_table)
    events = _status_events()
    bank = f"(SELECT MAX(id) FROM {_q(events._meta.db_table)})" if events is not None else "0"
    return f"""
SELECT t.level, r.id, r.code, r.name, r.level, rp.id, rp.code, rp.name,
       h.id, h.household_no, h.registered_year, h.status, h.status_date, h.cadre_name, h.cadre_phone,
       v.id, v.code, v.name, tw.id, tw.code, tw.name,
       (SELECT p.name {persons} AND p.relation = 'head' ORDER BY p.id LIMIT 1),
       (SELECT COUNT(*) {persons}),
       {ledger},
       (SELECT pt.token FROM {token_t} pt WHERE pt.region_id = r.parent_id AND pt.revoked_at IS NULL LIMIT 1),
       (SELECT COUNT(*) {links}),
       (SELECT MAX(pt.id) {links}),
       {help_version},
       co.name, ct.office, ct.phone, ct.updated_at, h.bank_account, {bank}
FROM {token_t} t
LEFT JOIN {region_t} r ON r.id = t.region_id
LEFT JOIN {region_t} rp ON rp.id = r.parent_id
LEFT JOIN {household_t} h ON h.id = t.household_id
LEFT JOIN {region_t} v ON v.id = h.village_id
LEFT JOIN {region_t} tw ON tw.id = v.parent_id
LEFT JOIN {region_t} co ON co.id = tw.parent_id
LEFT JOIN {contact_t} ct ON ct.county_id = co.id
WHERE t.token = {param} AND t.revoked_at IS NULL AND (t.household_id IS NULL OR h.active = {TRUE})"""


TRUE = "TRUE"  # PostgreSQL's boolean, and SQLite's 1 since 3.23
_SQL: dict[tuple[str, str], str] = {}
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()
_prepared_lock = threading.Lock()


def _fetch(kind: str, build: Callable[[list[str]], str], types: list[str], params: list[Any]) -> list[tuple[Any, ...]]:
    """Run one of this module's hand-written queries through Django's cursor (so it is counted and
    logged like any other). On PostgreSQL it is a statement prepared once per database connection
    (planning the token lookup took five times as long as running it); elsewhere plain SQL.

    ``build`` gets the placeholders (``%s`` or ``$n``) and returns the SQL text; ``types`` are the
    PostgreSQL types of the parameters. The text is built once per process, ledger table and vendor.
    A prepared statement lives in the database session: behind a pooler, use session pooling (a
    transaction-pooling PgBouncer would hand the ``EXECUTE`` to a session that never prepared it).
    """
    from django.db import connection

    model = _payment_lines()
    key = (kind, connection.vendor, model._meta.db_table if model is not None else "")
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql = _SQL.get(key)
            if sql is None:
                sql = _SQL[key] = build(["%s"] * len(types))
            cursor.execute(sql, params)
            return cursor.fetchall()  # type: ignore[no-any-return]
        name = _SQL.get(key)
        if name is None:
            text = build([f"${i + 1}" for i in range(len(types))])
            digest = hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
            name = f"jingzhun_public_{kind}_{digest}"
            _SQL[(name, "text", "")] = f"PREPARE {name} ({', '.join(types)}) AS {text}"
            _SQL[key] = name
        raw = connection.connection
        done = _prepared.get(raw)
        if done is None:
            with _prepared_lock:  # WeakKeyDictionary is not safe to grow from several threads at once
                done = _prepared.setdefault(raw, set())
        if name not in done:
            # Straight on the driver's connection: set-up, not one of the page's queries. A prepared
            # statement outlives a rolled-back transaction, and a new connection is a new key here.
            raw.execute(_SQL[(name, "text", "")])
            done.add(name)
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
        return cursor.fetchall()  # type: ignore[no-any-return]


def _region(pk: object, code: object, name: object, level: str, parent: Region | None = None) -> Region | None:
    if pk is None:
        return None
    region = Region(pk=pk, code=code, name=name, level=level)
    if parent is not None:
        region.parent = parent
    return region


def find_token(token: str) -> Found | None:
    """The active token with what its page names, or None; always exactly one indexed query.

    Unknown, revoked and closed-household tokens all miss in the same query, so they cost the same.
    A household token also brings its head's name and the number of members in the register, as
    subqueries of that one query, and every token the ledger's version (its highest line id: the
    ledger is append-only, so any new payment, reversal or adjustment raises it).
    """
    rows = _fetch("lookup", lambda p: _lookup_sql(p[0]), ["text"], [token])
    if not rows:
        return None
    row = rows[0]
    level = row[0]
    if row[8] is None:  # a region token
        above = RegionLevel.TOWNSHIP if row[4] == RegionLevel.VILLAGE else RegionLevel.COUNTY
        parent = _region(row[5], row[6], row[7], above)
        region = _region(row[1], row[2], row[3], row[4], parent)
        return Found(token, level, region, parent, None, None, None, "", 0, int(row[23] or 0), row[24], tuple(row))
    township = _region(row[18], row[19], row[20], RegionLevel.TOWNSHIP)
    village = _region(row[15], row[16], row[17], RegionLevel.VILLAGE, township)
    status_date = row[12]
    if isinstance(status_date, str):  # SQLite hands a raw cursor text
        status_date = dt.date.fromisoformat(status_date)
    household = Household(
        pk=row[8],
        household_no=row[9],
        registered_year=row[10],
        status=row[11],
        status_date=status_date,
        cadre_name=row[13],
        cadre_phone=row[14],
        village=village,
    )
    return Found(
        token,
        level,
        None,
        None,
        household,
        village,
        township,
        head_name=row[21] or "",
        members=int(row[22]),
        ledger_version=int(row[23] or 0),
        parent_token=None,
        row=tuple(row),
        help_records=int(row[27] or 0),
        county_name=row[29] or "",
        office=row[30] or "",
        phone=row[31] or "",
        card_tail=card_tail(row[33] or ""),
    )


@dataclass(frozen=True)
class RegionCounts:
    households: int
    registered_poor: int
    exited: int
    persons: int


def region_counts(region: Region) -> RegionCounts:
    """户数、建档立卡户数、已脱贫户数、人数 of the active households of a village or township; two queries.

    Filtered by region id (the village, or the township's villages) rather than by code prefix: an
    equality the planner can estimate and the (village, active) index serves.
    """
    if region.level == RegionLevel.VILLAGE:
        households = Household.objects.filter(active=True, village=region)
    else:
        households = Household.objects.filter(active=True, village__parent=region)
    registered = Q(registered_year__isnull=False, status__in=HouseholdStatus.values)
    agg = households.aggregate(
        total=Count("pk"),
        registered=Count("pk", filter=registered),
        exited=Count("pk", filter=registered & Q(status__in=EXITED_STATUSES)),
    )
    persons = Person.objects.filter(status=PersonStatus.ACTIVE, household__in=households.values("pk")).count()
    return RegionCounts(
        households=agg["total"], registered_poor=agg["registered"], exited=agg["exited"], persons=persons
    )


def _active_token_of(field: str) -> Subquery:
    return Subquery(PublicToken.objects.filter(revoked_at__isnull=True, **{field: OuterRef("pk")}).values("token")[:1])


def township_villages(township: Region) -> list[Region]:
    """The township's villages, each with ``public_token`` (its own active token or None); one query."""
    return list(
        Region.objects.filter(parent=township, level=RegionLevel.VILLAGE)
        .annotate(public_token=_active_token_of("region"))
        .order_by("code")
    )
