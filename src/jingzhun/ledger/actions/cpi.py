"""CPI: the county enters a month's rises (价格临时补贴 reads them in the month run)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.ledger.actions._base import require_county
from jingzhun.ledger.models import (
    CpiMonth,
)

if TYPE_CHECKING:
    pass


CPI_LIMIT = Decimal(100)


def parse_cpi(text: str, field: str) -> Decimal:
    """A CPI year-on-year rise in percent: a decimal number between -100 and 100, at most two decimals."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value) >= CPI_LIMIT or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(f"{field}：应为 -100 到 100 之间的百分数（最多两位小数，如 5.2），得到 {text!r}")
    return value


CITY_PREFIX = "1411"  # a city-level scope (吕梁市 141100 → prefix "1411") or wider


@transaction.atomic
def set_cpi(actor: Actor, month: dt.date, *, all_items: str, food: str, source: str) -> CpiMonth:
    """Enter (or correct) a month's CPI rises: a new row that from now on wins for that month, with its audit row.

    City-level staff or admin only: the CPI is the same for every county and village, and it moves payments.
    The month run of that month (re-run) then pays, changes or stops 价格临时补贴 by adjustment lines.
    """
    require_county(actor, "录入 CPI")
    check_region(actor, actor.scope)
    if len(actor.scope) > len(CITY_PREFIX):
        # One CPI serves every county of the database (吕梁 ran 价格临时补贴 city-wide from the city's CPI),
        # so a county officer may not move another county's payments with it.
        raise PermissionDenied(
            "价格指数按市统一录入，对全市各县的价格临时补贴都生效：请由市级经办人员或系统管理员录入。"
        )
    first = month.replace(day=1)
    rises = (
        parse_cpi(all_items, "居民消费价格指数同比涨幅 [--all-items]"),
        parse_cpi(food, "食品价格同比涨幅 [--food]"),
    )
    if not source.strip():
        raise ValidationError("数据来源 [--source] 不能为空（如：吕梁市统计局 2020 年 6 月统计月报）。")
    before = CpiMonth.objects.filter(month=first).order_by("-id").first()
    entry = CpiMonth.objects.create(
        month=first, all_items=rises[0], food=rises[1], source=source.strip()[:200], actor_label=actor.label
    )
    record_audit(
        actor,
        "set_cpi",
        object_type="CpiMonth",
        object_id=entry.pk,
        region_code=actor.scope,
        before=None
        if before is None
        else {"all": str(before.all_items), "food": str(before.food), "source": before.source},
        after={"month": f"{first:%Y-%m}", "all": str(entry.all_items), "food": str(entry.food), "source": entry.source},
    )
    return entry
