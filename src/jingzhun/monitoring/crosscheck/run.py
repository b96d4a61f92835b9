"""A 数据比对 run over the database: the newest snapshot of each list against the registry's persons.

Registry persons (在册 persons of 在册 households) and the list rows are read into Polars frames in a few
queries and handed to the pure engine (:func:`jingzhun.crosscheck.link`: exact on validated 18-digit IDs with
15→18 conversion, splink/DuckDB fuzzy on name + birth date + village for rows without a usable ID, the stated
village binding, each row at most one person). The hits are stored as 疑点 by
:func:`~jingzhun.monitoring.crosscheck.actions.store_hits`: a row that already has a 疑点 keeps it, so
re-running changes nothing that was there. ``fuzzy_limit`` caps the rows without ID that are matched fuzzily
per run (the demo's budget; 0: exact only); the rest wait for the next run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jingzhun.core.actions import Actor
from jingzhun.crosscheck import link
from jingzhun.monitoring.crosscheck.actions import check_importer, store_hits
from jingzhun.monitoring.crosscheck.sources import SOURCES
from jingzhun.monitoring.models.crosscheck import DeptList, DeptRow
from jingzhun.registry.models import Person, PersonStatus


@dataclass
class RunResult:
    hits: list[dict[str, Any]]  # DESIGN.md's entries (source, row, household_no, id_number, match, weight)
    lists: list[dict[str, Any]]  # which snapshot of each source was matched
    new: int = 0
    kept: int = 0
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


def persons_frame(scope: str = "") -> pl.DataFrame:
    """在册 persons of 在册 households under the region prefix ``scope`` ("" = everywhere)."""
    people = Person.objects.filter(status=PersonStatus.ACTIVE, household__active=True)
    if scope:
        people = people.filter(household__village__code__startswith=scope)
    rows = people.values_list(
        "pk", "household__household_no", "name", "id_number", "birth_date", "household__village__code", "household_id"
    )
    return pl.DataFrame(
        list(rows),
        schema={
            "id": pl.Int64,
            "household_no": pl.String,
            "name": pl.String,
            "id_number": pl.String,
            "birth_date": pl.Date,
            "village": pl.String,
            "household_pk": pl.Int64,
        },
        orient="row",
    )


def rows_frame(lists: Sequence[DeptList]) -> pl.DataFrame:
    """List rows keyed for the engine: ``source`` is the list's pk (as text), ``row`` the DeptRow pk."""
    data = DeptRow.objects.filter(dept_list__in=lists).values_list(
        "dept_list_id", "pk", "row", "name", "id_number", "birth_date", "village_code"
    )
    frame = pl.DataFrame(
        list(data),
        schema={
            "list": pl.Int64,
            "row": pl.Int64,
            "file_row": pl.Int64,
            "name": pl.String,
            "id_number": pl.String,
            "birth_date": pl.Date,
            "village": pl.String,
        },
        orient="row",
    )
    return frame.with_columns(pl.col("list").cast(pl.String).alias("source")).with_columns(
        pl.when(pl.col("id_number") == "").then(None).otherwise(pl.col("id_number")).alias("id_number"),
        pl.when(pl.col("village") == "").then(None).otherwise(pl.col("village")).alias("village"),
    )


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
    stored: list[dict[str, Any]] = []
    hits: list[dict[str, Any]] = []
    for h in found.iter_rows(named=True):
        dept = by_list[h["source"]]
        agreement = {k: h[f"agree_{k}"] for k in ("id", "name", "birth", "village") if h[f"agree_{k}"] is not None}
        stored.append(
            {
                "row_id": h["row"],
                "source": dept.source,
                "person_id": h["person_id"],
                "household_id": h["household_pk"],
                "village_code": h["person_village"],
                "match": h["match"],
                "weight": h["weight"],
                "match_weight": h["match_weight"],
                "agreement": agreement,
            }
        )
        hits.append(
            {
                "source": dept.source,
                "row": h["file_row"],
                "household_no": h["household_no"],
                "id_number": h["id_number"],
                "match": h["match"],
                "weight": round(float(h["weight"]), 4),
            }
        )
    say("保存疑点")
    counts = store_hits(actor, stored, sources=[d.source for d in lists], lists=[d.pk for d in lists])
    hits.sort(key=lambda h: (h["source"], h["row"]))
    stats = {k: v for k, v in linked.stats.items() if k in ("rows", "persons", "exact_hits", "fuzzy_hits", "ties")}
    return RunResult(
        hits=hits,
        lists=info,
        new=counts["new"],
        kept=counts["kept"],
        stats=stats,
        seconds=time.perf_counter() - started,
    )
