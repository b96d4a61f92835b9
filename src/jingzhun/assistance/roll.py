"""存量迁入: enrol, in one go, every household the policy engine already finds eligible.

When a county starts on jingzhun its existing 低保 / 特困 / 护理补贴 rolls are not re-applied for one by
one; the batch engine is run over the registry and each household with a non-zero line of a family's
own programs becomes an enrollment of that family (source ``initial_roll``). Re-running adds nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.models import (
    DecisionKind,
    Enrollment,
    EnrollmentDecision,
    EnrollmentSource,
    EnrollmentStatus,
)
from jingzhun.assistance.policy_bridge import ROLL_FAMILIES, entitlements, family_summary, qualifies
from jingzhun.assistance.queries import first_of_month, registered_income_by_household
from jingzhun.assistance.run_months import check_run_month
from jingzhun.core.actions import Actor, check_region, record_audit

BATCH = 2000


def _scope(actor: Actor, region_prefix: str) -> str:
    """The narrower of the actor's scope and the asked prefix; refused when they do not overlap."""
    if region_prefix.startswith(actor.scope):
        return region_prefix
    if actor.scope.startswith(region_prefix):
        return actor.scope
    raise PermissionDenied(f"无权操作该区域的数据（区域代码 {region_prefix}）。")


@transaction.atomic
def approve_eligible(actor: Actor, month: str, region_prefix: str = "") -> dict[str, int]:
    """Enrol (存量迁入) from ``month`` every active household under ``region_prefix`` with a non-zero line
    of a family's programs and no open enrollment of that family; return the count per family.

    Households the engine cannot compute (无参数) are not enrolled; the audit row names them.
    """
    from jingzhun.registry.models import Household

    first = first_of_month(month)
    prefix = _scope(actor, region_prefix)
    check_region(actor, prefix)
    wf.require_role(actor, wf.COUNTY, "存量迁入")
    check_run_month(first)  # the months a run may pay: 2014-01 to next month
    lines, failed = entitlements(f"{first:%Y-%m}", prefix)
    open_pairs = set(
        Enrollment.objects.filter(
            household__village__code__startswith=prefix,
            status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED],
        ).values_list("household__household_no", "family")
    )
    pks = dict(
        Household.objects.filter(village__code__startswith=prefix, active=True).values_list("household_no", "pk")
    )
    income = registered_income_by_household(prefix)
    now = timezone.now()
    counts = dict.fromkeys(ROLL_FAMILIES, 0)
    new: list[tuple[Enrollment, dict[str, int]]] = []
    for household_no in sorted(lines):
        pk = pks.get(household_no)
        if pk is None:
            continue
        for family in ROLL_FAMILIES:
            if (household_no, family) in open_pairs or not qualifies(lines[household_no], family):
                continue
            enrollment = Enrollment(
                household_id=pk,
                family=family,
                status=EnrollmentStatus.ACTIVE,
                start_month=first,
                source=EnrollmentSource.INITIAL_ROLL,
                next_review_due=wf.add_months(first, wf.REVIEW_MONTHS),
                last_decided_at=now,
                basis_income_fen=income.get(pk, 0),
            )
            new.append((enrollment, family_summary(lines[household_no], family)))
            counts[family] += 1
    created = Enrollment.objects.bulk_create([e for e, _ in new], batch_size=BATCH)
    EnrollmentDecision.objects.bulk_create(
        [
            EnrollmentDecision(
                enrollment=e,
                kind=DecisionKind.INITIAL_ROLL,
                month=first,
                monthly_fen=sum(summary.values()),
                entitlement=summary,
                reason="存量迁入",
                actor=actor.user,
                actor_label=actor.label,
            )
            for e, (_, summary) in zip(created, new, strict=True)
        ],
        batch_size=BATCH,
    )
    record_audit(
        actor,
        "enrollment_initial_roll",
        object_type="enrollment",
        region_code=prefix,
        after={
            "month": first.isoformat(),
            "counts": counts,
            "households_with_lines": len(lines),
            # 无参数 for their region and date: not enrolled, listed so the county can see who was left out
            "not_computed": failed[:1000],
            "not_computed_count": len(failed),
        },
    )
    return counts
