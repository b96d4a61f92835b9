"""低保名册 ↔ 建档立卡, computed by the run (not by the page) and stored.

The comparison needs the rules engine over every household of the region for the roll's month (10⁵
households: seconds); the page used to redo it on every load. Now ``crosscheck run`` (CLI or job) calls
:func:`refresh_roll` whenever the 低保名册 is among the lists it matched: :func:`compute_roll` builds the three
lists with Polars and :func:`store_roll` writes them as one :class:`RollCheck` with its :class:`RollFinding`
rows (one transaction, one audit row). The page (:func:`.queries.compare_roll`) only reads them and says when
they were computed; a change to the registry or the roll shows after the next run.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import transaction

from jingzhun.core.actions import Actor, record_audit
from jingzhun.monitoring.crosscheck import bulk
from jingzhun.monitoring.crosscheck.actions import check_importer
from jingzhun.monitoring.exit.check import dibao_standard_on
from jingzhun.monitoring.models.crosscheck import DeptList, RollCheck, RollFinding, Suspect, SuspectState
from jingzhun.policy.params import load_parameters
from jingzhun.registry.models import Household

DIBAO_PROGRAM = "dibao"


@dataclass
class Computed:
    month: str
    findings: list[dict[str, Any]] = field(default_factory=list)  # kind, household_id, village_code, details
    unmatched_rows: int = 0
    errors: list[str] = field(default_factory=list)


def _poverty_line_fen(county: str, at: dt.date) -> int | None:
    found = load_parameters().resolve_or_none("poverty_line", county, at)
    return None if found is None else int(Decimal(str(found.value)) * 100)


def compute_roll(roll: DeptList, scope: str) -> Computed:
    """The three lists for the households under ``scope`` (see :func:`.queries.compare_roll`).

    Reading of 漏评候选 (POLICY.md §8: 低保 households below the poverty line that are not registered), the
    exit check's: a household on the 低保 roll is paid 低保, and the poverty line is measured on income that
    includes such transfers, while the registry's income is the income counted *for* 低保 and leaves the
    payment out. So its per-capita income counts at no less than the 低保 standard of its area in force on the
    roll's date (兜底). Where the standard is below the line (离石 2016–2017: 2 819 < 2 952) every such
    household under it is a candidate; from 2018 the standard is above the line and a 低保 household is not
    poor by income (两线合一), so the list is empty unless a county's standard falls short. Both figures are
    stored: ``per_capita_fen`` (registry) and ``counted_fen`` (with the floor)."""
    from jingzhun.policy.engine_batch import compute_batch_with_errors
    from jingzhun.registry.documents import household_frames

    month = f"{roll.as_of:%Y-%m}"
    out = Computed(month=month, unmatched_rows=roll.rows.filter(suspect__isnull=True).count())
    hits = (
        Suspect.objects.filter(row__dept_list=roll, village_code__startswith=scope)
        .exclude(state=SuspectState.CLEARED)
        .select_related("row", "person", "household__village")
        .order_by("household_id", "id")
    )
    on_roll: dict[int, list[Suspect]] = defaultdict(list)
    for hit in hits:
        on_roll[hit.household_id].append(hit)

    households, persons = household_frames(month, scope)
    if households.is_empty():
        return out
    computed = compute_batch_with_errors(households, persons, month)
    eligible = set(computed.lines.filter(pl.col("program") == DIBAO_PROGRAM)["household_id"].to_list())
    sizes = dict(persons.group_by("household_id").len().iter_rows())
    keys = bulk.fetch(
        Household.objects.filter(village__code__startswith=scope).order_by(),
        ("household_no", "pk", "village__code"),
        {"household_no": pl.String, "pk": pl.Int64, "village": pl.String},
    )
    facts = households.select("id", "area", "registered_poor", "annual_income_fen").join(
        keys, left_on="id", right_on="household_no", how="inner"
    )
    by_no = {f["id"]: f for f in facts.iter_rows(named=True)}
    no_of = {f["pk"]: no for no, f in by_no.items()}
    counties = {no[:6] for no in by_no} or {scope[:6]}
    lines = {county: _poverty_line_fen(county, roll.as_of) for county in counties}
    for county, line in sorted(lines.items()):
        if line is None:
            out.errors.append(f"无参数: poverty_line（{county}，{roll.as_of}），该县漏评候选无法判断")

    standard = dibao_standard_on(load_parameters(), roll.as_of)

    def brief(no: str) -> dict[str, Any]:
        fact, size = by_no[no], sizes.get(no, 0)
        return {
            "household_no": no,
            "size": size,
            "annual_income_fen": fact["annual_income_fen"],
            "per_capita_fen": fact["annual_income_fen"] // size if size else None,
        }

    def counted(no: str, item: dict[str, Any]) -> dict[str, Any]:
        """A household on the roll is paid 低保: its income counts at least at the standard (兜底)."""
        floor = standard(no[:6], str(by_no[no]["area"]))
        own = item["per_capita_fen"]
        return {**item, "counted_fen": own if floor is None or own is None else max(own, floor)}

    def add(kind: str, no: str, details: dict[str, Any]) -> None:
        fact = by_no[no]
        where = {"household_id": fact["pk"], "village_code": fact["village"]}
        out.findings.append({"kind": kind, **where, "details": details})

    roll_nos = {no_of[pk] for pk in on_roll if pk in no_of}
    for no in sorted(eligible - roll_nos):
        if no in by_no and by_no[no]["registered_poor"]:
            add("unprotected", no, brief(no))
    for no in sorted(roll_nos):
        line = lines.get(no[:6])
        if by_no[no]["registered_poor"] or line is None:
            continue
        item = counted(no, brief(no))
        if item["counted_fen"] is not None and item["counted_fen"] < line:
            add("missed", no, {**item, "line_fen": line})
    for pk, rows in sorted(on_roll.items()):
        for hit in rows:
            problems = []
            if hit.row.village_code and hit.row.village_code != hit.household.village.code:
                problems.append(f"名册村代码 {hit.row.village_code}，户籍在 {hit.household.village.name}")
            stated = str(hit.row.evidence.get("保障人数") or "").strip()
            size = sizes.get(no_of.get(pk, ""))
            if stated.isdigit() and size is not None and int(stated) != size:
                problems.append(f"名册保障人数 {stated}，户籍在册 {size} 人")
            if hit.match == "exact" and hit.row.name != hit.person.name:
                problems.append(f"名册姓名「{hit.row.name}」，户籍姓名「{hit.person.name}」")
            if problems:
                out.findings.append(
                    {
                        "kind": "mismatch",
                        "household_id": pk,
                        "village_code": hit.household.village.code,
                        "details": {
                            "household_no": hit.household.household_no,
                            "row": hit.row.row,
                            "problems": problems,
                        },
                    }
                )
    return out


def store_roll(actor: Actor, roll: DeptList, computed: Computed, *, seconds: float = 0.0) -> RollCheck:
    """Write one computation (header + findings) in one transaction with one audit row."""
    check_importer(actor)
    with transaction.atomic():
        check = RollCheck.objects.create(
            roll=roll,
            scope=actor.scope,
            month=computed.month,
            unmatched_rows=computed.unmatched_rows,
            errors=computed.errors,
            seconds=Decimal(f"{min(seconds, 999_999):.2f}"),
            computed_by=actor.label[:150],
        )
        rows = pl.DataFrame(
            {
                "check_run_id": [check.pk] * len(computed.findings),
                "kind": [f["kind"] for f in computed.findings],
                "household_id": [f["household_id"] for f in computed.findings],
                "village_code": [f["village_code"] for f in computed.findings],
                "details": [json.dumps(f["details"], ensure_ascii=False) for f in computed.findings],
            },
            schema={
                "check_run_id": pl.Int64,
                "kind": pl.String,
                "household_id": pl.Int64,
                "village_code": pl.String,
                "details": pl.String,
            },
        )
        bulk.insert(RollFinding, rows)
        counts = rows.group_by("kind").len().sort("kind").rows()
        record_audit(
            actor,
            "crosscheck.roll",
            object_type="RollCheck",
            object_id=check.pk,
            after={"roll": roll.pk, "scope": actor.scope, "month": computed.month, "findings": dict(counts)},
        )
    return check


def refresh_roll(actor: Actor, roll: DeptList) -> RollCheck:
    """Compute and store the comparison of ``roll`` over the actor's region (called by the run)."""
    started = time.perf_counter()
    computed = compute_roll(roll, actor.scope)
    return store_roll(actor, roll, computed, seconds=time.perf_counter() - started)
