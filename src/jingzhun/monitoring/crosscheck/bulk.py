"""Fast reads and writes of a 数据比对 run: the ORM builds the query, a raw cursor runs it.

Reading 10⁵ persons through ``values_list`` spends most of its time converting each value in Python (dates
parsed one by one); writing 10⁵ 疑点 through ``bulk_create`` spends it preparing each field of each object
(and, on SQLite, in 1 000+ statements of ≤ 999 parameters). Here a query's SQL comes from the ORM (so the
filters are the ORM's), runs on a raw cursor and lands in a Polars frame; rows are written by PostgreSQL's
``COPY`` or SQLite's own ``executemany`` from a frame whose values are already in the form the column stores
(the same pattern as the registry's bulk import).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db import connection
from django.db.models import CharField, Model
from django.db.models.functions import Cast
from django.utils import timezone

CHUNK = 50_000


def _coerce(name: str, have: pl.DataType, want: Any) -> pl.Expr:
    column = pl.col(name)
    if want == pl.Date and have == pl.String:
        return column.str.to_date("%Y-%m-%d", strict=False)
    return column.cast(want)


def fetch(queryset: Any, fields: tuple[str, ...], schema: dict[str, Any]) -> pl.DataFrame:
    """``queryset.values_list(*fields)`` as a frame with ``schema`` (names in order), skipping the ORM's
    per-value conversions (SQLite's dates arrive as text and are parsed by Polars). The queryset's ordering
    is kept."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    frames = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            frames.append(pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None))
    if not frames:
        return pl.DataFrame(schema=schema)
    frame = pl.concat(frames, how="vertical_relaxed")
    return frame.select(_coerce(name, frame.schema[name], want) for name, want in schema.items())


def with_date_text(queryset: Any, field: str) -> Any:
    """``queryset`` annotated with ``birth_text``-style ``<field minus _date>_text``: the date as ISO text, so
    that the driver hands back text (SQLite would parse each date in Python) for Polars to parse at once."""
    name = field.removesuffix("_date") + "_text"
    return queryset.annotate(**{name: Cast(field, output_field=CharField())})


def timestamp() -> str:
    """A DateTimeField value for now, in the form each backend stores."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        return now.isoformat(sep=" ")
    return str(connection.ops.adapt_datetimefield_value(now))


def insert(model: type[Model], rows: pl.DataFrame) -> None:
    """Insert ``rows`` (columns = the table's column names, values as stored) in the current transaction."""
    if rows.height == 0:
        return
    table = model._meta.db_table
    names = ", ".join(f'"{name}"' for name in rows.columns)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN WITH (FORMAT csv)') as copy,
        ):
            for chunk in rows.iter_slices(CHUNK):
                copy.write(chunk.write_csv(include_header=False, null_value=""))
        return
    if connection.vendor != "sqlite":  # pragma: no cover - the project runs on SQLite and PostgreSQL
        raise NotImplementedError(f"数据比对的批量写入只支持 SQLite 和 PostgreSQL，不支持 {connection.vendor}")
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["?"] * rows.width)})'
    connection.ensure_connection()
    raw = connection.connection.cursor()
    raw.execute("PRAGMA cache_size")
    previous = raw.fetchone()[0]
    raw.execute("PRAGMA cache_size = -131072")  # 128 MiB while the indexes fill in random order
    try:
        for chunk in rows.iter_slices(CHUNK):
            raw.executemany(sql, chunk.rows())
    finally:
        raw.execute(f"PRAGMA cache_size = {int(previous)}")
