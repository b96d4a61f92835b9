"""Reads of the assistance app, region scoped and bounded (a fixed number of queries, never one per row).

The ledger pays a program's line only for households in :func:`active_enrollments` of one of the
program's families (``policy/vocabulary.py``) and pays 临时救助 from :func:`payable_events`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import polars as pl
from django.db.models import BigIntegerField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from jingzhun.assistance.models import (
    Application,
    ApplicationStatus,
    Enrollment,
    EnrollmentStatus,
)
from jingzhun.policy.money import fen_to_str

ENROLLMENT_SCHEMA = {"household_pk": pl.Int64, "household_no": pl.Utf8, "family": pl.Utf8}


def first_of_month(month: str | dt.date) -> dt.date:
    """``"2020-06"`` (or any date in June 2020) → 2020-06-01; ``ValueError`` in Chinese otherwise."""
    if isinstance(month, dt.date):
        return month.replace(day=1)
    try:
        year, mon = month.split("-")
        if len(year) != 4 or len(mon) != 2:
            raise ValueError
        return dt.date(int(year), int(mon), 1)
    except ValueError:
        raise ValueError(f"月份 [month] 应为 YYYY-MM，得到 {month!r}") from None


def paid_in(first: dt.date) -> Q:
    """The enrollments that pay in the month starting ``first``.

    An ended enrollment still pays the months up to its ``end_month``, so re-running a past month gives
    the same list; a suspended one stops from ``suspended_from``; 脱贫不脱政策 keeps an exited
    household paid while ``transition_until`` has not passed.
    """
    return (
        Q(start_month__lte=first)
        & (Q(end_month__isnull=True) | Q(end_month__gte=first))
        & (Q(transition_until__isnull=True) | Q(transition_until__gte=first))
        & ~Q(status=EnrollmentStatus.ENDED, end_month__isnull=True)
        & ~(Q(status=EnrollmentStatus.SUSPENDED) & (Q(suspended_from__isnull=True) | Q(suspended_from__lte=first)))
    )


def active_enrollments(
    month: str, region_prefix: str = "", *, closed_too: bool = False, household_pks: Iterable[int] | None = None
) -> pl.DataFrame:
    """在册救助对象 paid in ``month`` (``YYYY-MM``): household_pk, household_no, family; one query.

    Households closed in the registry (销户) are left out whatever their enrollments say — unless
    ``closed_too``: the month run keeps them, because the registry's month-dated frames
    (``registry.documents``) already leave a household out from the month it has no member, and a
    household merged or closed later must still be paid for the months before. ``household_pks`` keeps
    only those households (one household's page computes what the run pays it).
    """
    first = first_of_month(month)
    enrollments = Enrollment.objects.filter(paid_in(first)).filter(household__village__code__startswith=region_prefix)
    if household_pks is not None:
        enrollments = enrollments.filter(household_id__in=list(household_pks))
    if not closed_too:
        enrollments = enrollments.filter(household__active=True)
    rows = enrollments.values_list("household_id", "household__household_no", "family").distinct()
    frame = pl.DataFrame(list(rows), schema=ENROLLMENT_SCHEMA, orient="row")
    return frame.sort(["household_no", "family"])


def payable_events(
    month: str, region_prefix: str = "", *, household_pks: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Approved 临时救助 whose event falls in ``month``, as the policy engine's event input.

    ``amount_due`` is what the household asked for (the engine applies the cap or the expense rule);
    a 先行救助 the after-review found improper is left out; ``household_pks`` keeps only those households.
    """
    first = first_of_month(month)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    in_month = Q(event_date__gte=first, event_date__lt=following)
    return [_event(row) for row in _approved_events(in_month, region_prefix, household_pks)]


def temporary_before(
    first: dt.date, region_prefix: str = "", *, exclude: Any = None, household_pks: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Approved 临时救助 whose event falls *before* the month starting ``first`` (the candidates a later
    month pays when their own month ran before the approval), in the shape of :func:`payable_events` plus
    ``month`` (the event's month, ``YYYY-MM``) and ``village_code``.

    ``exclude`` (ids, or a ``values("application_id")`` queryset) leaves out applications already
    accounted to another month; a 先行救助 the after-review found improper is left out, as above;
    ``household_pks`` keeps only those households.
    """
    rows = _approved_events(Q(event_date__lt=first), region_prefix, household_pks, exclude=exclude)
    return [
        {**_event(row), "month": f"{row[5]:%Y-%m}", "village_code": row[6]}
        for row in rows.values_list(*_EVENT_FIELDS, "household__village__code")
    ]


_EVENT_FIELDS = ("id", "household_id", "household__household_no", "temporary_kind", "amount_due_fen", "event_date")


def _approved_events(
    when: Q, region_prefix: str, household_pks: Iterable[int] | None, *, exclude: Any = None
) -> QuerySet[Application, tuple[Any, ...]]:
    """Approved 临时救助 applications matching ``when`` under the prefix (without a 先行救助 the
    after-review found improper), oldest event first, as rows of ``_EVENT_FIELDS``."""
    rows = Application.objects.filter(
        when, family="temporary", status=ApplicationStatus.APPROVED, household__village__code__startswith=region_prefix
    ).exclude(after_review_confirmed=False)
    if exclude is not None:
        rows = rows.exclude(id__in=exclude)
    if household_pks is not None:
        rows = rows.filter(household_id__in=list(household_pks))
    return rows.order_by("event_date", "id").values_list(*_EVENT_FIELDS)


def _event(row: tuple[Any, ...]) -> dict[str, Any]:
    app_id, household_pk, household_no, kind, amount_fen, event_date = row[:6]
    return {
        "application_id": app_id,
        "household_pk": household_pk,
        "household_no": household_no,
        "kind": kind,
        "amount_due": fen_to_str(amount_fen or 0),
        "date": event_date.isoformat(),
    }


def registered_income(household_ref: Any) -> Subquery:
    """Sum of every income row (all persons, all years) of a household, in fen; 0 when none."""
    from jingzhun.registry.models import IncomeRecord

    total = F("wages_fen") + F("farming_fen") + F("business_fen") + F("property_fen") + F("transfer_fen")
    rows = (
        IncomeRecord.objects.filter(person__household=household_ref)
        .values("person__household")
        .annotate(total=Sum(total))
        .values("total")
    )
    return Subquery(rows, output_field=BigIntegerField())


def registered_income_by_household(region_prefix: str = "", household_pk: int | None = None) -> dict[int, int]:
    """{household pk: sum of every income row of its persons, in fen} in one query (absent: none recorded).

    This is the basis an enrollment's decision records, so :func:`due_for_review` notices a later change.
    """
    from jingzhun.registry.models import IncomeRecord

    total = F("wages_fen") + F("farming_fen") + F("business_fen") + F("property_fen") + F("transfer_fen")
    rows = IncomeRecord.objects.filter(person__household__village__code__startswith=region_prefix)
    if household_pk is not None:
        rows = rows.filter(person__household_id=household_pk)
    rows = rows.values_list("person__household_id").annotate(total=Sum(total))
    return {pk: int(fen) for pk, fen in rows}


def due_for_review(as_of: dt.date, region_prefix: str = "") -> QuerySet[Enrollment]:
    """Open enrollments to re-check (复核): the yearly review has fallen due, or since the enrollment's last
    decision the registry changed a member (facts, death, move) or the household's recorded income."""
    from jingzhun.registry.models import Person, PersonEvent

    household = OuterRef("household_id")
    member_changed = Person.objects.filter(household=household, updated_at__gt=OuterRef("last_decided_at"))
    member_moved = PersonEvent.objects.filter(
        Q(from_household=household) | Q(to_household=household), recorded_at__gt=OuterRef("last_decided_at")
    )
    return (
        Enrollment.objects.filter(
            status=EnrollmentStatus.ACTIVE,
            household__active=True,
            household__village__code__startswith=region_prefix,
        )
        .annotate(income_now=Coalesce(registered_income(household), Value(0), output_field=BigIntegerField()))
        .filter(
            Q(next_review_due__lte=as_of)
            | Exists(member_changed)
            | Exists(member_moved)
            | ~Q(income_now=F("basis_income_fen"))
        )
        .select_related("household")
        .order_by("next_review_due", "household__household_no", "family")
    )
