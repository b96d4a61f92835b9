"""Append-only at the database level: triggers that make every UPDATE or DELETE of a ledger table raise.

Used by the ledger's migrations (0002 for the first tables, later ones for each new append-only table),
so the SQL is written once. No model imports: migrations must keep working as the models change.
PostgreSQL's triggers call ``ledger_refuse_change()``, created by migration 0002.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jingzhun.core import triggers


def add_append_only(schema_editor: Any, tables: Iterable[str]) -> None:
    triggers.add_no_change(schema_editor, tables, refusal="ledger is append-only", function="ledger_refuse_change")


def drop_append_only(schema_editor: Any, tables: Iterable[str]) -> None:
    triggers.drop_no_change(schema_editor, tables)
