"""The registry as the rules engine sees it: the POLICY.md §1 household document and the batch frames.

Both come from one loader, so the JSON path (``household_document``) and the Parquet/Polars path
(``household_frames``, DESIGN.md ``H.parquet``/``P.parquet``) agree to the fen. Rules:

* **Membership is month-dated** (POLICY.md §0, month of computation): a person counts for month M in
  the household they belonged to on the first day of M, rebuilt from their :class:`PersonEvent`
  history in (date, id) order. An event dated on or before the first day has happened by then (like a
  birthday on the 1st, §0 "Age"): a 迁入 or 合户 on 1 June counts for June, a death or 迁出 on 1 June
  stops June; a death on 10 July still counts for July and stops from August. Before a person's first
  event they belong to that event's 原户 (``from_household``), or to no household when it is a 迁入;
  a person without events belongs to their current household, unless they are no longer 在册 with a
  status date on or before the first day (or without one);
* **服刑** (:mod:`.custody`): a member serving a sentence on the first day of M is not a member of the
  共同生活家庭 for M — left out of the household's members (its size) and of its income, as 民政's 低保
  rules treat 在监狱服刑人员 (POLICY.md §8: a prisoners-list hit means "member does not share income");
  the document's contract is unchanged, the member is simply absent;
* a household is computed for M when it has at least one member on the first day of M — so a
  household merged (合户) or closed (销户) later still computes for the earlier months, and a
  re-run of a past month after a death, a move-out or a merge gives the same frames as before;
* ``id`` = 户编号; ``region`` = county code, the first six digits of the village code;
* ``registered_poor`` (建档立卡贫困户) = 建档立卡年份 filled and 户状态 one of POLICY.md §8's four;
* ``annual_income`` = the household's latest income year ≤ the month's year (the year of its most recent
  annual income survey, 年度收入核算), summed over the five sources of every member's record for that
  year (members of the month, as above); members without a record for that year count 0;
* a member's ``income_source`` = any of 工资性/种养殖/经营性/财产性收入 above zero in that same year;
* person ``id`` = the person's database key as text, never the ID number (it is sensitive).

Facts without a history (disability grade, labour, area, 户状态…) are as they stand now.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Iterable, Iterator
from functools import reduce
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import F, Q

from jingzhun.policy.money import fen_to_str
from jingzhun.registry.custody import CustodyTerm, serving_on
from jingzhun.registry.models import (
    Household,
    HouseholdStatus,
    IncomeRecord,
    Person,
    PersonEvent,
    PersonEventKind,
    PersonStatus,
)

OWN_FEN = ("wages_fen", "farming_fen", "business_fen", "property_fen")  # 工资性、种养殖、经营性、财产性
INCOME_FEN = (*OWN_FEN, "transfer_fen")  # + 转移性
CHUNK = 20_000  # rows per database round trip: bounded memory, a handful of queries per 100 000 households
IDS_CHUNK = 5_000  # household ids per IN-list when the caller picks households

MEMBER_FLAGS = (
    "disability_card_gen2",
    "needs_long_term_care",
    "disabled_elder_certified",
    "serious_illness",
    "late_stage_major_disease",
    "capable_supporter",
)
MEMBER_ENUMS = ("self_care", "labour", "student", "care_setting")
MEMBER_FIELDS = (
    "birth_date",
    "disability_grade",
    "disability_card_gen2",
    "needs_long_term_care",
    "disabled_elder_certified",
    "self_care",
    "labour",
    "student",
    "serious_illness",
    "late_stage_major_disease",
    "income_source",
    "capable_supporter",
    "care_setting",
)  # POLICY.md §1 member fields, in the document's order

H_SCHEMA = {
    "pk": pl.Int64,
    "id": pl.String,
    "village": pl.String,
    "area": pl.String,
    "registered_year": pl.Int64,
    "status": pl.String,
    "disqualified": pl.List(pl.String),
}
P_SCHEMA = {
    "pk": pl.Int64,
    "household_pk": pl.Int64,
    "birth_date": pl.Date,
    "disability_grade": pl.Int8,
    **{name: pl.Boolean for name in MEMBER_FLAGS},
    **{name: pl.String for name in MEMBER_ENUMS},
}
I_SCHEMA = {"person_pk": pl.Int64, "household_pk": pl.Int64, "year": pl.Int64, "total": pl.Int64, "own": pl.Int64}


def _first(month: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValueError(f"月份格式应为 YYYY-MM：{month}")
    return dt.date(int(month[:4]), int(month[5:]), 1)


def _chunks(ids: Iterable[int] | None) -> Iterator[list[int] | None]:
    if ids is None:
        yield None
        return
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), IDS_CHUNK):
        yield ordered[start : start + IDS_CHUNK]


def _coerce(name: str, have: pl.DataType, want: Any) -> pl.Expr:
    """Raw driver values → the frame's type: SQLite gives dates as text, booleans as 0/1, JSON as text."""
    column = pl.col(name)
    if want == pl.Date and have == pl.String:
        return column.str.to_date("%Y-%m-%d")
    if isinstance(want, pl.List) and have == pl.String:
        return column.str.json_decode(want)
    return column.cast(want)


def _fetch(queryset: Any, fields: tuple[str, ...], schema: dict[str, Any]) -> pl.DataFrame:
    """Run the ORM-built query on a raw cursor, CHUNK rows per fetch, skipping per-row ORM conversions."""
    sql, params = queryset.order_by().values_list(*fields).query.sql_with_params()
    frames = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            frames.append(pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None))
    if not frames:
        return pl.DataFrame(schema=schema)
    frame = pl.concat(frames, how="vertical_relaxed")
    return frame.select(_coerce(name, frame.schema[name], want) for name, want in schema.items())


P_FIELDS = ("pk", "household_id", "status", "status_date", *(n for n in P_SCHEMA if n not in ("pk", "household_pk")))
P_FETCH = {
    "pk": pl.Int64,
    "household_pk": pl.Int64,
    "status": pl.String,
    "status_date": pl.Date,
    **{name: dtype for name, dtype in P_SCHEMA.items() if name not in ("pk", "household_pk")},
}
I_FIELDS = ("person_id", "year", "total", "own")
I_FETCH = {name: dtype for name, dtype in I_SCHEMA.items() if name != "household_pk"}
E_SCHEMA = {"person_pk": pl.Int64, "id": pl.Int64, "kind": pl.String, "date": pl.Date, "from": pl.Int64, "to": pl.Int64}
E_FIELDS = ("person_id", "pk", "kind", "date", "from_household_id", "to_household_id")
_JOINS = (PersonEventKind.MOVE_IN.value, PersonEventKind.MERGE.value)


def _incomes(queryset: Any, year: int) -> pl.DataFrame:
    incomes = queryset.filter(year__lte=year).annotate(
        total=reduce(operator.add, (F(f) for f in INCOME_FEN)), own=reduce(operator.add, (F(f) for f in OWN_FEN))
    )
    return _fetch(incomes, I_FIELDS, I_FETCH)


def _load(first: dt.date, region_prefix: str, household_ids: Iterable[int] | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Households and members of the month under the prefix (or among ``household_ids``), see the module rules."""
    households, persons, incomes, events = [], [], [], []
    for ids in _chunks(household_ids):
        hq, pq, eq = Household.objects.all(), Person.objects.all(), PersonEvent.objects.all()
        iq = IncomeRecord.objects.all()
        if region_prefix:
            hq = hq.filter(village__code__startswith=region_prefix)
            pq = pq.filter(household__village__code__startswith=region_prefix)
            iq = iq.filter(person__household__village__code__startswith=region_prefix)
            if ids is None:  # with ids the households are already in the region: the ids bound the events
                eq = eq.filter(
                    Q(person__household__village__code__startswith=region_prefix)
                    | Q(from_household__village__code__startswith=region_prefix)
                    | Q(to_household__village__code__startswith=region_prefix)
                )
        if ids is not None:
            hq, pq, iq = hq.filter(pk__in=ids), pq.filter(household_id__in=ids), iq.filter(person__household_id__in=ids)
            # Each term on an indexed column of the event table (a subquery for the members, not a join), so
            # SQLite answers the OR from three index lookups instead of scanning every event.
            members = Person.objects.filter(household_id__in=ids).values("pk")
            eq = eq.filter(Q(person_id__in=members) | Q(from_household_id__in=ids) | Q(to_household_id__in=ids))
        h_fields = ("pk", "household_no", "village__code", "area", "registered_year", "status", "disqualified")
        households.append(_fetch(hq, h_fields, H_SCHEMA))
        persons.append(_fetch(pq, P_FIELDS, P_FETCH))
        incomes.append(_incomes(iq, first.year))
        events.append(_fetch(eq, E_FIELDS, E_SCHEMA))
    h, p, i = pl.concat(households), pl.concat(persons), pl.concat(incomes)
    e = pl.concat(events).unique()
    # Persons who belonged to a household in scope but now live elsewhere (a merge or move across the scope).
    others = sorted(set(e["person_pk"].to_list()) - set(p["pk"].to_list()))
    for start in range(0, len(others), IDS_CHUNK):
        chunk = others[start : start + IDS_CHUNK]
        p = pl.concat([p, _fetch(Person.objects.filter(pk__in=chunk), P_FIELDS, P_FETCH)])
        i = pl.concat([i, _incomes(IncomeRecord.objects.filter(person_id__in=chunk), first.year)])
        more = _fetch(PersonEvent.objects.filter(person_id__in=chunk), E_FIELDS, E_SCHEMA)
        e = pl.concat([e, more]).unique()
    p = _members_on(first, p, e).filter(pl.col("household_pk").is_in(h["pk"].implode()))
    p = p.filter(~pl.col("pk").is_in(_serving(first).implode()))
    i = i.join(p.select(person_pk="pk", household_pk="household_pk"), on="person_pk").select(I_SCHEMA.keys())
    h = h.filter(pl.col("pk").is_in(p["household_pk"].implode()))
    return _assemble(h, p.drop("status", "status_date"), i)


def _serving(first: dt.date) -> pl.Series:
    """Persons serving a sentence on ``first`` (:mod:`.custody`): one query over a table of a few rows a county."""
    people = CustodyTerm.objects.filter(serving_on(first)).values_list("person_id", flat=True).distinct()
    return pl.Series("pk", list(people), dtype=pl.Int64)


def _members_on(first: dt.date, persons: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """``persons`` with ``household_pk`` set to their household on ``first`` (rows of non-members dropped)."""
    at: dict[int, int | None] = {}
    history: dict[int, list[tuple[dt.date, int, str, int | None, int | None]]] = {}
    for person_pk, event_pk, kind, day, source, target in events.iter_rows():
        history.setdefault(person_pk, []).append((day, event_pk, kind, source, target))
    for person_pk, items in history.items():
        items.sort()
        happened = [item for item in items if item[0] <= first]
        if happened:
            _, _, kind, _, target = happened[-1]
            at[person_pk] = target if kind in _JOINS else None
        else:
            _, _, kind, source, _ = items[0]
            at[person_pk] = None if kind == PersonEventKind.MOVE_IN else source
    with_events = pl.DataFrame({"pk": list(at), "at": list(at.values())}, schema={"pk": pl.Int64, "at": pl.Int64})
    without = (pl.col("status") == PersonStatus.ACTIVE.value) | (pl.col("status_date") > pl.lit(first))
    out = persons.join(with_events, on="pk", how="left").with_columns(
        household_pk=pl.when(pl.col("pk").is_in(with_events["pk"].implode()))
        .then(pl.col("at"))
        .when(without.fill_null(False))
        .then(pl.col("household_pk"))
        .otherwise(None)
    )
    return out.drop("at").filter(pl.col("household_pk").is_not_null())


def _assemble(h: pl.DataFrame, p: pl.DataFrame, i: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    latest = i.group_by("household_pk").agg(pl.col("year").max().alias("latest"))
    current = i.join(latest, on="household_pk").filter(pl.col("year") == pl.col("latest"))
    income = current.group_by("household_pk").agg(pl.col("total").sum().alias("annual_income_fen"))
    own = current.select(pl.col("person_pk").alias("pk"), (pl.col("own") > 0).alias("income_source"))
    registered = pl.col("registered_year").is_not_null() & pl.col("status").is_in(HouseholdStatus.values)
    households = (
        h.join(income, left_on="pk", right_on="household_pk", how="left")
        .sort("id")
        .select(
            "pk",
            "id",
            pl.col("village").str.slice(0, 6).alias("region"),
            "area",
            registered.fill_null(False).alias("registered_poor"),
            pl.col("annual_income_fen").fill_null(0).cast(pl.Int64),
            "disqualified",
        )
    )
    persons = (
        p.join(
            households.select(pl.col("pk").alias("household_pk"), pl.col("id").alias("household_id")), on="household_pk"
        )
        .join(own, on="pk", how="left")
        .with_columns(pl.col("income_source").fill_null(False), pl.col("care_setting").fill_null("home"))
        .sort("household_id", "pk")
        .select(pl.col("pk").cast(pl.String).alias("id"), "household_id", *MEMBER_FIELDS)
    )
    return households.drop("pk"), persons


def household_frames(
    month: str, region_prefix: str = "", *, household_ids: Iterable[int] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The batch engine's inputs (DESIGN.md H.parquet, P.parquet): every household under the prefix (and among
    ``household_ids`` when given) with a member on the first day of ``month`` (``YYYY-MM``), its members of
    that day (module rules)."""
    return _load(_first(month), region_prefix, household_ids)


def household_document(
    month: str,
    *,
    region_prefix: str = "",
    household_ids: Iterable[int] | None = None,
    households: Iterable[Household] | None = None,
) -> dict[str, Any]:
    """POLICY.md §1 ``{"households": [...]}`` (JSON-ready: dates ISO text, money yuan text with two decimals).

    Pick households by region prefix, by primary key (``household_ids``) or as objects (``households``).
    """
    if households is not None:
        household_ids = [*(household_ids or ()), *(h.pk for h in households)]
    frame, persons = _load(_first(month), region_prefix, household_ids)
    members: dict[str, list[dict[str, Any]]] = {}
    for person in persons.with_columns(pl.col("birth_date").dt.to_string("%Y-%m-%d")).iter_rows(named=True):
        household_id = person.pop("household_id")
        members.setdefault(household_id, []).append(person)
    return {
        "households": [
            {
                "id": h["id"],
                "region": h["region"],
                "area": h["area"],
                "registered_poor": h["registered_poor"],
                "annual_income": fen_to_str(h["annual_income_fen"]),
                "disqualified": list(h["disqualified"]),
                "members": members.get(h["id"], []),
            }
            for h in frame.iter_rows(named=True)
        ]
    }
