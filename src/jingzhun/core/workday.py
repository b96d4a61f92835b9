"""Today as the county works: the working month (``JINGZHUN_WORKING_MONTH``) applied to the clock.

``settings.WORKING_MONTH`` is ``"YYYY-MM"`` or empty (the calendar's month). :func:`today` is the date every
default and bound uses in place of ``timezone.localdate()`` (北京时间); timestamps of what happened
(``decided_at``, audit rows) stay real. The reading of the day inside another month is in
``policy.working_month``. :func:`note` is the header's reminder when the working month is not the
calendar's.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from jingzhun.policy.working_month import parse_month, working_day

ENV = "JINGZHUN_WORKING_MONTH"


def working_month() -> dt.date | None:
    """The configured working month's first day, or None when the calendar's month is used."""
    text = str(getattr(settings, "WORKING_MONTH", "") or "").strip()
    if not text:
        return None
    try:
        return parse_month(text)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{ENV}：{exc}") from exc


def today() -> dt.date:
    """The working day: the calendar's date (北京时间) moved into the working month."""
    return working_day(working_month(), timezone.localdate())


def this_month() -> dt.date:
    """The first day of the working month."""
    return today().replace(day=1)


def note() -> str:
    """``"工作月份 2020-07（不是当前月份 2026-12）"`` when the working month is not the calendar's, else ``""``."""
    real = timezone.localdate()
    working = today()
    if (working.year, working.month) == (real.year, real.month):
        return ""
    return f"工作月份 {working:%Y-%m}（不是当前月份 {real:%Y-%m}）"
