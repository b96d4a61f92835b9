"""Reads of the exit part: the assessment year shown on a household page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def panel_year(household: Any) -> int:
    """The year of the village's latest 预退出 list, else the current year (a caseworker looks at the
    list being worked on)."""
    from jingzhun.monitoring.models import ExitList

    latest = ExitList.objects.filter(village_id=household.village_id).order_by("-year").values_list("year", flat=True)
    return latest.first() or timezone.localdate().year
