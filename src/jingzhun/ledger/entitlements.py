"""One household's entitlements for one month, with explanations, for the household page and the API.

The amounts and the payable flags are the month run's own: ``ledger.inputs.load_inputs`` narrowed to the
household (``household_pks``) and ``ledger.compute.compute_month`` — the same gathering (registry frames
of the month, 在册 enrollments paid that month, the month's CPI rises, approved 临时救助 and 补发, the
大病关怀 already paid) and the same engine as ``run-month``, so the page's payable total is what the run
pays that household that month, by construction; a household closed (销户) since still shows what the
run pays for the months before. The policy engine's single-household reference path (``policy.engine``)
runs on the same inputs only to explain each line. A line is *payable* when the run pays it (the household
holds an enrollment paid that month in one of the line's assistance families, ``assistance.families``); the
page says so next to each line instead of hiding unpaid entitlements. Engine messages ("无参数…") are put
in words (``policy.explain.error_text``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jingzhun.policy import explain_words as explain
from jingzhun.policy.explain import error_text
from jingzhun.registry.models import Household


@dataclass
class ExplainedLine:
    program: str
    program_name: str
    member_id: str | None
    member_name: str  # "全户" for a household line
    amount_fen: int
    payable: bool  # the month run pays it (the household is enrolled in one of the program's families)
    families: list[str]
    inputs: list[explain.Fact]
    steps: list[explain.Fact]
    parameters: list[explain.ParamRow]
    raw: dict[str, Any]  # the ``jingzhun entitle`` JSON of the line
    unpaid_reason: str = ""  # why the run never pays it, whatever the enrollments (PAID_BY_INSURANCE_CLAIM)


@dataclass
class HouseholdEntitlements:
    month: str
    lines: list[ExplainedLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def payable_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines if line.payable)


log = logging.getLogger(__name__)


def household_entitlements(household: Household, month: str) -> HouseholdEntitlements:
    """Compute ``month`` (YYYY-MM) for one household as ``run-month`` does (module docstring), with each
    line explained; ``ValueError`` (Chinese) on a bad month."""
    from jingzhun.ledger.compute import (
        FILIAL,
        TEMPORARY,
        compute_month,
        filial_support,
        late_filial_result,
        late_result,
    )
    from jingzhun.ledger.inputs import load_inputs
    from jingzhun.policy.document import DocumentError, parse_month_or_none
    from jingzhun.policy.engine import compute_document
    from jingzhun.policy.explain import line_json
    from jingzhun.policy.frames import frames_to_document
    from jingzhun.registry.models import Person

    first = parse_month_or_none(month)
    if first is None:
        raise ValueError(f"月份应为 YYYY-MM（例如 2020-06），得到「{month}」。")
    result = HouseholdEntitlements(month)
    inputs = load_inputs(first, household.village.code, household_pks=[household.pk])
    if not inputs.households.height:
        if not household.active:
            result.errors = [f"该户已销户，{month} 无在册成员，不计算待遇。"]
        return result
    computed = compute_month(inputs)
    number = household.household_no
    mine = pl.col("household_id") == number
    run: dict[tuple[str, str | None], tuple[int, bool]] = {}
    for frame, payable in ((computed.lines, True), (computed.unpaid, False)):
        for program, member, fen in frame.filter(mine).select("program", "member_id", "amount_fen").iter_rows():
            run[(program, member)] = (int(fen), payable)
    late_fen = {
        app: int(fen) for app, fen in computed.late.filter(mine).select("application_id", "amount_fen").iter_rows()
    }
    result.errors = [error_text(m) for m in computed.errors.filter(mine)["message"].to_list()]

    # The explanations: the reference engine on the same frames, CPI, history and events as the run.
    document = frames_to_document(inputs.households, inputs.persons)
    document.update(cpi=inputs.cpi, history=inputs.history, events=inputs.events)
    if inputs.support_payments:
        document["support_payments"] = filial_support(inputs.support_payments, inputs.persons)
    member_pks = [int(pk) for pk in inputs.persons["id"].to_list()]
    names = {str(pk): name for pk, name in Person.objects.filter(pk__in=member_pks).values_list("pk", "name")}
    explained: dict[tuple[str, str | None], dict[str, Any]] = {}
    try:
        for outcome in compute_document(document, month, params=inputs.params).households:
            explained.update({(line.program, line.member): line_json(line) for line in outcome.lines})
    except DocumentError as exc:
        result.errors.extend(e for e in map(error_text, exc.errors) if e not in result.errors)

    def add(key: tuple[str, str | None], fen: int, raw: dict[str, Any] | None, suffix: str = "") -> None:
        if raw is None:  # the run pays a line the reference path does not explain: show it, say so
            raw = {"program": key[0], "member": key[1], "explain": {"inputs": {}, "steps": {}, "parameters": []}}
            result.errors.append(f"「{_program_name(key[0])}」缺少计算说明（金额按月度发放计算）。")
        line = _explained(raw, fen, names, run.get(key, (0, False))[1])
        line.program_name += suffix
        result.lines.append(line)

    late_total = sum(late_fen.values())
    filial_late = {year: fen for household_id, year, fen in computed.late_filial if household_id == number and fen}

    def run_fen(key: tuple[str, str | None]) -> int:  # the run's 临时救助 line also carries the 补发
        fen = run.get(key, (0, False))[0]
        if key == (FILIAL, None):  # likewise the 孝亲敬老 补发
            return fen - sum(filial_late.values())
        return fen - late_total if key == (TEMPORARY, None) else fen

    for key, raw in explained.items():
        if key in run:
            add(key, run_fen(key), raw)
        else:  # an engine disagreement: the page shows what the run pays, and the log says what differs
            log.warning("household %s %s: the reference engine has %s, the month run has none", number, month, key)
    for event in inputs.late_events:  # 补发, each explained in its own month as the run computes it
        if event["application_id"] not in late_fen:
            continue  # the run could not compute it: its error is among the run's errors
        outcome = late_result(event, inputs.params)
        late = next((line_json(x) for x in outcome.lines if x.program == TEMPORARY), None) if outcome else None
        add((TEMPORARY, None), late_fen[event["application_id"]], late, f"（补发 {event['month']} 事件）")
    for entry in inputs.late_filial:  # 孝亲敬老 补发, explained in its Double Ninth month as the run computes it
        if entry["household"] != number or entry["year"] not in filial_late:
            continue
        outcome = late_filial_result(entry, inputs.params)
        raw = next((line_json(x) for x in outcome.lines if x.program == FILIAL), None)
        add((FILIAL, None), filial_late[entry["year"]], raw, f"（补发 {entry['year']} 年重阳节奖励）")
    for key in run:
        if key not in explained and run_fen(key):
            log.warning("household %s %s: the month run pays %s, the reference engine has no line", number, month, key)
            add(key, run_fen(key), None)
    return result


def _program_name(program: str) -> str:
    from jingzhun.policy.programs import NAMES_ZH

    return NAMES_ZH.get(program, program)


def _explained(raw: dict[str, Any], amount_fen: int, names: dict[str, str], payable: bool) -> ExplainedLine:
    from jingzhun.policy.vocabulary import FAMILIES, PAID_BY_INSURANCE_CLAIM, PROGRAM_FAMILIES

    program = str(raw["program"])
    families = PROGRAM_FAMILIES.get(program, ())
    member = raw["member"]
    return ExplainedLine(
        program=program,
        program_name=_program_name(program),
        member_id=member,
        member_name=names.get(member, member) if member else "全户",
        amount_fen=amount_fen,
        payable=payable,
        families=[FAMILIES.get(f, f) for f in families],
        inputs=explain.facts(raw["explain"]["inputs"], names),
        steps=explain.facts(raw["explain"]["steps"], names),
        parameters=explain.parameter_rows(raw["explain"]["parameters"]),
        raw=raw,
        unpaid_reason=PAID_BY_INSURANCE_CLAIM.get(program, ""),
    )


def current_month() -> str:
    from jingzhun.core import workday

    today: dt.date = workday.today()
    return f"{today:%Y-%m}"


def default_month(village_code: str) -> str:
    """The month a household page opens on: this month, unless the last month run covering the village is
    older than last month — a county working on past data (the 2020 demo, an archive) then sees the month
    it last paid, not an empty month nobody has computed. ``?month=`` chooses any other."""
    from jingzhun.ledger.queries import last_run_month, previous_month

    now = current_month()
    latest = last_run_month(village_code)
    if latest is None or latest >= previous_month(dt.date.fromisoformat(f"{now}-01")):
        return now
    return f"{latest:%Y-%m}"
