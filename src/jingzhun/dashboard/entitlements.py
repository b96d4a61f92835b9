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
    """The POLICY.md §1 document of one household for ``month``, from the registry's own builder."""
    try:
        from jingzhun.registry import documents
    except ImportError:
        return _document_from_rows(household, month)
    if hasattr(documents, "household_document"):
        return documents.household_document(month, households=[household])  # type: ignore[no-any-return]
    from jingzhun.policy.frames import frames_to_document

    households, persons = documents.household_frames(month, household.village.code)
    households = households.filter(households["id"] == household.household_no)
    persons = persons.filter(persons["household_id"] == household.household_no)
    return frames_to_document(households, persons)


def _document_from_rows(household: Household, month: str) -> dict[str, Any]:
    """Stand-in until ``registry.documents`` lands: active members; each member's latest income year up
    to the month's year counts (transfer income included, as the import template defines)."""
    from jingzhun.policy.money import fen_to_str

    year = int(month[:4])
    members, income_fen = [], 0
    for person in household.persons.filter(status="active").prefetch_related("incomes").order_by("id"):
        records = sorted((r for r in person.incomes.all() if r.year <= year), key=lambda r: r.year)
        latest = records[-1] if records else None
        income_fen += latest.total_fen if latest else 0
        members.append(
            {
                "id": str(person.pk),
                "birth_date": person.birth_date.isoformat(),
                "disability_grade": person.disability_grade,
                "disability_card_gen2": person.disability_card_gen2,
                "needs_long_term_care": person.needs_long_term_care,
                "disabled_elder_certified": person.disabled_elder_certified,
                "self_care": person.self_care,
                "labour": person.labour,
                "student": person.student,
                "serious_illness": person.serious_illness,
                "late_stage_major_disease": person.late_stage_major_disease,
                "income_source": bool(latest and latest.has_own_source),
                "capable_supporter": person.capable_supporter,
                "care_setting": person.care_setting or "home",
            }
        )
    return {
        "households": [
            {
                "id": household.household_no,
                "region": household.village.code[:6],
                "area": household.area,
                "registered_poor": household.registered_poor,
                "annual_income": fen_to_str(income_fen),
                "disqualified": list(household.disqualified),
                "members": members,
            }
        ]
    }


def current_month() -> str:
    from django.utils import timezone

    today: dt.date = timezone.localdate()
    return f"{today:%Y-%m}"
