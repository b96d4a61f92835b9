"""The run's fast reads and writes (raw cursor → Polars, COPY / executemany) give exactly what the ORM would:
the same persons and rows frames as ``values_list``, and stored 疑点 equal, field by field, to the objects
``bulk_create`` would have written from the same engine output."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jingzhun.core.actions import Actor
from jingzhun.crosscheck import link
from jingzhun.monitoring.crosscheck.importer import import_list
from jingzhun.monitoring.crosscheck.run import PERSON_SCHEMA, ROW_SCHEMA, latest_lists, persons_frame, rows_frame
from jingzhun.monitoring.models.crosscheck import DeptRow, Suspect
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Person, PersonStatus
from jingzhun.synth.departments import AS_OF, write_department_lists
from jingzhun.synth.generate import generate_county

from .conftest import write_list

pytestmark = pytest.mark.django_db
HOUSEHOLDS, ROWS, SEED = 600, 300, 7


def _orm_persons(scope: str) -> pl.DataFrame:
    people = Person.objects.filter(status=PersonStatus.ACTIVE, household__active=True)
    if scope:
        people = people.filter(household__village__code__startswith=scope)
    rows = people.values_list(
        "pk", "household__household_no", "name", "id_number", "birth_date", "household__village__code", "household_id"
    )
    return pl.DataFrame(list(rows), schema=PERSON_SCHEMA, orient="row")


def _orm_rows(lists: Any) -> pl.DataFrame:
    data = DeptRow.objects.filter(dept_list__in=lists).values_list(
        "dept_list_id", "pk", "row", "name", "id_number", "birth_date", "village_code"
    )
    frame = pl.DataFrame(list(data), schema=ROW_SCHEMA, orient="row")
    return frame.with_columns(pl.col("list").cast(pl.String).alias("source")).with_columns(
        pl.when(pl.col("id_number") == "").then(None).otherwise(pl.col("id_number")).alias("id_number"),
        pl.when(pl.col("village") == "").then(None).otherwise(pl.col("village")).alias("village"),
    )


@pytest.fixture
def county(tmp_path: Path) -> dict[str, Any]:
    system = Actor.system("test")
    made = generate_county("141102", HOUSEHOLDS, SEED, tmp_path)
    for path in (made.regions_path, made.households_path):
        assert import_file(path, actor=system).ok
    write_department_lists(made.households_path, tmp_path / "departments", ROWS, SEED)
    for source in ("vehicle", "death", "pension"):
        assert import_list(tmp_path / "departments" / f"{source}.csv", source=source, as_of=AS_OF, actor=system).ok
    extra = write_list(  # a row with neither ID nor birth date nor village, one with all three
        tmp_path / "prison.csv",
        [
            {"姓名": "无名氏"},
            {"姓名": "某人", "身份证号": "141102199001011234", "出生日期": "1990-01-01", "村代码": "141102001001"},
        ],
    )
    assert import_list(extra, source="prison", as_of=AS_OF, actor=system).ok
    return {"system": system}


def test_frames_equal_the_orm_ones(county: dict[str, Any]) -> None:
    lists = latest_lists()
    rows = rows_frame(lists)
    assert rows.equals(_orm_rows(lists))
    assert rows["birth_date"].null_count() > 0 and rows["id_number"].null_count() > 0  # blanks survive
    for scope in ("", "141102001", "141102999"):
        assert persons_frame(scope).equals(_orm_persons(scope)), scope
    assert persons_frame("").height == Person.objects.filter(status="active").count() > 0


def test_stored_suspects_equal_what_bulk_create_would_write(county: dict[str, Any]) -> None:
    from jingzhun.monitoring.crosscheck.run import run_crosscheck

    lists = latest_lists()
    persons, rows = _orm_persons(""), _orm_rows(lists)
    columns = rows.select("source", "row", "name", "id_number", "birth_date", "village")
    linked = link(persons, columns)
    village = dict(zip(persons["id"], persons["village"], strict=True))
    household = dict(zip(persons["id"], persons["household_pk"], strict=True))
    expected = {
        h["row"]: (
            h["person_id"],
            household[h["person_id"]],
            village[h["person_id"]],
            h["match"],
            Decimal(str(round(float(h["weight"]), 6))),
            None if h["match_weight"] is None else Decimal(str(round(float(h["match_weight"]), 3))),
            {k: h[f"agree_{k}"] for k in ("id", "name", "birth", "village") if h[f"agree_{k}"] is not None},
        )
        for h in linked.hits.iter_rows(named=True)
    }
    assert {"exact", "fuzzy"} <= {v[3] for v in expected.values()}

    before = dt.datetime.now(dt.UTC)
    result = run_crosscheck(county["system"])
    stored = {
        s.row_id: (
            s.person_id,
            s.household_id,
            s.village_code,
            s.match,
            s.probability,
            s.match_weight,
            s.agreement,
        )
        for s in Suspect.objects.all()
    }
    assert stored == expected
    assert result.new == len(expected) and len(result.hits) == len(expected)
    one = Suspect.objects.order_by("id").first()
    assert one is not None and one.state == "open" and one.reason == "" and one.change_request_id is None
    assert before - dt.timedelta(seconds=1) <= one.created_at <= dt.datetime.now(dt.UTC)
