"""Keep ``LedgerMonthVillage`` in step with the ledger (see ``dashboard/models.py``).

``refresh()`` reads one signature per month (line count and highest id, from the ledger's month index),
and rebuilds only the months whose signature changed — in one transaction each, so a reader sees the old
or the new month, never half of it. A cache rebuild writes no audit row: it changes no data, only a copy
derived from the audited ledger.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum

from jingzhun.dashboard.models import LedgerMonthStamp, LedgerMonthVillage
from jingzhun.ledger.models import PaymentLine


def refresh() -> list[dt.date]:
    """Rebuild the stale months; returns them."""
    current = {
        row["month"]: (row["n"], row["top"])
        for row in PaymentLine.objects.values("month").annotate(n=Count("id"), top=Max("id")).order_by()
    }
    stamps = {s.month: (s.lines, s.last_line_id) for s in LedgerMonthStamp.objects.all()}
    stale = sorted(m for m, sig in current.items() if stamps.get(m) != sig)
    for month in stale:
        _rebuild(month, current[month])
    gone = set(stamps) - set(current)
    if gone:
        with transaction.atomic():
            LedgerMonthVillage.objects.filter(month__in=gone).delete()
            LedgerMonthStamp.objects.filter(month__in=gone).delete()
    return stale


def _rebuild(month: dt.date, signature: tuple[int, int]) -> None:
    rows = (
        PaymentLine.objects.filter(month=month)
        .values("household__village_id", "program")
        .annotate(h=Count("household", distinct=True), fen=Sum("amount_fen"))
        .order_by()
    )
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
