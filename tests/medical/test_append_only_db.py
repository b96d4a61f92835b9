"""Settlement records are append-only in the database itself (medical/triggers.py): a raw UPDATE or DELETE
of ``medical_settlement`` is refused on SQLite and on PostgreSQL (run with DATABASE_URL), and the row stays."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from jingzhun.core.actions import Actor
from jingzhun.medical import actions
from jingzhun.medical.models import Settlement

pytestmark = pytest.mark.django_db


@pytest.fixture
def settlement(household: Any, hospitals: dict[str, Any], county: Actor) -> Settlement:
    person = household("v11", registered_year=2014).persons.get()
    stay = actions.record_stay(
        county,
        actions.StayInput(
            stay_no="T1",
            person=person,
            hospital=hospitals["county"],
            admitted=dt.date(2019, 3, 1),
            discharged=dt.date(2019, 3, 10),
            total_fen=2_000_000,
            in_catalogue_fen=1_800_000,
            dibao_or_tekun=False,
            diagnosis="肺炎",
        ),
        today=dt.date(2020, 12, 31),
    )
    return stay.settlements.get()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE medical_settlement SET oop_fen = 0 WHERE id = %s",
        "UPDATE medical_settlement SET reason = 'x' WHERE id = %s",
        "DELETE FROM medical_settlement WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete_of_a_settlement_record(settlement: Settlement, sql: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [settlement.pk])
    kept = Settlement.objects.get(pk=settlement.pk)
    assert (kept.oop_fen, kept.reason) == (settlement.oop_fen, settlement.reason)


def test_a_bulk_delete_of_the_table_is_refused(settlement: Settlement) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM medical_settlement")
    assert Settlement.objects.count() == 1


def test_inserting_still_works_below_the_orm(settlement: Settlement) -> None:
    """Only changes are refused: a late earlier stay still adds adjustment rows (the table grows)."""
    before = Settlement.objects.count()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO medical_settlement (stay_id, seq, kind, basic_fen, serious_fen, supplementary_fen,"
            ' assistance_fen, cap136_fen, oop_fen, ratio, cap_period, "order", explain, parameters, reason,'
            " created_at, actor_label) SELECT stay_id, seq + 1, 'adjustment', basic_fen, serious_fen,"
            ' supplementary_fen, assistance_fen, cap136_fen, oop_fen, ratio, cap_period, "order", explain,'
            " parameters, 'test', created_at, actor_label FROM medical_settlement WHERE id = %s",
            [settlement.pk],
        )
    assert Settlement.objects.count() == before + 1
