"""Append-only at the database level for 住院结算's settlement records: every UPDATE or DELETE of a row of
``medical_settlement`` raises, as the ledger's tables do (``ledger/triggers.py``).

The model and its queryset already refuse (``core/append_only.py``); these triggers also stop raw SQL, the
admin, a shell or another program. SQLite and PostgreSQL need different SQL, so each statement runs only on
its own vendor; PostgreSQL's triggers call ``medical_refuse_change()`` (this app's own function: the ledger
is a layer above and its migrations are not ours to depend on). The refusal says ``append-only`` — the test
suite lifts SQLite triggers with that word around a whole-database flush. PostgreSQL's TRUNCATE fires no row
trigger. No model imports: migrations must keep working as the models change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jingzhun.core import triggers

TABLES = ("medical_settlement",)


def create_function(schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION medical_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'settlement records are append-only: % refused on %', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END $$
            """,
            None,  # no parameters: the % are plpgsql's placeholders, not the driver's
        )


def drop_function(schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS medical_refuse_change()")


def add_append_only(schema_editor: Any, tables: Iterable[str] = TABLES) -> None:
    triggers.add_no_change(
        schema_editor, tables, refusal="settlement records are append-only", function="medical_refuse_change"
    )


def drop_append_only(schema_editor: Any, tables: Iterable[str] = TABLES) -> None:
    triggers.drop_no_change(schema_editor, tables)
