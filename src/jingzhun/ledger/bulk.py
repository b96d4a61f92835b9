"""Fast appends for a month run's lines and a bank file's status events: COPY on PostgreSQL,
``executemany`` on SQLite, always on the caller's transaction (so a crash leaves nothing).

Rows are plain tuples in ``columns`` order; dates and datetimes are adapted here the way the ORM would
store them. ``on_chunk(done)`` is called after every chunk (progress bars; the kill tests pause there from
outside, tests/killable.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection

CHUNK = 20_000


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    *,
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    done = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, CHUNK)):
            if connection.vendor == "postgresql":
                _copy(cursor, table, columns, chunk)
            else:
                _executemany(cursor, table, columns, chunk)
            done += len(chunk)
            if on_chunk is not None:
                on_chunk(done)
    return done


def _copy(cursor: Any, table: str, columns: Sequence[str], chunk: list[tuple[Any, ...]]) -> None:
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
        for row in chunk:
            copy.write_row(row)


def _executemany(cursor: Any, table: str, columns: Sequence[str], chunk: list[tuple[Any, ...]]) -> None:
    ops = connection.ops
    names = ", ".join(ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    adapted: dict[Any, Any] = {}  # a run repeats one month and one timestamp on every row: adapt each once

    def adapt(value: Any) -> Any:
        if not isinstance(value, dt.date):
            return value
        if value not in adapted:
            is_datetime = isinstance(value, dt.datetime)
            adapted[value] = (ops.adapt_datetimefield_value if is_datetime else ops.adapt_datefield_value)(value)
        return adapted[value]

    cursor.executemany(
        f"INSERT INTO {ops.quote_name(table)} ({names}) VALUES ({marks})",
        [tuple(adapt(v) for v in row) for row in chunk],
    )
