"""子女赡养费 on the household page: the panel (core.panels) and the village cadre's recording form.

The household is read through the registry's scoped lookup (404 outside the user's region, before any
403); the form's write goes through ``filial_actions.record_support_payment``, which checks the role.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.filial import FAMILY, double_ninth, payment_month, reward_fen
from jingzhun.assistance.filial_actions import record_support_payment, void_support_payment
from jingzhun.assistance.filial_models import SupportPayment, SupportRelation
from jingzhun.assistance.models import Enrollment, EnrollmentStatus
from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import READ_ONLY_ROLES
from jingzhun.core.text import without_key
from jingzhun.policy.money import decimal_to_fen, fen_to_decimal
from jingzhun.registry.forms import apply_errors
from jingzhun.registry.queries import get_household_by_no_for

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "input_formats": ["%Y-%m-%d"]}
_DATE_ERRORS = {"invalid": "日期格式应为 YYYY-MM-DD，例如 2020-06-15", "required": "请填写日期"}


class SupportPaymentForm(forms.Form):
    parent = forms.TypedChoiceField(label="受赡养老人", coerce=int, error_messages={"required": "请选择受赡养老人"})
    payer_name = forms.CharField(label="赡养人姓名", max_length=64, error_messages={"required": "请填写赡养人姓名"})
    payer_relation = forms.ChoiceField(label="与老人关系", choices=SupportRelation.choices)
    payer_id_number = forms.CharField(label="赡养人身份证号（可不填）", max_length=18, required=False)
    paid_on = forms.DateField(label="支付日期", error_messages=_DATE_ERRORS, **_DATE)  # type: ignore[arg-type]
    amount = forms.DecimalField(
        label="金额（元）",
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "请填写金额",
            "invalid": "金额应为数字，例如 1200.00",
            "max_decimal_places": "金额最多两位小数",
        },
    )
    period_from = forms.DateField(label="赡养期间起", error_messages=_DATE_ERRORS, **_DATE)  # type: ignore[arg-type]
    period_to = forms.DateField(label="赡养期间止", error_messages=_DATE_ERRORS, **_DATE)  # type: ignore[arg-type]

    def __init__(self, *args: Any, elders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "—— 请选择 ——"), *elders]  # type: ignore[attr-defined]


def _elders(household: Any) -> list[tuple[int, str]]:
    """Every member on the register, eldest first (the action refuses one under 60 with the reason)."""
    rows = household.persons.filter(status="active").order_by("birth_date", "pk")
    return [(p.pk, f"{p.name}（{p.get_relation_display()}，{p.birth_date.year} 年生）") for p in rows]


@login_required
@require_http_methods(["GET", "POST"])
def support_new(request: HttpRequest, household_no: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    household = get_household_by_no_for(actor, household_no)  # 404 outside the region, before any 403
    if actor.role in READ_ONLY_ROLES:
        raise PermissionDenied("审计人员只能查看，不能办理。")
    wf.require_role(actor, wf.VILLAGE_WORK, "录入子女赡养费")
    back = reverse("registry:detail", args=[household.pk]) + "#filial"
    form = SupportPaymentForm(request.POST or None, elders=_elders(household))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = record_support_payment(
                actor,
                household,
                parent=data["parent"],
                payer_name=data["payer_name"],
                payer_relation=data["payer_relation"],
                payer_id_number=data["payer_id_number"],
                paid_on=data["paid_on"],
                amount_fen=decimal_to_fen(data["amount"]) or 0,
                period_from=data["period_from"],
                period_to=data["period_to"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            yuan = fen_to_decimal(row.amount_fen)
            messages.success(request, f"已录入赡养费 {yuan} 元（计入 {row.assessment_year} 年重阳节评定）。")
            return redirect(back)
    return render(request, "assistance/filial_form.html", {"household": household, "form": form, "back": back})


@login_required
@require_http_methods(["POST"])
def support_void(request: HttpRequest, pk: int) -> HttpResponse:
    """作废 one record from the panel; the reason is required (a refusal comes back as a message)."""
    actor = Actor.for_user(request.user)
    row = get_object_or_404(SupportPayment.objects.select_related("household"), pk=pk)
    household = get_household_by_no_for(actor, row.household.household_no)  # 404 outside the region
    if actor.role in READ_ONLY_ROLES:
        raise PermissionDenied("审计人员只能查看，不能办理。")
    try:
        void_support_payment(actor, row, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(without_key(m) for m in exc.messages))
    else:
        messages.success(request, f"已作废 {row.payer_name} {row.paid_on:%Y-%m-%d} 的赡养费记录。")
    return redirect(reverse("registry:detail", args=[household.pk]) + "#filial")


def approved_for(household: Any, first: dt.date) -> bool:
    """An enrollment in 孝亲敬老奖励 covers the Double Ninth month ``first`` (a one-off family: approved per
    year, its enrollment covering the month it pays — 享受起始月份 = the Double Ninth's month)."""
    return (
        Enrollment.objects.filter(household=household, family=FAMILY, start_month__lte=first)
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=first))
        .exclude(status=EnrollmentStatus.SUSPENDED)
        .exists()
    )


def year_summaries(household: Any) -> list[dict[str, Any]]:
    """Per assessment year (latest first): the records, their total, the reward the engine computes, the
    Double Ninth month it is paid in and whether an approval covers that month."""
    by_year: dict[int, list[SupportPayment]] = defaultdict(list)
    for row in SupportPayment.objects.filter(household=household).select_related("parent"):
        by_year[row.assessment_year].append(row)
    out = []
    for year in sorted(by_year, reverse=True):
        rows = by_year[year]
        first = payment_month(year)
        out.append(
            {
                "year": year,
                "rows": rows,
                "total_fen": sum(r.amount_fen for r in rows if r.voided_at is None),
                "reward_fen": reward_fen(household, year),
                "double_ninth": double_ninth(year),
                "due": first >= workday.this_month(),
                "approved": approved_for(household, first),
            }
        )
    return out


def filial_panel(request: HttpRequest, actor: Actor, household: Any) -> str:
    context = {
        "household": household,
        "years": year_summaries(household),
        "can_record": household.active and actor.role in wf.VILLAGE_WORK,
    }
    return render_to_string("assistance/_filial_panel.html", context, request=request)
