"""The ledger's panels on the staff household page (core/panels.py): this month's entitlements with
"why this amount", and the household's payment lines (民生账本)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from jingzhun.core.actions import Actor
from jingzhun.ledger.entitlements import HouseholdEntitlements, default_month, household_entitlements
from jingzhun.ledger.models import PaymentLine
from jingzhun.policy.engine import parse_month

log = logging.getLogger(__name__)


def entitlements_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    month = request.GET.get("month") or default_month(household.village.code)
    try:
        parse_month(month)
    except ValueError:
        messages.error(request, f"月份应为 YYYY-MM（例如 2020-06），得到「{month[:20]}」；下面显示默认月份。")
        month = default_month(household.village.code)
    try:
        entitlements = household_entitlements(household, month)
    except Exception:  # the rest of the page must stay readable when the computation fails
        log.exception("entitlements of household %s for %s failed", household.pk, month)
        entitlements = HouseholdEntitlements(month, errors=["待遇计算出错（系统内部错误），已记录，请联系系统管理员。"])
    context = {"household": household, "month": month, "entitlements": entitlements}
    return render_to_string("ledger/_entitlements_panel.html", context, request=request)


def payments_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    context = {
        "household": household,
        "payments": payments(household),
        "statement_url": reverse("ledger:household", args=[household.household_no]),
    }
    return render_to_string("ledger/_payments_panel.html", context, request=request)


def payments(household: Any) -> dict[str, Any]:
    """The household's ledger lines by month (newest first), at most 300, each with its 发放状态
    (``line.bank_status``, the 民生账本's word for it)."""
    from jingzhun.ledger.statements import bank_statuses

    lines = list(
        PaymentLine.objects.filter(household=household)
        .select_related("person")
        .order_by("-month", "program", "id")[:300]
    )
    status = bank_statuses([line.pk for line in lines])
    months: dict[dt.date, dict[str, Any]] = {}
    for line in lines:
        line.bank_status = status[line.pk]  # type: ignore[attr-defined]
        month = months.setdefault(line.month, {"month": line.month, "lines": [], "net": 0})
        month["lines"].append(line)
        month["net"] += line.amount_fen
    return {"months": list(months.values()), "truncated": len(lines) == 300}
