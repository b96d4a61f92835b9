"""One household's entitlements for one month, with explanations, for the household page and the API.

The computation is the policy engine's single-household reference path (``policy.engine``) on the
household document the registry builds (``registry.documents``), completed with what the month run adds
(``ledger.inputs.load_inputs``): the month's CPI rises (价格临时补贴), approved 临时救助 and 补发, and the
once-per-lifetime programmes already paid. So the page's payable total is what ``run-month`` pays for
that month. A line is *payable* only when the household holds an enrolment (在册) paid in that month in
one of the line's assistance families (``assistance.families``); the page says so next to each line
instead of hiding unpaid entitlements. Engine messages ("无参数…") are put in words (``explain.error_text``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jingzhun.dashboard import explain
from jingzhun.registry.models import Household


@dataclass
class ExplainedLine:
    program: str
    program_name: str
    member_id: str | None
    member_name: str  # "全户" for a household line
    amount_fen: int
    payable: bool  # the household is enrolled in one of the programme's families
    families: list[str]
    inputs: list[explain.Fact]
    steps: list[explain.Fact]
    parameters: list[explain.ParamRow]
    raw: dict[str, Any]  # the ``jingzhun entitle`` JSON of the line


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


@dataclass
class RunExtras:
    """What the month run adds to the registry's document for one household (``ledger.inputs.load_inputs``)."""

    cpi: dict[str, Any]  # the month's CPI rises as the county entered them (价格临时补贴)
    history: dict[str, list[str]]  # member id → once-per-lifetime programmes already paid (大病关怀)
    events: list[dict[str, Any]]  # approved 临时救助 of the month that no other month accounts for
    late: list[dict[str, Any]]  # 补发: approved 临时救助 of an earlier month that this month pays
    families: set[str]  # the families the run pays the household in this month (在册, and 临时救助 when due)


def run_extras(household: Household, first: dt.date) -> RunExtras:
    """The month run's inputs for this one household, gathered as ``ledger.inputs.load_inputs`` does for a
    region, so that the page shows what the run pays (CPI, 临时救助 and 补发, 大病关怀 already paid,
    enrolments paid in that month — also an enrolment ended since)."""
    from jingzhun.assistance.models import Enrollment
    from jingzhun.assistance.queries import paid_in, payable_events, temporary_before
    from jingzhun.ledger.inputs import ONCE_PER_LIFETIME, late_events
    from jingzhun.ledger.models import TemporaryAccount
    from jingzhun.ledger.queries import cpi_of_month, lifetime_paid_persons

    month, number, village = f"{first:%Y-%m}", household.household_no, household.village.code
    accounted = TemporaryAccount.objects.exclude(month=first).values("application_id")
    payable = [e for e in payable_events(month, village) if e["household_no"] == number]
    elsewhere = set(
        TemporaryAccount.objects.filter(application_id__in=[e["application_id"] for e in payable])
        .exclude(month=first)
        .values_list("application_id", flat=True)
    )
    events = [
        {"household": number, "kind": e["kind"], "amount_due": e["amount_due"], "date": e["date"]}
        for e in payable
        if e["application_id"] not in elsewhere
    ]
    candidates = [c for c in temporary_before(first, village, exclude=accounted) if c["household_no"] == number]
    late = late_events(first, candidates)
    members = {str(pk) for pk in household.persons.values_list("pk", flat=True)}
    history: dict[str, list[str]] = {}
    for program in ONCE_PER_LIFETIME:
        for person_pk in lifetime_paid_persons(program, first):
            if str(person_pk) in members:
                history.setdefault(str(person_pk), []).append(program)
    families = set(Enrollment.objects.filter(paid_in(first), household=household).values_list("family", flat=True))
    if events or late:
        families.add("temporary")
    return RunExtras(cpi=cpi_of_month(first), history=history, events=events, late=late, families=families)


def household_entitlements(household: Household, month: str) -> HouseholdEntitlements:
    """Compute ``month`` (YYYY-MM) for one household with the month run's inputs (:func:`run_extras`), so
    the total equals what ``run-month`` pays that month; ``ValueError`` (Chinese) on a bad month."""
    from jingzhun.ledger.compute import TEMPORARY, late_result
    from jingzhun.policy.document import DocumentError, parse_month_or_none
    from jingzhun.policy.engine import compute_document
    from jingzhun.policy.explain import line_json

    first = parse_month_or_none(month)
    if first is None:
        raise ValueError(f"月份应为 YYYY-MM（例如 2020-06），得到「{month}」。")
    result = HouseholdEntitlements(month)
    if not household.active:
        result.errors = ["该户已销户，不再计算待遇。"]
        return result
    extras = run_extras(household, first)
    document = household_document(household, month)
    document.update(cpi=extras.cpi, history=extras.history, events=extras.events)
    try:
        computed = compute_document(document, month)
    except DocumentError as exc:
        result.errors = [explain.error_text(e) for e in exc.errors]
        return result
    names = {str(p.pk): p.name for p in household.persons.all()}
    for outcome in computed.households:
        result.errors.extend(explain.error_text(e) for e in outcome.errors)
        for line in outcome.lines:
            result.lines.append(_explained(line_json(line), line.amount_fen, names, extras.families))
    for event in extras.late:  # 补发: the run adds it to this month's 临时救助
        late = late_result(event, None)
        if late is None:
            result.errors.append(f"补发 {event['month']} 临时救助：该户在当月无在册成员，无法计算")
            continue
        result.errors.extend(f"补发 {event['month']} 临时救助：{explain.error_text(e)}" for e in late.errors)
        for line in late.lines if not late.errors else ():
            if line.program == TEMPORARY:
                extra = _explained(line_json(line), line.amount_fen, names, extras.families)
                extra.program_name += f"（补发 {event['month']} 事件）"
                result.lines.append(extra)
    return result


def _explained(raw: dict[str, Any], amount_fen: int, names: dict[str, str], paid: set[str]) -> ExplainedLine:
    from jingzhun.assistance.families import FAMILIES, PROGRAM_FAMILIES
    from jingzhun.policy.programs import NAMES_ZH

    program = str(raw["program"])
    families = PROGRAM_FAMILIES.get(program, ())
    member = raw["member"]
    return ExplainedLine(
        program=program,
        program_name=NAMES_ZH.get(program, program),
        member_id=member,
        member_name=names.get(member, member) if member else "全户",
        amount_fen=amount_fen,
        payable=bool(paid & set(families)),
        families=[FAMILIES.get(f, f) for f in families],
        inputs=explain.facts(raw["explain"]["inputs"], names),
        steps=explain.facts(raw["explain"]["steps"], names),
        parameters=explain.parameter_rows(raw["explain"]["parameters"]),
        raw=raw,
    )


def household_document(household: Household, month: str) -> dict[str, Any]:
    """The POLICY.md §1 document of one household for ``month``, built by the registry (``registry.documents``)."""
    from jingzhun.registry.documents import household_document as build

    return build(month, households=[household])


def current_month() -> str:
    from django.utils import timezone

    today: dt.date = timezone.localdate()
    return f"{today:%Y-%m}"
