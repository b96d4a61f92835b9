"""A second run of a month while one is running is refused at once, with a Chinese message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from jingzhun.ledger.locks import RunInProgress, advisory_key, month_file_lock
from jingzhun.ledger.models import MonthRun, PaymentLine
from jingzhun.ledger.runs import run_month

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)


@contextmanager
def month_held_elsewhere(month: dt.date) -> Iterator[None]:
    """What a running month run holds, taken the way another process would take it."""
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(
            dbname=s["NAME"], user=s["USER"], host=s["HOST"], port=s["PORT"] or 5432, password=s["PASSWORD"] or None
        ) as other:
            (taken,) = other.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key(month)]).fetchone()
            assert taken, "the test's own transaction already holds this month's lock"
            try:
                yield
            finally:
                # Unlock explicitly: closing the connection releases it only once the server has
                # finished ending that backend, which can be after the test's next statement.
                other.execute("SELECT pg_advisory_unlock(%s)", [advisory_key(month)])
    else:
        with month_file_lock(month):
            yield


def test_a_second_run_of_a_running_month_is_refused(county: dict[str, Any], system: Any) -> None:
    with month_held_elsewhere(JUNE), pytest.raises(RunInProgress, match="正在由另一个进程运行"):
        run_month("2020-06", actor=system)
    assert not MonthRun.objects.exists()
    assert not PaymentLine.objects.exists()


def test_another_month_may_run_meanwhile(county: dict[str, Any], system: Any) -> None:
    with month_held_elsewhere(JUNE):
        assert run_month("2020-07", actor=system).kind == "regular"


def test_the_month_runs_once_the_other_run_is_done(county: dict[str, Any], system: Any) -> None:
    with month_held_elsewhere(JUNE):
        pass
    assert run_month("2020-06", actor=system).kind == "regular"


def test_only_the_county_runs_a_month(county: dict[str, Any], personas: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    from jingzhun.core.actions import Actor

    tom = Actor.for_user(personas["tom"])  # 信义镇 township officer
    with pytest.raises(PermissionDenied, match="不能进行「月度发放」"):
        run_month("2020-06", region_prefix="141102001", actor=tom)
    assert run_month("2020-06", region_prefix="141102001", actor=tom, dry_run=True).lines_added == 9
    alice = Actor.for_user(personas["alice"])  # 离石区 county officer
    with pytest.raises(PermissionDenied, match="无权"):
        run_month("2020-06", actor=alice)  # the whole city is not hers
    assert run_month("2020-06", region_prefix="141102", actor=alice).kind == "regular"
