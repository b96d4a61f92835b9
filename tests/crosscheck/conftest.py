"""A small synthetic 离石区 (about 4 400 persons) as the registry the crosscheck tests match against."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from jingzhun.synth.departments import registry_persons
from jingzhun.synth.generate import generate_county

HOUSEHOLDS = 1_500
SEED = 2018


@pytest.fixture(scope="session")
def households(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    out: Path = tmp_path_factory.mktemp("crosscheck-county")
    result = generate_county("141102", HOUSEHOLDS, SEED, out)
    return pl.read_csv(result.households_path, infer_schema=False)


@pytest.fixture(scope="session")
def registry(households: pl.DataFrame) -> pl.DataFrame:
    return registry_persons(households)


def list_rows(*rows: dict[str, object], source: str = "vehicle") -> pl.DataFrame:
    """A ``rows`` frame from dicts with name / id_number / birth_date / village (row numbers from 2)."""
    return pl.DataFrame(
        {
            "source": [source] * len(rows),
            "row": list(range(2, len(rows) + 2)),
            "name": [r.get("name") for r in rows],
            "id_number": [r.get("id_number") for r in rows],
            "birth_date": [r.get("birth_date") for r in rows],
            "village": [r.get("village") for r in rows],
        },
        schema={
            "source": pl.String,
            "row": pl.Int64,
            "name": pl.String,
            "id_number": pl.String,
            "birth_date": pl.Date,
            "village": pl.String,
        },
    )


def as_list_row(person: dict[str, object], **changes: object) -> dict[str, object]:
    row = {k: person[k] for k in ("name", "id_number", "birth_date", "village")}
    row.update(changes)
    return row


def other_township_village(registry: pl.DataFrame, village: str) -> str:
    others = registry.filter(pl.col("township") != village[:9] + "000")["village"].unique().sort()
    return str(others[0])


def add_person(registry: pl.DataFrame, name: str, birth: dt.date, village: str, id_number: str) -> pl.DataFrame:
    extra = pl.DataFrame(
        {
            "id": [id_number],
            "household_no": [village + "9999"],
            "name": [name],
            "id_number": [id_number],
            "birth_date": [birth],
            "village": [village],
            "township": [village[:9] + "000"],
        }
    )
    return pl.concat([registry, extra])
