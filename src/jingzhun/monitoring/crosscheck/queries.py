"""What the 数据比对 pages and other parts read: 疑点 in the actor's region, events for 返贫预警, the 低保 roll
compared with 建档立卡 both ways.

Every query is bounded by the actor's region (``Actor.scope``, a region-code prefix) and, for a 帮扶 cadre,
by their own households, like the registry's; lists are paginated by the views. ``events_for`` is the
function the monthly 返贫预警 assessment (part ``cases``) can call through its registration hook once both
parts land: department-list events (death, disability, disaster, dropout) matched to registry persons.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.monitoring.crosscheck.sources import EVENTS, TASKS
from jingzhun.monitoring.models.crosscheck import Ambiguity, DeptList, RollCheck, RollFinding, Suspect, SuspectState
from jingzhun.registry.models import Region


def suspects_for(actor: Actor) -> QuerySet[Suspect]:
    """Every 疑点 the actor may read: in their region; a 帮扶 cadre only those of their own households."""
    rows = Suspect.objects.filter(village_code__startswith=actor.scope, source__in=TASKS)
    if actor.role == Role.ASSIGNED_CADRE:
        rows = rows.filter(household__assigned_cadre=actor.user)
    return rows


def get_suspect_for(actor: Actor, pk: int) -> Suspect:
    """The 疑点 ``pk`` if the actor may read it; 404 otherwise (never 403: no probing)."""
    suspect = (
        suspects_for(actor)
        .select_related("row__dept_list", "person", "household__village__parent", "change_request")
        .filter(pk=pk)
        .first()
    )
    if suspect is None:
        raise Http404("未找到该疑点")
    return suspect


def ambiguities_for(actor: Actor) -> QuerySet[Ambiguity]:
    """待甄别 rows the actor may read: one of the candidates lives in their region (a 帮扶 cadre: in one of
    their households)."""
    # "has a candidate in the region", probed from each row (EXISTS over its few candidates): the join from
    # every person of the region with DISTINCT read the county's 3·10⁵ persons (bench/bench_monitor_pages.py)
    through = Ambiguity.candidates.through
    theirs = through.objects.filter(ambiguity_id=OuterRef("pk"))
    if actor.scope:
        theirs = theirs.filter(person__household__village__code__startswith=actor.scope)
    if actor.role == Role.ASSIGNED_CADRE:
        theirs = theirs.filter(person__household__assigned_cadre=actor.user)
    return Ambiguity.objects.filter(Exists(theirs))


def deciding_region(village_codes: Iterable[str], cache: dict[str, list[Region]] | None = None) -> Region | None:
    """Who decides a 待甄别 row: the lowest region covering every candidate's village — the village when all
    candidates live in it, the township when they span its villages, else the county (or higher). Every
    village that holds a candidate still reads the row; only staff covering this region may resolve it,
    because choosing one candidate means clearing the others, which a single village cannot see. ``cache``
    keeps each village's chain of regions across calls."""
    known = {} if cache is None else cache  # a page of rows shares a handful of villages
    chains: list[list[Region]] = []
    for code in sorted(set(village_codes)):
        if code not in known:
            region = Region.objects.select_related("parent").filter(code=code).first()
            chain = []
            while region is not None:
                chain.append(region)
                region = region.parent
            known[code] = chain
        chains.append(known[code])
    if not chains:
        return None
    others = [{r.code for r in chain} for chain in chains[1:]]
    return next((r for r in chains[0] if all(r.code in codes for codes in others)), None)


def get_ambiguity_for(actor: Actor, pk: int) -> Ambiguity:
    """The 待甄别 row ``pk`` if the actor may read it; 404 otherwise."""
    found = ambiguities_for(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("未找到该待甄别名单行")
    return found


@dataclass
class VillageCount:
    code: str
    name: str
    township: str
    open: int
    confirmed: int
    cleared: int


def village_counts(actor: Actor) -> list[VillageCount]:
    """Open / confirmed / cleared 疑点 per village of the actor's region (one aggregate query + names)."""
    counts = (
        suspects_for(actor)
        .values("village_code")
        .annotate(
            open=Count("pk", filter=Q(state=SuspectState.OPEN)),
            confirmed=Count("pk", filter=Q(state=SuspectState.CONFIRMED)),
            cleared=Count("pk", filter=Q(state=SuspectState.CLEARED)),
        )
        .order_by("village_code")
    )
    rows = list(counts)
    names = {
        r.code: (r.name, r.parent.name if r.parent else "")
        for r in Region.objects.filter(code__in=[c["village_code"] for c in rows]).select_related("parent")
    }
    return [
        VillageCount(
            code=c["village_code"],
            name=names.get(c["village_code"], ("", ""))[0],
            township=names.get(c["village_code"], ("", ""))[1],
            open=c["open"],
            confirmed=c["confirmed"],
            cleared=c["cleared"],
        )
        for c in rows
    ]


def _event_hits(prefix: str, start: dt.date, end: dt.date) -> QuerySet[Suspect]:
    """Hits of the event lists (disability, disaster, dropout, death) under ``prefix`` whose list's snapshot
    date d satisfies ``start ≤ d < end``, matched (open) or confirmed — a cleared hit is not an event."""
    return Suspect.objects.filter(
        source__in=EVENTS,
        village_code__startswith=prefix,
        row__dept_list__as_of__gte=start,
        row__dept_list__as_of__lt=end,
        state__in=(SuspectState.OPEN, SuspectState.CONFIRMED),
    )


def events_for(month: str, region: str = "") -> dict[int, list[dict[str, Any]]]:
    """返贫预警 events of ``month`` (``YYYY-MM``) under the region prefix ``region``, per household pk.

    An event is a hit of a disability, disaster, dropout or death list whose snapshot date (截至日期) falls in
    the month, matched (open) or confirmed by the village — a cleared hit is not an event. Each event:
    ``{"kind", "person_id", "state", "as_of", "probability"}``. For the assessment's ``events`` input."""
    first = dt.date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    rows = (
        _event_hits(region, first, following)
        .values_list("household_id", "source", "person_id", "state", "row__dept_list__as_of", "probability")
        .order_by("household_id", "source", "person_id")
    )
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for household_id, source, person_id, state, as_of, probability in rows:
        out[household_id].append(
            {
                "kind": source,
                "person_id": person_id,
                "state": state,
                "as_of": as_of.isoformat(),
                "probability": str(probability),
            }
        )
    return dict(out)


ROLL_KINDS = ("unprotected", "missed", "mismatch")


@dataclass
class RollComparison:
    """低保名册 ↔ 建档立卡 (POLICY.md §8's last line) as stored by the last run, each list as dicts for the page
    (the first ``limit`` of each kind in the actor's region; ``counts`` has the totals)."""

    roll: DeptList | None
    check: RollCheck | None = None
    month: str = ""
    unprotected: list[dict[str, Any]] = field(default_factory=list)  # 应保未保
    missed: list[dict[str, Any]] = field(default_factory=list)  # 漏评 candidates
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    unmatched_rows: int = 0
    errors: list[str] = field(default_factory=list)


def newest_roll() -> DeptList | None:
    return DeptList.objects.filter(source="dibao_roll").order_by("-as_of", "-id").first()


def roll_check_for(actor: Actor, roll: DeptList) -> RollCheck | None:
    """The newest stored comparison of ``roll`` computed over a region that contains the actor's."""
    covering = [actor.scope[:n] for n in range(len(actor.scope) + 1)]
    return RollCheck.objects.filter(roll=roll, scope__in=covering).order_by("-id").first()


def compare_roll(actor: Actor, *, limit: int = 500) -> RollComparison:
    """The newest 低保名册 (dibao_roll list) against the registry of the actor's region, as the last
    ``crosscheck run`` over that list computed and stored it (:mod:`.roll`) — read, never recomputed here:
    a few indexed queries whatever the county's size.

    * 应保未保: 建档立卡 households the rules engine finds eligible for 低保 in the roll's month, none of whose
      members is on the roll;
    * 漏评 candidates: households on the roll, not 建档立卡, whose per-capita annual income is below the
      national poverty line (``poverty_line``) in force on the roll's date;
    * attribute mismatches: a roll row whose 村代码 is not the registry's village, whose 保障人数 differs from
      the household's members, or whose name differs from the ID-matched person's.
    """
    roll = newest_roll()
    result = RollComparison(roll=roll)
    if roll is None:
        return result
    result.month = f"{roll.as_of:%Y-%m}"
    check = roll_check_for(actor, roll)
    if check is None:
        return result
    result.check, result.month = check, check.month
    result.unmatched_rows, result.errors = check.unmatched_rows, list(check.errors)
    findings = RollFinding.objects.filter(check_run=check, village_code__startswith=actor.scope)
    counts = dict(findings.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    result.counts = {kind: counts.get(kind, 0) for kind in ROLL_KINDS}
    lists = {"unprotected": result.unprotected, "missed": result.missed, "mismatch": result.mismatches}
    for kind, target in lists.items():
        rows = findings.filter(kind=kind).order_by("id").values_list("household_id", "details")[:limit]
        target.extend({**details, "pk": household_id} for household_id, details in rows)
    return result


# A department list's kind → the POLICY.md §8 event kind it raises in 返贫预警. A death list gives no cause,
# so every matched death counts as ``accident_death`` (the flag the feed has for a death in the household);
# the village's 入户核实 of the opened case establishes what happened.
EVENT_KINDS: dict[str, str] = {  # one entry per list of EVENTS
    "disability": "severe_disability",
    "disaster": "disaster",
    "dropout": "dropout",
    "death": "accident_death",
}


def department_events(prefix: str, start: dt.date, end: dt.date) -> Any:
    """返贫预警's department-list events (``core.monitoring_sources.register_events``): one row per matched
    (open) or confirmed hit of a disability, disaster, dropout or death list whose snapshot date d satisfies
    ``start ≤ d < end``, for households of villages under ``prefix``. A cleared hit is not an event."""
    import polars as pl

    rows = list(
        _event_hits(prefix, start, end)
        .filter(household__isnull=False)
        .values_list("household_id", "source", "row__dept_list__as_of")
    )
    return pl.DataFrame(
        [(hid, EVENT_KINDS[source], as_of) for hid, source, as_of in rows],
        schema={"household_id": pl.Int64, "kind": pl.Utf8, "date": pl.Date},
        orient="row",
    )
