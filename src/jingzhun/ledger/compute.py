"""From frozen inputs to the month's payable lines: the policy engine, then the enrollment filter.

* The batch engine (``policy.engine_batch``) computes every program it covers for the whole scope.
* 临时救助 is event-based and single-path only: the households with an approved event this month go
  through the reference engine with their events, and only its ``temporary_assistance`` lines are kept.
* A line is payable only when its household holds an active enrollment in one of the program's
  families (``policy.vocabulary.PROGRAM_FAMILIES``); everything else is computed but not paid. 脱贫返贫保险
  is never paid here: its 一保通 claim pays it (``PAID_BY_INSURANCE_CLAIM``), so a household is not paid twice.
  临时救助 is approved per application and has no enrollment: an event in ``payable_events`` is an
  approved application, so its household counts as enrolled in ``temporary`` for that month.
* 孝亲敬老奖励 is single-path only too: in a Double Ninth month the households with 子女赡养费 records
  (``inputs.support_payments``) go through the reference engine, and only its ``filial_reward`` lines are
  kept; a line is payable when the household is enrolled in ``filial_reward`` (approved per application).
* 补发 (late 临时救助, ``inputs.late_events``): each is computed through the reference engine *for its
  own event month*, from the household document of that month frozen in the snapshot, alone (its cap
  applies per event, rounded on its own), and added to the household's 临时救助 line of the run month.
* 孝亲敬老 补发 (``inputs.late_filial``): a reward approved after its October run is computed for the
  Double Ninth month from that month's household document and the year's support records — what the October
  run would have paid — and paid as the household's 孝亲敬老奖励 line of the run month (its approval counts as
  the enrollment for this month, like an approved 临时救助 event).

``persons`` is how many people a line covers (the 户/人 figures of the month report): one for a person
line; for 低保补差 the members who are not 特困 persons (the engine's *n*), and the whole household for
the other household lines (临时救助, 一保通).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jingzhun.ledger.snapshot import RunInputs
from jingzhun.policy.engine_batch import LINE_SCHEMA, compute_batch_with_errors
from jingzhun.policy.frames import frames_to_document
from jingzhun.policy.vocabulary import PAID_BY_INSURANCE_CLAIM, PROGRAM_FAMILIES

TARGET_SCHEMA = {**LINE_SCHEMA, "persons": pl.Int64}
FAMILY_FRAME = pl.DataFrame(
    [(program, family) for program, families in PROGRAM_FAMILIES.items() for family in families],
    schema={"program": pl.String, "family": pl.String},
    orient="row",
)


LATE_SCHEMA = {"household_id": pl.String, "application_id": pl.Int64, "month": pl.String, "amount_fen": pl.Int64}
TEMPORARY = "temporary_assistance"
FILIAL = "filial_reward"


@dataclass
class Computed:
    lines: pl.DataFrame  # payable: household_id, program, member_id, amount_fen, persons
    unpaid: pl.DataFrame  # computed but without an enrollment: same columns
    errors: pl.DataFrame  # household_id, message (e.g. 无参数)
    late: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=LATE_SCHEMA))  # 补发 in the lines
    late_filial: list[tuple[str, int, int]] = field(default_factory=list)  # (household, year, fen): 孝亲敬老 补发


def compute_month(inputs: RunInputs) -> Computed:
    result = compute_batch_with_errors(
        inputs.households,
        inputs.persons,
        inputs.month_key,
        params=inputs.params,
        cpi=inputs.cpi or None,
        history=inputs.history or None,
    )
    late, late_errors = late_amounts(inputs)
    temporary = pl.concat(
        [
            _event_lines(inputs),
            late.select(
                "household_id", program=pl.lit(TEMPORARY), member_id=pl.lit(None, pl.String), amount_fen="amount_fen"
            ),
        ],
        how="vertical",
    )
    temporary = (
        temporary.group_by("household_id", "program", "member_id", maintain_order=True)
        .agg(pl.col("amount_fen").sum())
        .filter(pl.col("amount_fen") != 0)
        .select(LINE_SCHEMA.keys())
    )
    late_filial = late_filial_amounts(inputs)
    late_filial_lines = pl.DataFrame(
        [(household, FILIAL, None, fen) for household, _, fen in late_filial if fen], schema=LINE_SCHEMA, orient="row"
    )
    lines = pl.concat([result.lines, temporary, _filial_lines(inputs), late_filial_lines], how="vertical")
    lines = _with_persons(lines, inputs.persons)
    payable = _payable(lines, _with_approved_events(inputs))
    return Computed(
        lines=payable.filter(pl.col("payable")).drop("payable"),
        unpaid=payable.filter(~pl.col("payable")).drop("payable"),
        errors=pl.concat([result.errors, late_errors.select(result.errors.columns)])
        if late_errors.height
        else result.errors,
        late=late,
        late_filial=late_filial,
    )


def late_filial_result(entry: dict[str, Any], params: Any) -> Any:
    """The reference engine's result for one 孝亲敬老 补发, in its Double Ninth month."""
    from jingzhun.policy.engine import compute_document

    document = {"households": [entry["document"]], "support_payments": entry["support_payments"]}
    return compute_document(document, entry["month"], params=params).households[0]


def late_filial_amounts(inputs: RunInputs) -> list[tuple[str, int, int]]:
    """(household_id, year, fen) of each 孝亲敬老 补发 of this run."""
    return [
        (
            entry["household"],
            entry["year"],
            sum(line.amount_fen for line in late_filial_result(entry, inputs.params).lines if line.program == FILIAL),
        )
        for entry in inputs.late_filial
    ]


def late_result(event: dict[str, Any], params: Any) -> Any:
    """The reference engine's result for one 补发 event in its own month (None without a document)."""
    from jingzhun.policy.engine import compute_document

    if event.get("document") is None:
        return None
    document = {
        "households": [event["document"]],
        "events": [{k: event[k] for k in ("kind", "amount_due", "date")} | {"household": event["household"]}],
    }
    return compute_document(document, event["month"], params=params).households[0]


def late_amounts(inputs: RunInputs) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(household_id, application_id, month, amount_fen) of each 补发, and (household_id, message) errors."""
    rows, errors = [], []
    for event in inputs.late_events:
        result = late_result(event, inputs.params)
        if result is None:
            errors.append((event["household"], f"补发 {event['month']} 临时救助：该户在当月无在册成员，无法计算"))
            continue
        if result.errors:
            errors.extend((event["household"], f"补发 {event['month']} 临时救助：{e}") for e in result.errors)
            continue
        fen = sum(line.amount_fen for line in result.lines if line.program == TEMPORARY)
        rows.append((event["household"], event["application_id"], event["month"], fen))
    return (
        pl.DataFrame(rows, schema=LATE_SCHEMA, orient="row"),
        pl.DataFrame(errors, schema={"household_id": pl.String, "message": pl.String}, orient="row"),
    )


def _event_lines(inputs: RunInputs) -> pl.DataFrame:
    """临时救助 through the reference engine, for the households with an event this month only."""
    empty = pl.DataFrame(schema=LINE_SCHEMA)
    if not inputs.events:
        return empty
    from jingzhun.policy.engine import compute_document

    ids = sorted({e["household"] for e in inputs.events})
    households = inputs.households.filter(pl.col("id").is_in(ids))
    persons = inputs.persons.filter(pl.col("household_id").is_in(ids))
    document = frames_to_document(households, persons)
    document["events"] = [e for e in inputs.events if e["household"] in set(households["id"].to_list())]
    if not document["households"]:
        return empty
    rows = [
        (h.id, line.program, line.member, line.amount_fen)
        for h in compute_document(document, inputs.month_key, params=inputs.params).households
        for line in h.lines
        if line.program == "temporary_assistance"
    ]
    return pl.DataFrame(rows, schema=LINE_SCHEMA, orient="row")


def filial_support(support: list[dict[str, Any]], persons: pl.DataFrame) -> list[dict[str, Any]]:
    """The support records whose parent is a member of the month (one who left the register before the
    Double Ninth month is not in the document, and the rule counts no support to them)."""
    members = set(persons["id"].to_list())
    return [s for s in support if s["parent"] in members]


def _filial_lines(inputs: RunInputs) -> pl.DataFrame:
    """孝亲敬老奖励 through the reference engine, for the households with support records this month only."""
    empty = pl.DataFrame(schema=LINE_SCHEMA)
    support = filial_support(inputs.support_payments, inputs.persons)
    if not support:
        return empty
    from jingzhun.policy.engine import compute_document

    ids = sorted({s["household"] for s in support})
    households = inputs.households.filter(pl.col("id").is_in(ids))
    # the parent may live in another household of the document: every member of the scope is a candidate
    parents = {s["parent"] for s in support}
    holders = inputs.persons.filter(pl.col("id").is_in(list(parents)))["household_id"].unique().to_list()
    document = frames_to_document(
        inputs.households.filter(pl.col("id").is_in(sorted({*ids, *holders}))),
        inputs.persons.filter(pl.col("household_id").is_in(sorted({*ids, *holders}))),
    )
    document["support_payments"] = [s for s in support if s["household"] in set(households["id"].to_list())]
    if not document["support_payments"]:
        return empty
    rows = [
        (h.id, line.program, line.member, line.amount_fen)
        for h in compute_document(document, inputs.month_key, params=inputs.params).households
        for line in h.lines
        if line.program == FILIAL
    ]
    return pl.DataFrame(rows, schema=LINE_SCHEMA, orient="row")


def _with_persons(lines: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    size = persons.group_by("household_id").agg(size=pl.len().cast(pl.Int64))
    tekun = (
        lines.filter(pl.col("program") == "tekun_basic")
        .group_by("household_id")
        .agg(tekun=pl.col("member_id").n_unique().cast(pl.Int64))
    )
    out = lines.join(size, on="household_id", how="left").join(tekun, on="household_id", how="left")
    persons_expr = (
        pl.when(pl.col("member_id").is_not_null())
        .then(1)
        .when(pl.col("program") == "dibao")
        .then(pl.col("size").fill_null(0) - pl.col("tekun").fill_null(0))
        .otherwise(pl.col("size").fill_null(1))
    )
    return out.with_columns(persons=persons_expr.cast(pl.Int64)).select(TARGET_SCHEMA.keys())


def _with_approved_events(inputs: RunInputs) -> pl.DataFrame:
    approved = sorted({e["household"] for e in [*inputs.events, *inputs.late_events]})
    filial = sorted({e["household"] for e in inputs.late_filial})  # approved for the year's reward
    events = pl.DataFrame(
        {"household_no": [*approved, *filial], "family": ["temporary"] * len(approved) + [FILIAL] * len(filial)},
        schema={"household_no": pl.String, "family": pl.String},
    )
    return pl.concat([inputs.enrollments.select("household_no", "family"), events])


def _payable(lines: pl.DataFrame, enrollments: pl.DataFrame) -> pl.DataFrame:
    enrolled = (
        enrollments.select(household_id="household_no", family="family")
        .join(FAMILY_FRAME, on="family", how="inner")
        .select("household_id", "program")
        .unique()
        .with_columns(payable=pl.lit(True))
    )
    # 脱贫返贫保险 is paid by its 一保通 claim only (``PAID_BY_INSURANCE_CLAIM``): never by the run, enrolled or not
    return lines.join(enrolled, on=["household_id", "program"], how="left", maintain_order="left").with_columns(
        pl.col("payable").fill_null(False) & ~pl.col("program").is_in(list(PAID_BY_INSURANCE_CLAIM))
    )
