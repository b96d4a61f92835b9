"""Keep ``LedgerMonthVillage`` in step with the ledger (see ``dashboard/models.py``).

``refresh()`` reads one signature per month (line count and highest id, from the ledger's month index),
and rebuilds only the months whose signature changed — in one transaction each, so a reader sees the old
or the new month, never half of it. The pages and ``jingzhun dashboard refresh`` call it through
``counts.refresh``, the audited job (one ``dashboard.refresh`` audit row naming the months rebuilt).
Besides a row per village, month and program there is one per village and month with ``program = "*"``
(``ALL``): its households counted once across programs.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum, Value

from jingzhun.dashboard.models import LedgerMonthStamp, LedgerMonthVillage
from jingzhun.ledger.models import PaymentLine

ALL = "*"  # the row per village and month counting its households once whatever the programs


def stale() -> dict[dt.date, tuple[int, int]]:
    """The months whose ledger signature (line count, highest id) differs from their stamp, with the
    current signature; a month with no lines left maps to (0, 0)."""
    current = {
        row["month"]: (row["n"], row["top"])
        for row in PaymentLine.objects.values("month").annotate(n=Count("id"), top=Max("id")).order_by()
    }
    stamps = {s.month: (s.lines, s.last_line_id) for s in LedgerMonthStamp.objects.all()}
    out = {m: sig for m, sig in current.items() if stamps.get(m) != sig}
    out.update({m: (0, 0) for m in set(stamps) - set(current)})
    return dict(sorted(out.items()))


def rebuild(months: dict[dt.date, tuple[int, int]]) -> list[dt.date]:
    """Rebuild the given months (from :func:`stale`); returns those that still have lines."""
    gone = [m for m, sig in months.items() if sig == (0, 0)]
    if gone:
        with transaction.atomic():
            LedgerMonthVillage.objects.filter(month__in=gone).delete()
            LedgerMonthStamp.objects.filter(month__in=gone).delete()
    built = [m for m in months if m not in gone]
    for month in built:
        _rebuild(month, months[month])
    return built


def refresh() -> list[dt.date]:
    """Rebuild the stale months; returns them. Pages go through ``counts.refresh``, the audited job."""
    return rebuild(stale())


def _rebuild(month: dt.date, signature: tuple[int, int]) -> None:
    lines = PaymentLine.objects.filter(month=month)
    rows = [
        *lines.values("household__village_id", "program")
        .annotate(h=Count("household", distinct=True), fen=Sum("amount_fen"))
        .order_by(),
        *lines.values("household__village_id")
        .annotate(program=Value(ALL), h=Count("household", distinct=True), fen=Sum("amount_fen"))
        .order_by(),
    ]
    try:
        with transaction.atomic():
            LedgerMonthVillage.objects.filter(month=month).delete()
            LedgerMonthVillage.objects.bulk_create(
                LedgerMonthVillage(
                    month=month,
                    village_id=r["household__village_id"],
                    program=r["program"],
                    households=r["h"],
                    amount_fen=r["fen"] or 0,
                )
                for r in rows
            )
            LedgerMonthStamp.objects.update_or_create(
                month=month, defaults={"lines": signature[0], "last_line_id": signature[1]}
            )
    except IntegrityError:  # another request rebuilt the same month at the same time: theirs stands
        pass
