"""``Person.id_tail`` (身份证号后 4 位) is computed by the database on every way a person is written — the
importer's bulk insert, an action's save, a corrected ID number — and the list's "last 4 digits" search
reads it through its index; a name search reads the name index (pg_trgm on PostgreSQL, (name, household) on
SQLite) made by migration 0006."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from jingzhun.core.actions import Actor
from jingzhun.registry import queries
from jingzhun.registry.actions import PERSON_EDITABLE, add_person, update_person
from jingzhun.registry.idnumber import make_id_number
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household, Person

from .conftest import member, row, write_csv

pytestmark = pytest.mark.django_db


def _imported(tmp_path: Path) -> Household:
    path = write_csv(tmp_path / "户籍.csv", [row("T1"), member("T1"), member("T1", "子女", birth=dt.date(2009, 2, 3))])
    report = import_file(path, actor=Actor.system("test"))
    assert report.error_lines() == []
    return Household.objects.get(import_no="T1")


def test_the_bulk_import_fills_the_tail_of_every_person(tmp_path: Path, villages: Any) -> None:
    household = _imported(tmp_path)
    rows = list(Person.objects.filter(household=household).values_list("id_number", "id_tail"))
    assert len(rows) == 3 and all(len(tail) == 4 and number.endswith(tail) for number, tail in rows)


def test_an_added_person_and_a_corrected_id_number_move_the_tail(tmp_path: Path, villages: Any) -> None:
    household = _imported(tmp_path)
    actor = Actor.system("test")
    number = make_id_number("141102", dt.date(2012, 4, 5), 37, "F")
    person = add_person(
        actor,
        household,
        id_number=number,
        name="刘小红",
        relation="child",
        sex="F",
        birth_date=dt.date(2012, 4, 5),
        self_care="full",
        labour="none",
        student="compulsory",
    )
    assert Person.objects.get(pk=person.pk).id_tail == number[-4:]
    corrected = make_id_number("141102", dt.date(2012, 4, 5), 83, "F")
    assert corrected[-4:] != number[-4:]
    update_person(actor, person, id_number=corrected)
    assert Person.objects.get(pk=person.pk).id_tail == corrected[-4:]
    alice = Actor.system("test")
    found = queries.search(alice, queries.Search(q=corrected[-4:]))
    assert household.pk in {r.household.pk for r in found.rows}
    stale = queries.search(alice, queries.Search(q=number[-4:]))
    assert household.pk not in {r.household.pk for r in stale.rows}


def test_the_tail_is_not_an_editable_fact() -> None:
    assert "id_tail" not in PERSON_EDITABLE and "id_number" in PERSON_EDITABLE


def test_an_x_check_digit_is_found_in_lower_case_too(tmp_path: Path, villages: Any) -> None:
    _imported(tmp_path)
    birth = dt.date(1971, 1, 1)
    number = next(n for n in (make_id_number("141102", birth, s, "M") for s in range(1, 400)) if n.endswith("X"))
    household = Household.objects.get(import_no="T1")
    add_person(
        Actor.system("test"),
        household,
        id_number=number,
        name="王有福",
        relation="other",
        sex="M",
        birth_date=birth,
        self_care="full",
        labour="full",
        student="none",
    )
    page = queries.search(Actor.system("test"), queries.Search(q=number[-4:].lower()))
    assert [r.household.import_no for r in page.rows] == ["T1"]


def _plan(sql: str, params: list[Any]) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(r[-1]) for r in cursor.fetchall())
        cursor.execute("SET enable_seqscan = off")  # a test table is tiny: ask whether the index *can* serve
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(r[0] for r in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")


def test_the_tail_search_reads_the_tail_index(villages: Any) -> None:
    persons = Person.objects.filter(id_tail="1234").order_by().values("household_id")
    sql, params = persons.query.sql_with_params()
    assert "person_id_tail" in _plan(sql, list(params))


NAME_INDEX = {"postgresql": "person_name_trgm", "sqlite": "person_name_household"}


def test_a_name_search_reads_the_name_index(villages: Any) -> None:
    persons = Person.objects.filter(name__contains="刘保平").order_by().values("household_id")
    sql, params = persons.query.sql_with_params()
    assert NAME_INDEX[connection.vendor] in _plan(sql, list(params))
