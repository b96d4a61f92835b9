"""Households for the 一码清 tests, a payment ledger stand-in, and a fresh rate-limit window and page cache per test.

``fake_ledger`` stands in for ``ledger.PaymentLine`` (which another app will provide) with exactly the
fields public/queries.py assumes, in a table created for the test and dropped after it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, models

from jingzhun.core.actions import Actor
from jingzhun.registry.idnumber import make_id_number

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_rate_limit_window_and_page_cache(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Rate-limit counts in a file of this test's own (parallel test runs share 127.0.0.1), empty caches."""
    settings.PUBLIC_RATE_LIMIT_DB = tmp_path / "public-ratelimit.sqlite3"
    for alias in ("default", "public"):
        caches[alias].clear()
    yield
    for alias in ("default", "public"):
        caches[alias].clear()


@pytest.fixture
def system() -> Actor:
    return Actor.system("test")


@pytest.fixture
def make_household(regions: dict[str, Any]) -> Callable[..., Any]:
    """make_household(village, ["张三明", "李四芳"], **household fields) → Household; the first name is the head."""
    from jingzhun.registry.models import Household, Person

    def make(village: Any, names: list[str], **fields: Any) -> Any:
        n = next(_serial)
        defaults: dict[str, Any] = {
            "household_no": f"{village.code}{n:04d}",
            "address": f"{village.name}{n}号",
            "area": "rural",
            "housing_grade": "A",
        }
        household = Household.objects.create(village=village, **{**defaults, **fields})
        for i, name in enumerate(names):
            Person.objects.create(
                household=household,
                id_number=make_id_number(village.code[:6], dt.date(1960 + i, 3, 1), n * 10 + i, "M"),
                name=name,
                relation="head" if i == 0 else "child",
                sex="M",
                birth_date=dt.date(1960 + i, 3, 1),
                self_care="full",
                labour="full",
                student="none",
            )
        return household

    return make


class PaymentLine(models.Model):
    """The ledger line public/queries.py assumes: household, program, month (1st), amount_fen."""

    household = models.ForeignKey("registry.Household", on_delete=models.DO_NOTHING, db_constraint=False)
    program = models.CharField(max_length=32)
    month = models.DateField()
    amount_fen = models.BigIntegerField()

    class Meta:
        app_label = "public_tests"
        db_table = "public_tests_paymentline"


@pytest.fixture
def fake_ledger(
    transactional_db: None, django_db_serialized_rollback: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[type[PaymentLine]]:
    """Payments readable by household_benefits/region_benefits; needs a transactional test (SQLite DDL)."""
    from jingzhun.public import queries

    with connection.schema_editor() as editor:
        editor.create_model(PaymentLine)
    monkeypatch.setattr(queries, "_payment_lines", lambda: PaymentLine)
    yield PaymentLine
    with connection.schema_editor() as editor:
        editor.delete_model(PaymentLine)


def pay(household: Any, program: str, month: str, yuan: str) -> None:
    """One payment line: pay(h, "dibao", "2026-03", "2010.00")."""
    fen = int(Decimal(yuan) * 100)
    PaymentLine.objects.create(
        household=household, program=program, month=dt.date.fromisoformat(f"{month}-01"), amount_fen=fen
    )
