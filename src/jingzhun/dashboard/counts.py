"""The register counted per village, kept in step by an audited job (``dashboard/models.py``'s derived tables).

The dashboards and the 工作台 read households by status, by 致贫原因, persons, 在册救助对象, 低保/特困 of a
month and 帮扶 coverage from small per-village tables instead of the register (bench/bench_dashboard.py:
a county page read 100 000 households on every request before).

:func:`refresh` is the job: one transaction, one audit row (``dashboard.refresh``), run as a background task
(``dashboard/tasks.py``: after other jobs finish, and queued by a page that finds :func:`stale` counts) or
by ``jingzhun dashboard refresh``, never inside a page view. It compares a signature — the
highest audit row id and the highest household, person, enrollment, 帮扶记录 and ledger line ids — with
the one the counts were built from:

* unchanged: nothing is written (no audit row either);
* the audit trail moved: the villages under the region of each new audit row are rebuilt (a village's
  code, a township's or county's prefix; a row without a region rebuilds every village) — every write of
  the register, the enrollments and the 帮扶记录 is an audited action naming its region;
* only a register id moved, with no audit row (a bulk load outside the actions, a test fixture): every
  village is rebuilt.

The ledger's monthly summary (``summary.refresh``) is brought up to date in the same job. Rows per day
(``VillageDayCounts``: 低保/特困 of the month and coverage to the day) are filled for the villages that lack
them when a page asks for a day, and dropped for a village whenever it is rebuilt. A change made by hand in
the database without an audit row and without a new id (an UPDATE in SQL) is not seen until the next full
rebuild: ``jingzhun dashboard refresh --all``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q

from jingzhun.assistance.models import Enrollment
from jingzhun.core.actions import Actor, record_audit
from jingzhun.core.models import AuditEvent
from jingzhun.core.scope import region_prefix
from jingzhun.dashboard import summary
from jingzhun.dashboard.models import CountsStamp, VillageCauseCounts, VillageCounts, VillageDayCounts
from jingzhun.helping.models import HelpRecord
from jingzhun.ledger.models import PaymentLine
from jingzhun.registry.models import Household, Person, Region, RegionLevel

ACTION = "dashboard.refresh"
COVERAGE_DAYS = 90
NO_CAUSE = "__none__"
KEEP_DAYS = 7  # day rows other than month ends are kept a week


@dataclass
class Refreshed:
    villages: int = 0  # villages rebuilt
    months: list[dt.date] = field(default_factory=list)  # ledger months rebuilt
    full: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.villages or self.months)


def signature() -> dict[str, int]:
    """Six index reads (highest ids)."""
    tables = {
        "audit": AuditEvent,
        "households": Household,
        "persons": Person,
        "enrollments": Enrollment,
        "visits": HelpRecord,
        "ledger": PaymentLine,
    }
    return {name: model.objects.aggregate(top=Max("id"))["top"] or 0 for name, model in tables.items()}


def stale() -> bool:
    """The register, the audit trail or the ledger moved since the counts were built (or they never were):
    the signature's six index reads against the stamp's. The job's own audit row (written after the
    signature it stores) does not count."""
    stamp = CountsStamp.objects.filter(pk=1).first()
    if stamp is None:
        return True
    before, now = dict(stamp.signature), signature()
    if any(now[k] != before.get(k) for k in now if k != "audit"):
        return True
    if now["audit"] == before.get("audit"):
        return False
    return AuditEvent.objects.filter(id__gt=int(before.get("audit", 0))).exclude(action=ACTION).exists()


def _touched_prefixes(since: int, upto: int) -> list[str] | None:
    """The region prefixes of the audit rows in (since, upto] other than this job's; None = everything."""
    codes = (
        AuditEvent.objects.filter(id__gt=since, id__lte=upto)
        .exclude(action=ACTION)
        .values_list("region_code", flat=True)
        .distinct()
    )
    prefixes: set[str] = set()
    for code in codes:
        try:
            prefixes.add(region_prefix(code))
        except ValueError:  # blank or not a region code: it may have touched anything
            return None
    return sorted(prefixes)


def _villages(prefixes: list[str] | None) -> list[int]:
    villages = Region.objects.filter(level=RegionLevel.VILLAGE)
    if prefixes is None:
        return list(villages.values_list("id", flat=True))
    if not prefixes:
        return []
    match = Q()
    for prefix in prefixes:
        match |= Q(code__startswith=prefix)
    return list(villages.filter(match).values_list("id", flat=True))


def refresh(actor: Actor | None = None, *, everything: bool = False) -> Refreshed:
    """Bring the village counts and the ledger summary up to date (module docstring); the audited job."""
    actor = actor or Actor.system("dashboard")
    now = signature()
    stamp = CountsStamp.objects.filter(pk=1).first()
    before = dict(stamp.signature) if stamp is not None else None
    out = Refreshed()
    if everything or before is None:
        out.full, villages = True, _villages(None)
    elif now == before:
        villages = []
    else:
        touched = (
            _touched_prefixes(int(before.get("audit", 0)), now["audit"]) if now["audit"] != before["audit"] else []
        )
        others_moved = any(now[k] != before.get(k) for k in now if k not in ("audit", "ledger"))
        if touched == [] and others_moved:  # no audited write (this job's own rows aside), yet new rows
            out.full, villages = True, _villages(None)
        else:
            villages = _villages(touched)
    if before == now and not everything:  # the ledger is append-only: no new line, no stale month
        return out
    stale_months = summary.stale()
    try:
        with transaction.atomic():
            out.months = summary.rebuild(stale_months)
            _rebuild(villages)
            out.villages = len(villages)
            CountsStamp.objects.update_or_create(pk=1, defaults={"signature": now})
            if out.changed:
                record_audit(
                    actor,
                    ACTION,
                    object_type="VillageCounts",
                    after={
                        "villages": out.villages,
                        "full": out.full,
                        "ledger_months": [f"{m:%Y-%m}" for m in out.months],
                        "signature": now,
                    },
                    reason="一张图汇总：按审计记录重建有变动的村",
                )
    except IntegrityError:  # another request rebuilt the same rows at the same time: theirs stands
        return Refreshed()
    return out


def _rebuild(villages: list[int]) -> None:
    if not villages:
        return
    for chunk in _chunks(villages, 500):
        VillageCounts.objects.filter(village_id__in=chunk).delete()
        VillageCauseCounts.objects.filter(village_id__in=chunk).delete()
        VillageDayCounts.objects.filter(village_id__in=chunk).delete()
        VillageCounts.objects.bulk_create(_register_rows(chunk), batch_size=1000)
        VillageCauseCounts.objects.bulk_create(_cause_rows(chunk), batch_size=1000)


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _register_rows(villages: list[int]) -> list[VillageCounts]:
    households = Household.objects.filter(village_id__in=villages, active=True)
    keys = ("village_id", "status", "registered")
    cells: dict[tuple[int, str, bool], list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def key(row: dict[str, object], prefix: str = "") -> tuple[int, str, bool]:
        village, status, year = (row[f"{prefix}{k}"] for k in ("village_id", "status", "registered_year"))
        return (int(str(village)), str(status or ""), year is not None)

    for row in households.values("village_id", "status", "registered_year").annotate(n=Count("id")).order_by():
        cells[key(row)][0] += int(row["n"])
    persons = Person.objects.filter(household__in=households, status="active")
    grouped = ("household__village_id", "household__status", "household__registered_year")
    for row in persons.values(*grouped).annotate(n=Count("id")).order_by():
        cells[key(row, "household__")][1] += int(row["n"])
    enrolled = Enrollment.objects.filter(status="active", household__in=households)
    for row in enrolled.values(*grouped).annotate(n=Count("household", distinct=True)).order_by():
        cells[key(row, "household__")][2] += int(row["n"])
    enrolled_persons = persons.filter(household__in=enrolled.values("household_id"))
    for row in enrolled_persons.values(*grouped).annotate(n=Count("id")).order_by():
        cells[key(row, "household__")][3] += int(row["n"])
    return [
        VillageCounts(
            **dict(zip(keys, k, strict=True)),
            households=v[0],
            persons=v[1],
            enrolled_households=v[2],
            enrolled_persons=v[3],
        )
        for k, v in cells.items()
    ]


def _cause_rows(villages: list[int]) -> list[VillageCauseCounts]:
    registered = Household.objects.filter(village_id__in=villages, active=True, registered_year__isnull=False)
    cells: dict[tuple[int, str], int] = defaultdict(int)
    for row in registered.values("village_id", "poverty_causes").annotate(n=Count("id")).order_by():
        for cause in row["poverty_causes"] or [NO_CAUSE]:
            cells[(row["village_id"], str(cause))] += row["n"]
    return [VillageCauseCounts(village_id=v, cause=c, households=n) for (v, c), n in cells.items()]


def day_counts(villages: list[int], as_of: dt.date) -> dict[int, VillageDayCounts]:
    """Each village's row for ``as_of``, computing (and storing) those not yet there."""
    have = {r.village_id: r for r in VillageDayCounts.objects.filter(as_of=as_of, village_id__in=villages)}
    missing = [v for v in villages if v not in have]
    if missing:
        rows = _day_rows(missing, as_of)
        try:
            with transaction.atomic():
                VillageDayCounts.objects.bulk_create(rows, batch_size=1000)
        except IntegrityError:  # filled by another request meanwhile: the same numbers
            pass
        have.update({r.village_id: r for r in rows})
        _prune(as_of)
    return have


def _prune(as_of: dt.date) -> None:
    """Drop the day rows of past days other than month ends (the 工作台's "today" adds one set a day; the
    dashboards ask for month ends): a derived table, rebuilt on demand if a page asks again."""
    keep_after = as_of - dt.timedelta(days=KEEP_DAYS)
    days = VillageDayCounts.objects.filter(as_of__lt=keep_after).values_list("as_of", flat=True).distinct()
    old = [d for d in days if (d + dt.timedelta(days=1)).day != 1]
    if old:
        VillageDayCounts.objects.filter(as_of__in=old).delete()


def _day_rows(villages: list[int], as_of: dt.date) -> list[VillageDayCounts]:
    month = as_of.replace(day=1)
    cells: dict[int, list[int]] = {v: [0, 0, 0] for v in villages}
    for chunk in _chunks(villages, 500):
        enrolled = (
            Enrollment.objects.filter(
                household__village_id__in=chunk,
                household__active=True,
                status="active",
                family__in=("dibao", "tekun"),
                start_month__lte=month,
            )
            .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
            .values("household__village_id", "family")
            .annotate(n=Count("household", distinct=True))
            .order_by()
        )
        for row in enrolled:
            cells[row["household__village_id"]][0 if row["family"] == "dibao" else 1] += row["n"]
        visited = (
            HelpRecord.objects.filter(
                household__village_id__in=chunk,
                household__active=True,
                household__registered_year__isnull=False,
                date__gte=as_of - dt.timedelta(days=COVERAGE_DAYS - 1),
                date__lte=as_of,
                voided_at__isnull=True,
            )
            .values("household__village_id")
            .annotate(n=Count("household", distinct=True))
            .order_by()
        )
        for row in visited:
            cells[row["household__village_id"]][2] += row["n"]
    return [VillageDayCounts(village_id=v, as_of=as_of, dibao=c[0], tekun=c[1], visited=c[2]) for v, c in cells.items()]
