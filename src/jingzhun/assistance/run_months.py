"""The months a month run may pay: 2014-01 (建档立卡 began) to next month.

The ledger's runs (``ledger.runs``) and the 存量迁入 that enrols households for them (``assistance.roll``)
refuse the same months; it lives here, below the ledger, so both can use it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from jingzhun.core import workday

FIRST_RUN_MONTH = dt.date(2014, 1, 1)  # 建档立卡 began in 2014: no assistance was paid through it before


def latest_run_month(today: dt.date | None = None) -> dt.date:
    """The latest month that may be run: the month after ``today`` (the working day, ``core.workday.today()``).

    Next month is allowed because a county prepares a month's payment before it starts (the bank file
    goes out in the last days of the month before); any later month is a typing slip, and a run of it
    would sit in the append-only ledger until reversed (and make the public pages show that year).
    """
    today = today or workday.today()
    return (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def check_run_month(first: dt.date, today: dt.date | None = None) -> None:
    """``ValidationError`` (Chinese, naming the field) unless 2014-01 ≤ ``first`` ≤ next month.

    Not before 2014-01, when 建档立卡 began; not after the month following ``today`` (see
    :func:`latest_run_month`). Used by ``ledger.runs.run_month`` (the CLI and the web page refuse alike)
    and by 存量迁入.
    """
    latest = latest_run_month(today)
    if first < FIRST_RUN_MONTH:
        raise ValidationError(
            f"发放月份不能早于 {FIRST_RUN_MONTH:%Y-%m}（建档立卡开始），得到 {first:%Y-%m}。", code="month_range"
        )
    if first > latest:
        raise ValidationError(
            f"发放月份最晚只能是下个月 {latest:%Y-%m}（可提前准备下月发放），得到 {first:%Y-%m}，请核对月份。",
            code="month_range",
        )
