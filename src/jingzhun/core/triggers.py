"""Rows that stay as they were written, enforced by the database (the ledger's approach, ``ledger/triggers.py``).

* ``core_auditevent`` — audit rows: no UPDATE, no DELETE.
* ``public_publictoken`` — the QR-token history: no DELETE; an UPDATE may only revoke a token
  (``revoked_at`` from empty to a time) and name its successor (``replaced_by`` from empty), once each.
  The token, its level, its target and its creation time never change, and a revoked token stays revoked.
* ``dashboard_backgroundjob`` — import and month-run records: no DELETE (progress updates go on).

The models and the admin already refuse; these triggers also stop raw SQL, a shell or another program.
SQLite and PostgreSQL need different SQL, so each statement runs only on its own vendor; PostgreSQL's
triggers call ``jingzhun_refuse_change()`` (created by each migration that needs it, ``CREATE OR
REPLACE``). PostgreSQL's TRUNCATE fires no row trigger. On SQLite a whole-database flush (what ends a
transactional test) is a DELETE per table: ``drop_all`` / ``add_all`` let the test suite lift these
triggers around it. No model imports: migrations must keep working as the models change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

AUDIT = "core_auditevent"
TOKENS = "public_publictoken"
JOBS = "dashboard_backgroundjob"

# A token row's UPDATE is refused when this holds (the same SQL on SQLite and PostgreSQL).
TOKEN_FROZEN = (
    "NEW.token IS DISTINCT FROM OLD.token OR NEW.level IS DISTINCT FROM OLD.level"
    " OR NEW.region_id IS DISTINCT FROM OLD.region_id OR NEW.household_id IS DISTINCT FROM OLD.household_id"
    " OR NEW.created_at IS DISTINCT FROM OLD.created_at"
    " OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at)"
    " OR (OLD.replaced_by_id IS NOT NULL AND NEW.replaced_by_id IS DISTINCT FROM OLD.replaced_by_id)"
)

# (table, operation, condition or "") — every trigger these modules own.
RULES: dict[str, tuple[tuple[str, str], ...]] = {
    AUDIT: (("UPDATE", ""), ("DELETE", "")),
    TOKENS: (("UPDATE", TOKEN_FROZEN), ("DELETE", "")),
    JOBS: (("DELETE", ""),),
}


def _name(table: str, op: str) -> str:
    return f"{table}_keep_{op.lower()}"


def create_function(schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION jingzhun_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'rows of % are kept as written: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'restrict_violation';
            END $$
            """,
            None,  # no parameters: the % are plpgsql's placeholders, not the driver's
        )


def _sqlite_condition(condition: str) -> str:
    return condition.replace("IS DISTINCT FROM", "IS NOT")


def add(schema_editor: Any, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        create_function(schema_editor)
    for op, condition in RULES[table]:
        name = _name(table, op)
        if vendor == "sqlite":
            when = f" WHEN {_sqlite_condition(condition)}" if condition else ""
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} FOR EACH ROW{when} "
                f"BEGIN SELECT RAISE(ABORT, 'rows of {table} are kept as written: {op} refused'); END"
            )
        elif vendor == "postgresql":
            when = f" WHEN ({condition})" if condition else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW{when} "
                "EXECUTE FUNCTION jingzhun_refuse_change()"
            )
        else:
            raise RuntimeError(f"keep-as-written triggers are written for SQLite and PostgreSQL, not {vendor}")


def drop(schema_editor: Any, table: str) -> None:
    for op, _ in RULES[table]:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, op)} ON {table}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, op)}")


class _Cursor:
    """Enough of a schema editor for ``add``/``drop``: plain statements, usable inside a transaction
    (SQLite's real schema editor refuses to open inside ``atomic``)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


def add_all(connection: Any) -> None:
    """Put every trigger back (idempotent); the test suite's SQLite runs after a flush."""
    for table in RULES:
        add(_Cursor(connection), table)


def drop_all(connection: Any) -> None:
    for table in RULES:
        drop(_Cursor(connection), table)


def add_no_change(schema_editor: Any, tables: Iterable[str], *, refusal: str, function: str) -> None:
    """Triggers ``<table>_no_update`` / ``<table>_no_delete`` that refuse every UPDATE and DELETE of each
    table — the append-only tables of the ledger and of 住院结算 (``ledger/triggers.py``,
    ``medical/triggers.py``; each app names its own refusal text and PostgreSQL function, which its own
    migration creates). SQLite's message reads ``<refusal>: <OP> refused on <table>``."""
    vendor = schema_editor.connection.vendor
    for table in tables:
        for op in ("UPDATE", "DELETE"):
            name = f"{table}_no_{op.lower()}"
            if vendor == "sqlite":
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{refusal}: {op} refused on {table}'); END"
                )
            elif vendor == "postgresql":
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
                )
            else:
                raise RuntimeError(f"append-only triggers are written for SQLite and PostgreSQL, not {vendor}")


def drop_no_change(schema_editor: Any, tables: Iterable[str]) -> None:
    for table in tables:
        for op in ("update", "delete"):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op} ON {table}")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
