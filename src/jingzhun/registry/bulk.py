"""Bulk writes for the registry import: hundreds of thousands of rows in seconds, inside the caller's transaction.

Household and person primary keys are reserved up front as one block (PostgreSQL: the identity sequence
moved on by ``setval`` under a table lock; SQLite: above the current maximum, safe because an import's
``BEGIN IMMEDIATE`` transaction holds the write lock), so every foreign key is computed in Polars before
the first row is sent. PostgreSQL then receives CSV produced by Polars through ``COPY``; SQLite gets
``executemany`` batches. Nothing here commits: :func:`jingzhun.registry.actions.import_registry` wraps it
in one transaction with its audit row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import polars as pl
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from jingzhun.registry.models import Household, HouseholdStatusEvent, IncomeRecord, Person, Region
from jingzhun.registry.regions_file import NewRegion
from jingzhun.registry.validate import ParsedRegistry

BATCH_ROWS = 50_000
Progress = Callable[[int], None]  # called with the number of rows just written


def write_regions(regions: list[NewRegion]) -> int:
    """Townships first, then villages, so every parent exists before its children."""
    for level, parent_level in (("township", "county"), ("village", "township")):
        parents = dict(Region.objects.filter(level=parent_level).values_list("code", "id"))
        batch = [
            Region(code=r.code, name=r.name, level=level, parent_id=parents[r.parent_code])
            for r in regions
            if r.level == level
        ]
        Region.objects.bulk_create(batch, batch_size=5_000)
    return len(regions)


def write_registry(parsed: ParsedRegistry, progress: Progress | None = None) -> dict[str, int]:
    """Insert households, their status events, persons and incomes; return the counts."""
    report = progress or (lambda _rows: None)
    households, persons = parsed.households, parsed.persons
    villages = dict(
        Region.objects.filter(code__in=households["village_code"].unique().to_list()).values_list("code", "id")
    )
    stamp = _timestamp()
    households = households.with_columns(
        pl.Series("id", _reserve_ids(Household, households.height), pl.Int64),
        pl.col("village_code").replace_strict(villages, return_dtype=pl.Int64).alias("village_id"),
    )
    persons = persons.join(
        households.select("household_no", pl.col("id").alias("household_id")), on="household_no", maintain_order="left"
    )
    persons = persons.with_columns(pl.Series("id", _reserve_ids(Person, persons.height), pl.Int64))

    if "import_no" not in households.columns:
        households = households.with_columns(pl.lit("").alias("import_no"))
    h_rows = households.select(
        "id",
        "household_no",
        "import_no",
        "village_id",
        "address",
        "area",
        "registered_year",
        "status",
        _date_text("status_date"),
        _json_list("poverty_causes"),
        "housing_grade",
        _hundredths_text("housing_area"),
        "water_safe",
        pl.col("marginal").fill_null(False),
        pl.col("monitored").fill_null(False),
        "bank_name",
        "bank_account",
        "cadre_name",
        "cadre_phone",
        _json_list("disqualified"),
        "relocated_keys",
        _hundredths_text("water_litres_per_day"),
        "water_fetch_minutes",
        "water_days_without",
        "water_quality_ok",
        "water_dry_area",
        pl.lit(True).alias("active"),
        pl.lit("").alias("closed_reason"),
        pl.lit(stamp).alias("created_at"),
        pl.lit(stamp).alias("updated_at"),
    )
    events = households.filter(pl.col("status").is_not_null()).select(
        pl.col("id").alias("household_id"),
        "status",
        _date_text("status_date").alias("date"),
        pl.lit("导入时的状态").alias("note"),
        pl.lit(stamp).alias("recorded_at"),
    )
    p_rows = persons.select(
        "id",
        "household_id",
        "id_number",
        "name",
        "relation",
        "sex",
        _date_text("birth_date"),
        "disability_grade",
        "disability_category",
        "disability_card_gen2",
        "needs_long_term_care",
        "disabled_elder_certified",
        "self_care",
        "labour",
        "student",
        "school",
        "dropout",
        "school_exempt_health",
        "serious_illness",
        _json_list("chronic_diseases"),
        "late_stage_major_disease",
        "medical_insurance",
        "capable_supporter",
        "care_setting",
        pl.lit("active").alias("status"),
        pl.lit(stamp).alias("created_at"),
        pl.lit(stamp).alias("updated_at"),
    )
    incomes = persons.select(
        pl.col("id").alias("person_id"),
        pl.col("income_year").alias("year"),
        pl.col("income_wages").alias("wages_fen"),
        pl.col("income_farming").alias("farming_fen"),
        pl.col("income_business").alias("business_fen"),
        pl.col("income_property").alias("property_fen"),
        pl.col("income_transfer").alias("transfer_fen"),
    )
    with _bulk_settings():
        for model, rows in (
            (Household, h_rows),
            (HouseholdStatusEvent, events),
            (Person, p_rows),
            (IncomeRecord, incomes),
        ):
            _insert(model, rows, report)
    return {
        "households": h_rows.height,
        "persons": p_rows.height,
        "status_events": events.height,
        "incomes": incomes.height,
    }


@contextmanager
def _bulk_settings(kib: int = 256 * 1024) -> Iterator[None]:
    """Per-backend settings for the duration of the bulk insert, restored afterwards.

    PostgreSQL: foreign keys checked as each row arrives instead of queued to COMMIT (Django declares
    them DEFERRABLE INITIALLY DEFERRED); the queue of ~700 000 deferred checks costs more than the checks.
    SQLite: a page cache big enough for the unique 身份证号 index while it is filled in random order (with
    the default 2 MB most of those inserts re-read an evicted page); a long-lived connection gets its
    default back so it does not keep the memory.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield  # on an error the transaction is rolled back, and the setting with it
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's declared behaviour
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _timestamp() -> str:
    """created_at/updated_at for every row: one instant, in the form each backend stores."""
    now = timezone.now()
    return (
        now.isoformat(sep=" ")
        if connection.vendor == "postgresql"
        else str(connection.ops.adapt_datetimefield_value(now))
    )


def _date_text(name: str) -> pl.Expr:
    return pl.col(name).dt.to_string("%Y-%m-%d").alias(name)


def _hundredths_text(name: str) -> pl.Expr:
    """Integer hundredths → "85.50" for a DecimalField, never through a float."""
    value = pl.col(name)
    return pl.format("{}.{}", value // 100, (value % 100).cast(pl.String).str.zfill(2)).alias(name)


def _json_list(name: str) -> pl.Expr:
    """list[str] → JSON array text, escaped in Polars (a JSONField column stores exactly this text)."""
    escaped = (
        pl.element()
        .str.replace_all("\\", "\\\\", literal=True)
        .str.replace_all('"', '\\"', literal=True)
        .str.replace_all(r"[\x00-\x1f]", " ")
    )
    items = pl.col(name).list.eval(pl.format('"{}"', escaped)).list.join(", ")
    return pl.format("[{}]", items.fill_null("")).alias(name)


def _reserve_ids(model: type[Model], n: int) -> list[int]:
    if n == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The table lock (held to the end of the import's transaction; readers are not blocked) keeps any
            # other insert from drawing a number inside the block that setval then skips past.
            cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
            sequence = "pg_get_serial_sequence(%s, 'id')"
            cursor.execute(f"SELECT setval({sequence}, nextval({sequence}) + %s - 1)", [table, table, n])
            last = cursor.fetchone()[0]
            return list(range(last - n + 1, last + 1))
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"bulk import supports SQLite and PostgreSQL, not {connection.vendor}")
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # the table name comes from the model
        high = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        high = max(high, cursor.fetchone()[0])
    return list(range(high + 1, high + n + 1))


def _insert(model: type[Model], rows: pl.DataFrame, report: Progress) -> None:
    if rows.height == 0:
        return
    table = model._meta.db_table
    names = ", ".join(f'"{name}"' for name in rows.columns)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN WITH (FORMAT csv)') as copy,
        ):
            for chunk in rows.iter_slices(BATCH_ROWS):
                copy.write(chunk.write_csv(include_header=False))
                report(chunk.height)
        return
    # SQLite: the driver's own executemany, without Django's per-row placeholder and debug wrapping.
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["?"] * rows.width)})'
    connection.ensure_connection()
    raw = connection.connection.cursor()
    for chunk in rows.iter_slices(BATCH_ROWS):
        raw.executemany(sql, chunk.rows())
        report(chunk.height)
