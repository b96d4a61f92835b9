"""Reads of the ledger, region scoped, a fixed number of queries each (never one per line).

"Net" is the sum of every line of a key — payments, adjustments and reversals — so a reversed payment
nets to zero. A key is (household, person or none, program) within one month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl
from django.db.models import Count, Max, Q, QuerySet, Sum

from jingzhun.ledger.models import CpiMonth, LineKind, MonthRun, PaymentLine
from jingzhun.policy.vocabulary import PAID_OUTSIDE_MONTH_RUN, PROGRAM_FAMILIES

PROGRAM_ORDER = {program: index for index, program in enumerate(PROGRAM_FAMILIES)}
NET_SCHEMA = {
    "household_pk": pl.Int64,
    "person_pk": pl.Int64,
    "program": pl.String,
    "net": pl.Int64,
    "lines": pl.Int64,
    "reversals": pl.Int64,
    "last_line": pl.Int64,
}


def previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def last_run_month(region_code: str) -> dt.date | None:
    """The month of the latest run that covered ``region_code`` (a run whose scope is a prefix of the
    code, the whole-city run's "" included), or None before any."""
    scopes = [region_code[:n] for n in range(len(region_code) + 1)]
    latest: dt.date | None = MonthRun.objects.filter(region_prefix__in=scopes).aggregate(latest=Max("month"))["latest"]
    return latest


def scoped(region_prefix: str) -> QuerySet[PaymentLine]:
    lines = PaymentLine.objects.all()
    if region_prefix:
        lines = lines.filter(household__village__code__startswith=region_prefix)
    return lines


def month_nets(first: dt.date, region_prefix: str = "") -> pl.DataFrame:
    """Per key of the month: net fen, how many lines, how many of them reversals, the latest line id.

    ``person_pk`` is 0 for household lines (no person has pk 0), so keys join without null semantics.
    """
    rows = (
        scoped(region_prefix)
        .filter(month=first)
        .exclude(program__in=PAID_OUTSIDE_MONTH_RUN)  # medical / insurance lines: not the run's to adjust
        .values_list("household_id", "person_id", "program")
        .annotate(
            net=Sum("amount_fen"),
            lines=Count("id"),
            reversals=Count("id", filter=Q(kind=LineKind.REVERSAL)),
            last_line=Max("id"),
        )
        .order_by()
    )
    frame = pl.DataFrame(list(rows), schema=NET_SCHEMA, orient="row")
    return frame.with_columns(pl.col("person_pk").fill_null(0))


@dataclass
class MonthTotals:
    """``jingzhun ledger totals``: lines of the month, households with a non-zero net, net amounts."""

    lines: int = 0
    households: int = 0
    amount_fen: int = 0
    by_program: dict[str, int] = field(default_factory=dict)


def month_totals(first: dt.date, region_prefix: str = "") -> MonthTotals:
    lines = scoped(region_prefix).filter(month=first)
    by_program = {
        program: int(net) for program, net in lines.values_list("program").annotate(net=Sum("amount_fen")).order_by()
    }
    households = lines.values("household_id").annotate(net=Sum("amount_fen")).exclude(net=0).order_by().count()
    ordered = dict(sorted(by_program.items(), key=lambda item: PROGRAM_ORDER.get(item[0], 99)))
    return MonthTotals(
        lines=lines.count(),
        households=households,
        amount_fen=sum(ordered.values()),
        by_program=ordered,
    )


def lifetime_paid_persons(program: str, before: dt.date, persons: Iterable[int] | None = None) -> list[int]:
    """Persons whose net for a once-per-lifetime program is positive in months before ``before`` — among
    ``persons`` when given (the ``person_id`` index bounds the read to them), else anyone."""
    lines = PaymentLine.objects.filter(program=program, month__lt=before, person__isnull=False)
    if persons is not None:
        lines = lines.filter(person_id__in=list(persons))
    return list(
        lines.values_list("person_id")
        .annotate(net=Sum("amount_fen"))
        .filter(net__gt=0)
        .order_by()
        .values_list("person_id", flat=True)
    )


def decimal_text(value: Decimal) -> str:
    """``Decimal("5.20")`` → ``"5.2"``, ``Decimal("10.00")`` → ``"10"``: the policy engine's decimal strings."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cpi_entries() -> list[CpiMonth]:
    """The CPI in force for every month entered (the latest row of each month), by month."""
    latest: dict[dt.date, CpiMonth] = {}
    for entry in CpiMonth.objects.order_by("month", "id"):
        latest[entry.month] = entry
    return list(latest.values())


def cpi_of_month(first: dt.date) -> dict[str, dict[str, str]]:
    """The month run's ``cpi`` input: ``{"YYYY-MM": {"all": "5.2", "food": "21.9"}}``, or ``{}`` when none entered."""
    entry = CpiMonth.objects.filter(month=first).order_by("-id").first()
    if entry is None:
        return {}
    return {f"{first:%Y-%m}": {"all": decimal_text(entry.all_items), "food": decimal_text(entry.food)}}
