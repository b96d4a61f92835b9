"""Gather a month run's inputs from the other apps, and map the frames' ids back to database rows.

* registry: ``documents.household_frames(month, region_prefix)`` — the batch frames;
* assistance: ``queries.active_enrollments`` and ``queries.payable_events`` (临时救助 of the month, less
  those already accounted to another month), and ``queries.temporary_before`` for 补发: an approved
  临时救助 of an earlier month whose month had already run (a run of that month covers its household)
  and that no month accounts for yet is paid by this run — once: the run records it
  (:class:`~jingzhun.ledger.models.TemporaryAccount`), and a re-run of this month keeps it;
* ledger: the 大病关怀 history (persons already paid it in an earlier month, anywhere), and the month's
  CPI rises as the county entered them (``ledger cpi set``; a ``cpi`` argument replaces them);
* 孝亲敬老: ``assistance.filial.support_documents`` — the 子女赡养费 of the year, in its Double Ninth month;
  and ``late_filial`` for 补发: see :func:`late_filial`.

Frames name households by ``household_no`` and persons by the string of their primary key (the
registry's contract); :class:`Keys` turns those ids into the foreign keys of the payment lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from jingzhun.ledger.models import MonthRun, PaymentLine, TemporaryAccount
from jingzhun.ledger.queries import cpi_of_month, lifetime_paid_persons
from jingzhun.ledger.snapshot import ENROLLMENT_SCHEMA, RunInputs
from jingzhun.policy.params import ParameterTree, load_parameters

ONCE_PER_LIFETIME = ("major_illness_care",)


def load_inputs(
    first: dt.date,
    region_prefix: str,
    *,
    params: ParameterTree | None = None,
    cpi: dict[str, Any] | None = None,
    household_pks: Iterable[int] | None = None,
) -> RunInputs:
    """The run's inputs for the month under ``region_prefix``.

    ``household_pks`` narrows every read to those households (and the 大病关怀 history to their members of
    the month): the household page computes one household with exactly the run's gathering and engine, so
    it shows what the run pays — each query bounded by the households, none county-wide. ``None`` (the
    month run) reads the whole scope.
    """
    from jingzhun.assistance.filial import support_documents
    from jingzhun.assistance.queries import active_enrollments, payable_events, temporary_before
    from jingzhun.registry.documents import household_frames

    pks = None if household_pks is None else sorted(set(household_pks))
    month = f"{first:%Y-%m}"
    households, persons = household_frames(month, region_prefix=region_prefix, household_ids=pks)
    enrollments = active_enrollments(month, region_prefix, closed_too=True, household_pks=pks).select(
        pl.col(name).cast(dtype) for name, dtype in ENROLLMENT_SCHEMA.items()
    )
    accounted = TemporaryAccount.objects.exclude(month=first)
    if pks is not None:
        accounted = accounted.filter(application__household_id__in=pks)
    payable = payable_events(month, region_prefix, household_pks=pks)
    elsewhere = set(
        TemporaryAccount.objects.filter(application_id__in=[e["application_id"] for e in payable])
        .exclude(month=first)
        .values_list("application_id", flat=True)
    )
    on_time = [e for e in payable if e["application_id"] not in elsewhere]
    events = [
        {"household": e["household_no"], "kind": e["kind"], "amount_due": e["amount_due"], "date": e["date"]}
        for e in on_time
    ]
    candidates = temporary_before(first, region_prefix, exclude=accounted.values("application_id"), household_pks=pks)
    late = late_events(first, candidates)
    members = None if pks is None else [int(pk) for pk in persons["id"].to_list()]
    history: dict[str, list[str]] = {}
    for program in ONCE_PER_LIFETIME:
        for person_pk in lifetime_paid_persons(program, first, members):
            history.setdefault(str(person_pk), []).append(program)
    return RunInputs(
        month=first,
        region_prefix=region_prefix,
        households=households,
        persons=persons,
        enrollments=enrollments,
        params=params if params is not None else load_parameters(),
        events=events,
        cpi=cpi_of_month(first) if cpi is None else cpi,
        history=history,
        applications=[e["application_id"] for e in on_time],
        late_events=late,
        support_payments=on_time_support(first, support_documents(first, region_prefix, household_pks=pks)),
        late_filial=late_filial(first, region_prefix, household_pks=pks),
    )


def _filial_year_before(first: dt.date) -> int | None:
    """The year of the latest Double Ninth month strictly before ``first`` (None before the calendar)."""
    from jingzhun.assistance.filial import in_calendar, payment_month

    year = first.year if in_calendar(first.year) and payment_month(first.year) < first else first.year - 1
    return year if in_calendar(year) else None


def _filial_paid(household_pks: Iterable[int], year: int, *, exclude_month: dt.date) -> set[int]:
    """The households of ``household_pks`` holding a 孝亲敬老奖励 line of ``year`` — a month from that
    year's Double Ninth month up to (not including) the next one's — other than in ``exclude_month``."""
    from jingzhun.assistance.filial import PROGRAM, in_calendar, payment_month

    end = payment_month(year + 1) if in_calendar(year + 1) else dt.date(year + 1, 10, 1)
    return set(
        PaymentLine.objects.filter(
            program=PROGRAM, household_id__in=list(household_pks), month__gte=payment_month(year), month__lt=end
        )
        .exclude(month=exclude_month)
        .values_list("household_id", flat=True)
    )


def on_time_support(first: dt.date, support: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Double Ninth month's support records less those of households already paid the year's reward
    by a later month (补发, :func:`late_filial`): a re-run of October after a November 补发 pays nothing more."""
    from jingzhun.registry.models import Household

    if not support:
        return support
    pks = dict(
        Household.objects.filter(household_no__in={s["household"] for s in support}).values_list("household_no", "pk")
    )
    paid = _filial_paid(pks.values(), first.year, exclude_month=first)
    return [s for s in support if pks.get(s["household"]) not in paid]


def late_filial(
    first: dt.date, region_prefix: str, *, household_pks: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """孝亲敬老奖励 补发: the reward of the latest Double Ninth before this month, for the households whose
    approval came after that month's run.

    A household qualifies when its ``filial_reward`` enrollment covers that Double Ninth month, a run of the
    month covered its household (so the approval landed after it: a run after the approval would have paid
    it), and no month from that Double Ninth month on holds a 孝亲敬老奖励 line for it but this one — so the
    first run on or after the approval pays it once, a re-run of this month keeps it, and a later month (or a
    re-run of October, :func:`on_time_support`) adds nothing. The amount is what the October run would have
    computed: the household's document of that month and its support records of the year
    (``assistance.filial.support_documents``). Each entry: ``{household, year, month, document,
    support_payments}``.
    """
    from jingzhun.assistance.filial import FAMILY, payment_month, support_documents
    from jingzhun.assistance.filial_models import SupportPayment
    from jingzhun.assistance.models import Enrollment
    from jingzhun.assistance.queries import paid_in
    from jingzhun.registry.documents import household_document

    year = _filial_year_before(first)
    if year is None:
        return []
    due = payment_month(year)
    enrollments = Enrollment.objects.filter(
        paid_in(due), family=FAMILY, household__village__code__startswith=region_prefix
    )
    if household_pks is not None:
        enrollments = enrollments.filter(household_id__in=list(household_pks))
    candidates = dict(enrollments.values_list("household_id", "household__village__code"))
    if not candidates:
        return []
    prefixes = set(MonthRun.objects.filter(month=due).values_list("region_prefix", flat=True))
    ran = [pk for pk, code in candidates.items() if any(code.startswith(p) for p in prefixes)]
    paid = _filial_paid(ran, year, exclude_month=first)
    supported = set(  # one query: only households with records of the year need their October document
        SupportPayment.objects.filter(
            assessment_year=year, voided_at__isnull=True, household_id__in=sorted(set(ran) - paid)
        ).values_list("household_id", flat=True)
    )
    out = []
    for pk in sorted(supported):
        documents = household_document(f"{due:%Y-%m}", household_ids=[pk])["households"]
        if not documents:
            continue
        members = {m["id"] for m in documents[0]["members"]}
        support = [s for s in support_documents(due, household_pks=[pk]) if s["parent"] in members]
        if support:
            out.append(
                {
                    "household": documents[0]["id"],
                    "year": year,
                    "month": f"{due:%Y-%m}",
                    "document": documents[0],
                    "support_payments": support,
                }
            )
    return out


def late_events(first: dt.date, candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The 补发 of this run: candidates already accounted to this month, and those not accounted anywhere
    whose event month has run for their household — with the household document of that month."""
    from jingzhun.registry.documents import household_document

    if not candidates:
        return []
    ids = [c["application_id"] for c in candidates]
    mine = set(
        TemporaryAccount.objects.filter(application_id__in=ids, month=first).values_list("application_id", flat=True)
    )
    months = {dt.date.fromisoformat(c["month"] + "-01") for c in candidates}
    runs: dict[dt.date, set[str]] = {}
    for month, prefix in MonthRun.objects.filter(month__in=months).values_list("month", "region_prefix"):
        runs.setdefault(month, set()).add(prefix)
    chosen = [
        c
        for c in candidates
        if c["application_id"] in mine
        or any(c["village_code"].startswith(p) for p in runs.get(dt.date.fromisoformat(c["month"] + "-01"), ()))
    ]
    documents: dict[tuple[str, str], dict[str, Any]] = {}
    for month in sorted({c["month"] for c in chosen}):
        pks = sorted({c["household_pk"] for c in chosen if c["month"] == month})
        for household in household_document(month, household_ids=pks)["households"]:
            documents[(month, household["id"])] = household
    return [
        {
            "application_id": c["application_id"],
            "household": c["household_no"],
            "month": c["month"],
            "kind": c["kind"],
            "amount_due": c["amount_due"],
            "date": c["date"],
            "document": documents.get((c["month"], c["household_no"])),
        }
        for c in chosen
    ]


@dataclass
class Keys:
    """Frame ids → database keys for one run's scope."""

    households: pl.DataFrame  # household_id (str) → household_pk
    persons: pl.DataFrame  # member_id (str) → person_pk

    def attach(self, lines: pl.DataFrame) -> pl.DataFrame:
        """Add ``household_pk`` and ``person_pk`` (0 for a household line) to computed lines."""
        out = lines.join(self.households, on="household_id", how="left").join(self.persons, on="member_id", how="left")
        missing = out.filter(
            pl.col("household_pk").is_null() | (pl.col("member_id").is_not_null() & pl.col("person_pk").is_null())
        )
        if missing.height:
            sample = ", ".join(f"{r['household_id']}/{r['member_id']}" for r in missing.head(5).iter_rows(named=True))
            raise LookupError(f"计算结果中的户或成员在户籍库中找不到：{sample}")
        return out.with_columns(pl.col("person_pk").fill_null(0))


def keys_for(inputs: RunInputs) -> Keys:
    from jingzhun.registry.models import Household

    households = Household.objects.all()
    if inputs.region_prefix:
        households = households.filter(village__code__startswith=inputs.region_prefix)
    frame = pl.DataFrame(
        list(households.values_list("household_no", "pk")),
        schema={"household_id": pl.String, "household_pk": pl.Int64},
        orient="row",
    )
    persons = inputs.persons.select(member_id=pl.col("id"), person_pk=pl.col("id").cast(pl.Int64, strict=False))
    return Keys(frame, persons)
