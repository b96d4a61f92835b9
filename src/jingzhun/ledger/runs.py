"""``run_month``: the month's entitlements into the ledger — idempotent, atomic, one run per month at a time.

What the ledger should hold for a key (household, person, program) of the month is the computed
payable amount; what it holds is the key's net. The run writes only the difference:

* first time for a key → one ``payment`` line of the amount;
* a key already paid whose amount changed (a reform, a new income, a death, an ended enrollment) →
  one ``adjustment`` line of *new − old* (negative when less is due). We chose a single difference line
  over "reverse the old line, pay a new one": the sum of a run's lines is then exactly the change of the
  month's total, a bank file pays only what is still owed, and reversal stays a staff decision with a
  reason (``reverse_payment``);
* a key a member of staff reversed (冲正) is left alone by later runs: a human said this payment was
  wrong, and a run must not pay it again on its own. The run counts such keys under ``pinned``;
* nothing different → nothing written to the ledger; the run is recorded as ``noop`` ("本月已发放，无变化").

临时救助 approved after its own month ran (补发, see ``inputs.py``) is added to the household's 临时救助 line
of this month; the line's reason names the event's month. The run records which applications it
accounts for (:class:`~jingzhun.ledger.models.TemporaryAccount`), so no other month pays them again.

Everything — the run row, the snapshot, the lines and the audit row — is one transaction: a crash or a
kill at any point leaves no trace, and the next run starts from the same ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from jingzhun.assistance.queries import first_of_month
from jingzhun.assistance.run_months import check_run_month
from jingzhun.core.actions import Actor, check_region
from jingzhun.ledger.actions import record_month_run, require_county
from jingzhun.ledger.compute import FILIAL, TEMPORARY, Computed, compute_month
from jingzhun.ledger.inputs import keys_for, load_inputs
from jingzhun.ledger.locks import month_file_lock, take_month_lock
from jingzhun.ledger.models import LineKind, RunKind
from jingzhun.ledger.queries import month_nets
from jingzhun.ledger.snapshot import RunInputs, pack
from jingzhun.policy.money import fen_to_grouped
from jingzhun.policy.params import ParameterTree

Progress = Callable[[str, int, int], None]


@dataclass
class Plan:
    """What a run found and what it will write."""

    first: dt.date
    region_prefix: str
    inputs: RunInputs
    sha256: str
    snapshot: bytes
    computed: Computed
    writes: pl.DataFrame  # household_pk, person_pk, program, amount_fen, kind, reason, explain_key, persons
    after: pl.DataFrame  # household_pk, person_pk, program, net (after the run)
    kind: str
    changes: dict[str, Any]
    started_at: dt.datetime


@dataclass
class RunResult:
    month: str
    region_prefix: str
    kind: str
    run_id: int | None
    lines_added: int
    amount_added_fen: int
    households: int
    total_fen: int
    by_program: dict[str, int] = field(default_factory=dict)
    persons_by_program: dict[str, int] = field(default_factory=dict)  # 保障人数 of the lines with a net
    changes: dict[str, Any] = field(default_factory=dict)
    inputs_sha256: str = ""
    dry_run: bool = False

    @property
    def message(self) -> str:
        if self.kind == RunKind.NOOP:
            return "本月已发放，无变化"
        verb = "将" if self.dry_run else "已"
        added = fen_to_grouped(self.amount_added_fen)
        if self.kind == RunKind.REGULAR:
            return f"{self.month} 首次发放：{verb}写入 {self.lines_added} 行，金额 {added} 元"
        return f"{self.month} 调整：{verb}追加 {self.lines_added} 行调整，净增减 {added} 元"


def run_month(
    month: str | dt.date,
    *,
    region_prefix: str = "",
    actor: Actor,
    dry_run: bool = False,
    progress: Progress | None = None,
    params: ParameterTree | None = None,
    cpi: dict[str, Any] | None = None,
) -> RunResult:
    """Compute ``month`` for the households under ``region_prefix`` and append what changed.

    ``params`` replaces the parameter files (a reform); ``cpi`` replaces the month's CPI rises for the
    price subsidy (by default those the county entered with ``ledger cpi set``; none entered: no subsidy).
    Raises :class:`~jingzhun.ledger.locks.RunInProgress` when the month is running
    elsewhere, ``PermissionDenied`` outside the actor's region, ``ValidationError`` for a month before
    2014-01 (建档立卡 began) or after next month (:func:`check_run_month`; a dry run is refused alike, so
    a preview never offers a month the run would refuse).
    """
    first = first_of_month(month)
    check_run_month(first)
    check_region(actor, region_prefix, write=not dry_run)
    if not dry_run:
        require_county(actor, "月度发放")
    report = progress or (lambda stage, done, total: None)
    if dry_run:
        plan = plan_month(first, region_prefix, params=params, cpi=cpi, progress=report)
        return result_of(plan, run_id=None, dry_run=True)
    with month_file_lock(first), transaction.atomic():
        take_month_lock(first)
        plan = plan_month(first, region_prefix, params=params, cpi=cpi, progress=report)
        summary = result_of(plan, run_id=None, dry_run=False)
        run = record_month_run(actor, plan, summary, on_chunk=_chunk_reporter(report, plan.writes.height))
    return replace(summary, run_id=run.pk)


def plan_month(
    first: dt.date,
    region_prefix: str,
    *,
    params: ParameterTree | None,
    cpi: dict[str, Any] | None,
    progress: Progress,
) -> Plan:
    started = timezone.now()
    progress("读取户籍、在册对象与临时救助", 0, 1)
    inputs = load_inputs(first, region_prefix, params=params, cpi=cpi)
    sha256, data = pack(inputs)
    progress("计算待遇", 0, 1)
    computed = compute_month(inputs)
    progress("比对台账", 0, 1)
    target = keys_for(inputs).attach(computed.lines)
    nets = month_nets(first, region_prefix)
    merged = _merge(target, nets)
    writes = merged.filter(pl.col("write"))
    notes = late_notes(inputs, computed)
    after = merged.select(
        "household_pk",
        "person_pk",
        "program",
        net=pl.when(pl.col("write")).then(pl.col("new")).otherwise(pl.col("old")),
        persons=pl.col("persons"),
    )
    kind = RunKind.REGULAR if nets.is_empty() else RunKind.ADJUSTMENT if writes.height else RunKind.NOOP
    return Plan(
        first=first,
        region_prefix=region_prefix,
        inputs=inputs,
        sha256=sha256,
        snapshot=data,
        computed=computed,
        writes=_line_rows(writes, notes, late_filial_notes(inputs, computed)),
        after=after,
        kind=kind,
        changes=_changes(merged, computed, inputs),
        started_at=started,
    )


def _merge(target: pl.DataFrame, nets: pl.DataFrame) -> pl.DataFrame:
    keys = ["household_pk", "person_pk", "program"]
    merged = target.select(
        *keys, new="amount_fen", persons="persons", household_id="household_id", member_id="member_id"
    ).join(nets.select(*keys, old="net", had_lines="lines", reversals="reversals"), on=keys, how="full", coalesce=True)
    merged = merged.with_columns(
        pl.col("new", "old", "had_lines", "reversals", "persons").fill_null(0),
    ).with_columns(diff=pl.col("new") - pl.col("old"), pinned=pl.col("reversals") > 0)
    return merged.with_columns(write=(pl.col("diff") != 0) & ~pl.col("pinned")).sort(keys)


def _reason(had_lines: int, old: int, new: int) -> str:
    """Why an adjustment was written (a first payment needs none: its explanation is the calculation)."""
    if not had_lines:
        return ""
    if new == 0:
        return f"停发：重算后本月不再符合发放条件（原净额 {fen_to_grouped(old)} 元）"
    return f"重算调整：本月原净额 {fen_to_grouped(old)} 元，现应发 {fen_to_grouped(new)} 元"


def late_notes(inputs: RunInputs, computed: Computed) -> dict[str, str]:
    """{household_id: what its 临时救助 line of this month carries for earlier months (补发)}."""
    events = {e["application_id"]: e for e in inputs.late_events}
    notes: dict[str, list[str]] = {}
    for household_id, application_id, month, fen in computed.late.iter_rows():
        event = events[application_id]
        notes.setdefault(household_id, []).append(
            f"补发 {month} 临时救助 {fen_to_grouped(fen)} 元（申请 #{application_id}，事件日期 {event['date']}，"
            f"该月发放后才批准，计入本月）"
        )
    return {household_id: "；".join(items) for household_id, items in notes.items()}


def late_filial_notes(inputs: RunInputs, computed: Computed) -> dict[str, str]:
    """{household_id: what its 孝亲敬老奖励 line of this month is (补发 of a year's Double Ninth reward)}."""
    from jingzhun.assistance.filial import double_ninth

    return {
        household_id: f"补发 {year} 年重阳节孝亲敬老奖励 {fen_to_grouped(fen)} 元"
        f"（重阳节 {double_ninth(year):%Y-%m-%d}，该月发放后才批准，计入本月）"
        for household_id, year, fen in computed.late_filial
        if fen
    }


def _line_rows(
    writes: pl.DataFrame, notes: dict[str, str] | None = None, filial_notes: dict[str, str] | None = None
) -> pl.DataFrame:
    notes, filial_notes = notes or {}, filial_notes or {}
    program_notes = {TEMPORARY: notes, FILIAL: filial_notes}
    reasons = [
        "；".join(filter(None, [_reason(had, old, new), program_notes.get(program, {}).get(household_id, "")]))
        for had, old, new, household_id, program in writes.select(
            "had_lines", "old", "new", "household_id", "program"
        ).iter_rows()
    ]
    explain_key = (
        pl.when(pl.col("new") != 0)
        .then(pl.concat_str(pl.col("household_id"), pl.lit("/"), pl.col("member_id").fill_null("")))
        .otherwise(pl.lit(""))
    )
    first_payment = pl.col("had_lines") == 0
    return writes.select(
        "household_pk",
        "person_pk",
        "program",
        amount_fen="diff",
        kind=pl.when(first_payment).then(pl.lit(LineKind.PAYMENT.value)).otherwise(pl.lit(LineKind.ADJUSTMENT.value)),
        reason=pl.Series(reasons, dtype=pl.String),
        explain_key=explain_key,
        persons=pl.col("persons").clip(0, 32767),
    )


def _changes(merged: pl.DataFrame, computed: Computed, inputs: RunInputs) -> dict[str, Any]:
    from jingzhun.policy.explain import error_causes

    w = merged.filter(pl.col("write"))
    by_program = w.group_by("program").agg(pl.col("diff").sum()).sort("program")
    return {
        "new": w.filter(pl.col("had_lines") == 0).height,
        "increased": w.filter((pl.col("had_lines") > 0) & (pl.col("diff") > 0)).height,
        "decreased": w.filter((pl.col("had_lines") > 0) & (pl.col("diff") < 0) & (pl.col("new") > 0)).height,
        "stopped": w.filter((pl.col("had_lines") > 0) & (pl.col("new") == 0)).height,
        "pinned": merged.filter(pl.col("pinned") & (pl.col("diff") != 0)).height,
        "not_enrolled_lines": computed.unpaid.height,
        "error_households": computed.errors["household_id"].n_unique() if computed.errors.height else 0,
        "errors": computed.errors.head(20).rows(),
        # every uncomputable household counted by cause: (cause in words, households, of them 在册)
        "error_causes": error_causes(computed.errors.rows(), set(inputs.enrollments["household_no"].to_list())),
        "added_by_program": dict(by_program.iter_rows()),
    }


def result_of(plan: Plan, *, run_id: int | None, dry_run: bool) -> RunResult:
    after = plan.after
    by_program = after.group_by("program").agg(pl.col("net").sum()).filter(pl.col("net") != 0)
    households = after.group_by("household_pk").agg(pl.col("net").sum()).filter(pl.col("net") != 0).height
    persons = after.filter(pl.col("net") != 0).group_by("program").agg(pl.col("persons").sum())
    return RunResult(
        month=f"{plan.first:%Y-%m}",
        region_prefix=plan.region_prefix,
        kind=str(plan.kind),
        run_id=run_id,
        lines_added=plan.writes.height,
        amount_added_fen=int(plan.writes["amount_fen"].sum()),
        households=households,
        total_fen=int(after["net"].sum()),
        by_program=dict(sorted(by_program.iter_rows())),
        persons_by_program={program: int(n) for program, n in persons.iter_rows()},
        changes=plan.changes,
        inputs_sha256=plan.sha256,
        dry_run=dry_run,
    )


def _chunk_reporter(progress: Progress, total: int) -> Callable[[int], None]:
    def on_chunk(done: int) -> None:
        progress("写入台账", done, total)

    return on_chunk
