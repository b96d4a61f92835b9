"""One household's entitlements for one month, with explanations, for the household page and the API.

The computation is the policy engine's single-household reference path (``policy.engine``) on the
household document the registry builds (``registry.documents``), so the page shows exactly what
``jingzhun entitle`` prints for that document. A line is *payable* only when the household holds an
open enrolment (在册) in one of the line's assistance families (``assistance.families``); the page
says so next to each line instead of hiding unpaid entitlements.
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


def household_entitlements(household: Household, month: str) -> HouseholdEntitlements:
    """Compute ``month`` (YYYY-MM) for one household; ``ValueError`` (Chinese) on a bad month."""
    from jingzhun.assistance.families import FAMILIES, PROGRAM_FAMILIES
    from jingzhun.assistance.models import Enrollment, EnrollmentStatus
    from jingzhun.policy.document import DocumentError
    from jingzhun.policy.engine import compute_document, parse_month
    from jingzhun.policy.explain import line_json
    from jingzhun.policy.programs import NAMES_ZH

    parse_month(month)
    result = HouseholdEntitlements(month)
    if not household.active:
        result.errors = ["该户已销户，不再计算待遇。"]
        return result
    document = household_document(household, month)
    try:
        computed = compute_document(document, month)
    except DocumentError as exc:
        result.errors = list(exc.errors)
        return result
    names = {str(p.pk): p.name for p in household.persons.all()}
    enrolled = set(
        Enrollment.objects.filter(household=household, status=EnrollmentStatus.ACTIVE).values_list("family", flat=True)
    )
    for outcome in computed.households:
        result.errors.extend(outcome.errors)
        for line in outcome.lines:
            raw = line_json(line)
            families = PROGRAM_FAMILIES.get(line.program, ())
            member = raw["member"]
            result.lines.append(
                ExplainedLine(
                    program=raw["program"],
                    program_name=NAMES_ZH.get(line.program, line.program),
                    member_id=member,
                    member_name=names.get(member, member) if member else "全户",
                    amount_fen=line.amount_fen,
                    payable=bool(enrolled & set(families)),
                    families=[FAMILIES.get(f, f) for f in families],
                    inputs=explain.facts(raw["explain"]["inputs"], names),
                    steps=explain.facts(raw["explain"]["steps"], names),
                    parameters=explain.parameter_rows(raw["explain"]["parameters"]),
                    raw=raw,
                )
            )
    return result


def household_document(household: Household, month: str) -> dict[str, Any]:
    """The POLICY.md §1 document of one household for ``month``, built by the registry (``registry.documents``)."""
    from jingzhun.registry.documents import household_document as build

    return build(month, households=[household])


def current_month() -> str:
    from django.utils import timezone

    today: dt.date = timezone.localdate()
    return f"{today:%Y-%m}"
