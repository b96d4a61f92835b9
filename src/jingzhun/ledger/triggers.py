"""Append-only at the database level: triggers that make every UPDATE or DELETE of a ledger table raise.

Used by the ledger's migrations (0002 for the first tables, later ones for each new append-only table),
so the SQL is written once. No model imports: migrations must keep working as the models change.
PostgreSQL's triggers call ``ledger_refuse_change()``, created by migration 0002.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def add_append_only(schema_editor: Any, tables: Iterable[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        for op in ("UPDATE", "DELETE"):
            name = f"{table}_no_{op.lower()}"
            if vendor == "sqlite":
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'ledger is append-only: {op} refused on {table}'); END"
                )
            elif vendor == "postgresql":
                schema_editor.execute(
                    f"CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
                )
            else:
                raise RuntimeError(f"append-only triggers are written for SQLite and PostgreSQL, not {vendor}")


def drop_append_only(schema_editor: Any, tables: Iterable[str]) -> None:
    for table in tables:
        for op in ("update", "delete"):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op} ON {table}")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
