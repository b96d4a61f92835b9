"""What 临时救助 tells the 返贫预警 assessment (registered in ``AssistanceConfig.ready``; see
:mod:`jingzhun.core.monitoring_sources`).

Reading chosen (POLICY.md §8 names 临时救助 as a source of rigid costs without saying how):

* a 支出型 (expense) 临时救助 application that was not rejected counts its claimed expense
  (``amount_due_fen``, the family's outlay the application documents) as a rigid cost on its
  ``event_date``; the 临时救助 paid is not subtracted (the cost still hit the family's budget);
* an 急难型 (emergency) one — an accident, fire, sudden illness — is a ``sudden_hardship`` event on its
  ``event_date`` (as 穆小军's accident in the seeds became 红色 突发严重困难).

Hospital out-of-pocket comes from the medical app's settlements, not from 临时救助 (zero here).

For the exit check, :func:`guaranteed_households` names the households with a 低保 or 特困 enrollment in
force in some month of the period (start ≤ month < end, not ended before it; a suspension is ignored).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db.models import Q

from jingzhun.assistance.models import Application, ApplicationStatus, Enrollment, TemporaryKind

GUARANTEE_FAMILIES = ("dibao", "tekun")
CHUNK = 5_000


def _temporary(region_prefix: str, start: dt.date, end: dt.date, kind: str) -> list[tuple[int, int, dt.date]]:
    rows = (
        Application.objects.filter(
            family="temporary",
            temporary_kind=kind,
            event_date__gte=start,
            event_date__lt=end,
            household__village__code__startswith=region_prefix,
        )
        .exclude(status=ApplicationStatus.REJECTED)
        .values_list("household_id", "amount_due_fen", "event_date")
    )
    return [(h, amount or 0, d) for h, amount, d in rows]


def temporary_costs(region_prefix: str, start: dt.date, end: dt.date) -> pl.DataFrame:
    rows = _temporary(region_prefix, start, end, TemporaryKind.EXPENSE)
    return pl.DataFrame(
        {
            "household_id": [r[0] for r in rows],
            "rigid_costs_fen": [r[1] for r in rows],
            "hospital_oop_fen": [0] * len(rows),
        },
        schema={"household_id": pl.Int64, "rigid_costs_fen": pl.Int64, "hospital_oop_fen": pl.Int64},
    )


def temporary_events(region_prefix: str, start: dt.date, end: dt.date) -> pl.DataFrame:
    rows = _temporary(region_prefix, start, end, TemporaryKind.EMERGENCY)
    return pl.DataFrame(
        {"household_id": [r[0] for r in rows], "kind": ["sudden_hardship"] * len(rows), "date": [r[2] for r in rows]},
        schema={"household_id": pl.Int64, "kind": pl.Utf8, "date": pl.Date},
    )


def guaranteed_households(household_ids: list[int], start: dt.date, end: dt.date) -> set[int]:
    out: set[int] = set()
    for i in range(0, len(household_ids), CHUNK):
        rows = Enrollment.objects.filter(
            Q(end_month__isnull=True) | Q(end_month__gte=start),
            household_id__in=household_ids[i : i + CHUNK],
            family__in=GUARANTEE_FAMILIES,
            start_month__lt=end,
        ).values_list("household_id", flat=True)
        out.update(rows)
    return out
