"""帮扶记录 as they are read: the staff list (:func:`help_records_for`: newest first, voided ones flagged) and
the 一码清 page (:func:`public_help_measures`: public, non-voided records of one year; never ``content``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from jingzhun.helping.models import HelpKind, HelpRecord
from jingzhun.helping.private_text import private_in_public_text
from jingzhun.registry.models import Household

PUBLIC_LIMIT = 100  # a year's public measures on the 一码清 page, at most


@dataclass(frozen=True)
class PublicMeasure:
    """One 帮扶措施 as the public 一码清 page shows it: never the staff's own ``content``."""

    kind_label: str
    text: str
    date: dt.date


def help_records_for(household: Household) -> QuerySet[HelpRecord]:
    """The household's 帮扶记录, newest first, voided ones included (``record.voided`` flags them)."""
    return HelpRecord.objects.filter(household_id=household.pk).select_related("cadre").order_by("-date", "-id")


def public_help_measures(household_pk: int, year: int) -> list[PublicMeasure]:
    """The public, non-voided 帮扶措施 of ``year`` for the 一码清 page, newest first (one query, bounded)."""
    rows = (
        HelpRecord.objects.filter(
            household_id=household_pk,
            date__gte=dt.date(year, 1, 1),
            date__lt=dt.date(year + 1, 1, 1),
            public=True,
            voided_at__isnull=True,
        )
        .order_by("-date", "-id")
        .values_list("kind", "public_text", "date")[:PUBLIC_LIMIT]
    )
    labels = dict(HelpKind.choices)
    return [PublicMeasure(labels.get(kind, kind), public_text(kind, text), date) for kind, text, date in rows]


# What a public text may never say (illness, disability, callable numbers) is listed and tested in
# ``helping/private_text.py``.
#
# 健康帮扶's details (慢性病门诊、住院结算…) say something about a member's health, which the 一码清 page never
# shows (issue #6): publicly a health record is its kind only, whatever its public text says.
LABEL_ONLY_KINDS = frozenset({HelpKind.HEALTH})


def public_text(kind: str, text: str) -> str:
    """What the 一码清 page shows of a record: its public text, or only its kind's label (health, no text,
    or a text that :func:`private_in_public_text` refuses — an older record entered before the check)."""
    label = dict(HelpKind.choices).get(kind, kind)
    return label if kind in LABEL_ONLY_KINDS or not text or private_in_public_text(text) else text
