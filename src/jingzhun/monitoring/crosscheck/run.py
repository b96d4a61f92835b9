"""A 数据比对 run over the database: the newest snapshot of each list against the registry's persons.

Registry persons (在册 persons of 在册 households) and the list rows are read into Polars frames in a few
queries and handed to the pure engine (:func:`jingzhun.crosscheck.link`: exact on validated 18-digit IDs with
15→18 conversion, splink/DuckDB fuzzy on name + birth date + village for rows without a usable ID, the stated
village binding, each row at most one person). The hits are stored as 疑点 — and the rows two persons fit
equally, or whose ID several share, as 待甄别 — by :func:`~jingzhun.monitoring.crosscheck.actions.store_hits`
in bulk: a row that already has a 疑点 keeps it, so re-running changes nothing that was there. When the
低保名册 is among the lists, its comparison with 建档立卡 is computed and stored too (:mod:`.roll`).
``fuzzy_limit`` caps the rows without ID that are matched fuzzily per run (the demo's budget; 0: exact only);
the rest wait for the next run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jingzhun.core.actions import Actor
from jingzhun.crosscheck import link
from jingzhun.monitoring.crosscheck import bulk
from jingzhun.monitoring.crosscheck.actions import check_importer, store_hits
from jingzhun.monitoring.crosscheck.roll import refresh_roll
from jingzhun.monitoring.crosscheck.sources import SOURCES
from jingzhun.monitoring.models.crosscheck import DeptList, DeptRow
from jingzhun.registry.models import Person, PersonStatus


@dataclass
class RunResult:
    hits: list[dict[str, Any]]  # DESIGN.md's entries (source, row, household_no, id_number, match, weight)
    lists: list[dict[str, Any]]  # which snapshot of each source was matched
    new: int = 0
    kept: int = 0
    flagged: int = 0  # new 待甄别 rows (ties, shared IDs)
    stats: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def latest_lists(sources: Sequence[str] | None = None) -> list[DeptList]:
    """The newest snapshot (by 截至日期, then import) of each source."""
    wanted = list(sources) if sources else list(SOURCES)
    out = []
    for source in wanted:
        newest = DeptList.objects.filter(source=source).order_by("-as_of", "-id").first()
        if newest is not None:
            out.append(newest)
    return out


PERSON_SCHEMA: dict[str, Any] = {
    "id": pl.Int64,
    "household_no": pl.String,
    "name": pl.String,
    "id_number": pl.String,
    "birth_date": pl.Date,
    "village": pl.String,
    "household_pk": pl.Int64,
}
ROW_SCHEMA: dict[str, Any] = {
    "list": pl.Int64,
    "row": pl.Int64,
    "file_row": pl.Int64,
    "name": pl.String,
    "id_number": pl.String,
    "birth_date": pl.Date,
    "village": pl.String,
}


def persons_frame(scope: str = "") -> pl.DataFrame:
    """在册 persons of 在册 households under the region prefix ``scope`` ("" = everywhere), read in one query
    on a raw cursor (:func:`.bulk.fetch`)."""
    people = Person.objects.filter(status=PersonStatus.ACTIVE, household__active=True)
    if scope:
        people = people.filter(household__village__code__startswith=scope)
    fields = ("pk", "household__household_no", "name", "id_number", "birth_text", "household__village__code")
    return bulk.fetch(bulk.with_date_text(people, "birth_date"), (*fields, "household_id"), PERSON_SCHEMA)


def rows_frame(lists: Sequence[DeptList]) -> pl.DataFrame:
    """List rows keyed for the engine: ``source`` is the list's pk (as text), ``row`` the DeptRow pk."""
    query = bulk.with_date_text(DeptRow.objects.filter(dept_list__in=lists), "birth_date")
    fields = ("dept_list_id", "pk", "row", "name", "id_number", "birth_text", "village_code")
    frame = bulk.fetch(query, fields, ROW_SCHEMA)
    return frame.with_columns(pl.col("list").cast(pl.String).alias("source")).with_columns(
        pl.when(pl.col("id_number") == "").then(None).otherwise(pl.col("id_number")).alias("id_number"),
        pl.when(pl.col("village") == "").then(None).otherwise(pl.col("village")).alias("village"),
    )


def _flagged(flagged: pl.DataFrame, persons: pl.DataFrame, by_list: dict[str, DeptList]) -> list[dict[str, Any]]:
    """The engine's ties and shared IDs as 待甄别 entries: row pk, source, reason, weight, candidate persons
    and their villages."""
    village_of = dict(zip(persons["id"].to_list(), persons["village"].to_list(), strict=True))
    out = []
    for f in flagged.iter_rows(named=True):
        candidates = sorted(int(c) for c in f["candidates"] if c is not None)
        if not candidates:
            continue
        out.append(
            {
                "row_id": int(f["row"]),
                "source": by_list[f["source"]].source,
                "reason": f["reason"],
                "weight": float(f["weight"]),
                "candidates": candidates,
                "village_codes": sorted({village_of[c] for c in candidates}),
            }
        )
    return out


def run_crosscheck(
    actor: Actor,
    sources: Sequence[str] | None = None,
    *,
    fuzzy_limit: int | None = None,
    progress: Callable[[str], None] | None = None,
    spark: Any = None,
) -> RunResult:
    """Match the newest snapshot of each list (or of ``sources``) against the persons of the actor's region
    (a county officer's county; the system: everywhere) and store new 疑点; idempotent. With ``spark`` (a
    SparkSession) the exact join and splink's prediction run on Spark with the same trained model
    (:mod:`jingzhun.crosscheck.spark`): the same hits."""
    check_importer(actor)
    started = time.perf_counter()
    say = progress or (lambda _text: None)
    lists = latest_lists(sources)
    info = [{"source": d.source, "as_of": d.as_of.isoformat(), "rows": d.row_count, "list": d.pk} for d in lists]
    if not lists:
        return RunResult(hits=[], lists=info)
    say("读取户籍人员和名单")
    persons, rows = persons_frame(actor.scope), rows_frame(lists)
    if fuzzy_limit is not None:
        blank = rows["id_number"].is_null()
        rows = pl.concat([rows.filter(~blank), rows.filter(blank).head(fuzzy_limit)])
    say(f"比对 {rows.height} 行 × {persons.height} 人")
    columns = rows.select("source", "row", "name", "id_number", "birth_date", "village")
    linked = link(persons, columns, fuzzy_matching=fuzzy_limit != 0, spark=spark)
    by_list = {str(d.pk): d for d in lists}
    found = linked.hits.join(rows.select("row", "file_row"), on="row", how="left").join(
        persons.select(pl.col("id").alias("person_id"), "household_pk", pl.col("village").alias("person_village")),
        on="person_id",
        how="left",
    )
    sources = pl.DataFrame(
        {"source": list(by_list), "list_source": [d.source for d in by_list.values()]},
        schema={"source": pl.String, "list_source": pl.String},
    )
    found = found.join(sources, on="source", how="left")
    hits = (
        found.select(
            pl.col("list_source").alias("source"),
            pl.col("file_row").alias("row"),
            "household_no",
            "id_number",
            "match",
            "weight",
        )
        .sort("source", "row")
        .to_dicts()
    )
    for hit in hits:
        hit["weight"] = round(float(hit["weight"]), 4)  # Python's rounding, as DESIGN.md's JSON always had
    flagged = _flagged(linked.flagged, persons, by_list)
    say("保存疑点")
    counts = store_hits(actor, found, sources=[d.source for d in lists], lists=[d.pk for d in lists], flagged=flagged)
    for dept in lists:
        if dept.source == "dibao_roll":
            say("计算低保名册 ↔ 建档立卡")
            refresh_roll(actor, dept)
    stats = {k: v for k, v in linked.stats.items() if k in ("rows", "persons", "exact_hits", "fuzzy_hits", "ties")}
    return RunResult(
        hits=hits,
        lists=info,
        new=counts["new"],
        kept=counts["kept"],
        flagged=counts["flagged"],
        stats=stats,
        seconds=time.perf_counter() - started,
    )
