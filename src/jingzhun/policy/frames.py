"""Convert between the household document (POLICY.md §1) and the batch frames (DESIGN.md).

``document_to_frames`` validates the document first (all-or-nothing, like the CLI) and returns
``(households, persons)`` with DESIGN.md's schema; ``cpi`` and ``history`` stay document-level and are
passed to :func:`~jingzhun.policy.engine_batch.compute_batch` as they are. ``frames_to_document``
goes back to a plain mapping the reference path (and ``jingzhun entitle``) accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from jingzhun.policy.document import Document, parse_document
from jingzhun.policy.engine_batch import HOUSEHOLD_SCHEMA, PERSON_SCHEMA
from jingzhun.policy.money import fen_to_str, round_fen

MEMBER_COLUMNS = [c for c in PERSON_SCHEMA if c not in ("household_id",)]


def document_to_frames(document: Document | Mapping[str, Any]) -> tuple[pl.DataFrame, pl.DataFrame]:
    doc = document if isinstance(document, Document) else parse_document(document)
    households = {
        "id": [h.id for h in doc.households],
        "region": [h.region for h in doc.households],
        "area": [h.area for h in doc.households],
        "registered_poor": [h.registered_poor for h in doc.households],
        "annual_income_fen": [round_fen(h.annual_income) for h in doc.households],
        "disqualified": [list(h.disqualified) for h in doc.households],
    }
    rows = [(h.id, m) for h in doc.households for m in h.members]
    persons: dict[str, list[Any]] = {"id": [m.id for _, m in rows], "household_id": [hid for hid, _ in rows]}
    for column in MEMBER_COLUMNS[1:]:
        persons[column] = [getattr(m, column) for _, m in rows]
    return pl.DataFrame(households, schema=HOUSEHOLD_SCHEMA), pl.DataFrame(persons, schema=PERSON_SCHEMA)


def frames_to_document(households: pl.DataFrame, persons: pl.DataFrame) -> dict[str, Any]:
    """A document mapping (money as yuan strings, dates as ``date``) from the two frames."""
    members: dict[str, list[dict[str, Any]]] = {}
    for row in persons.select(PERSON_SCHEMA.keys()).iter_rows(named=True):
        hid = row.pop("household_id")
        members.setdefault(hid, []).append({c: row[c] for c in MEMBER_COLUMNS})
    out = []
    for row in households.select(HOUSEHOLD_SCHEMA.keys()).iter_rows(named=True):
        out.append(
            {
                "id": row["id"],
                "region": row["region"],
                "area": row["area"],
                "registered_poor": row["registered_poor"],
                "annual_income": fen_to_str(row["annual_income_fen"]),
                "disqualified": list(row["disqualified"] or []),
                "members": members.get(row["id"], []),
            }
        )
    return {"households": out}
