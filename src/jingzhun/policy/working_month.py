"""The working month (工作月份): the month the county is working in, which may differ from the calendar's.

A county that enters last year's data, an archive, or the demo (its data ends in June 2020) works in a
month other than the one on the wall clock. Every default and bound that means "today" — the months an
application may start, 年度复核到期, the default date of a 帮扶记录, the latest month a run may pay — uses
:func:`working_day` instead of the calendar's date.

The day inside a working month other than the calendar's is the calendar's day of the month, clamped to
the working month's length (6 December with working month 2020-07 → 2020-07-06; 31 March with 2020-02
→ 2020-02-29). A caseworker then sees the days pass as they do (a 公示 countdown moves each day) while
every date stays inside the month the county works in. When the working month is the calendar's month the
working day is simply today.

Pure: no Django. ``jingzhun.core.workday`` reads the setting and the clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text: str) -> dt.date:
    """``"2020-07"`` → ``date(2020, 7, 1)``; anything else raises ``ValueError`` with a Chinese message."""
    match = _MONTH.match(text)
    if match is None:
        raise ValueError(f"工作月份应写成 YYYY-MM（例如 2020-07），得到 {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 2000:
        raise ValueError(f"工作月份应写成 YYYY-MM（例如 2020-07），得到 {text!r}")
    return dt.date(year, month, 1)


def working_day(month: dt.date | None, today: dt.date) -> dt.date:
    """``today`` moved into ``month`` (its first day or any day of it); ``today`` when ``month`` is None or
    today's own month. See the module docstring for the day chosen."""
    if month is None or (month.year, month.month) == (today.year, today.month):
        return today
    last = calendar.monthrange(month.year, month.month)[1]
    return dt.date(month.year, month.month, min(today.day, last))


def month_after(month: dt.date) -> dt.date:
    """The first day of the month after ``month``'s."""
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
