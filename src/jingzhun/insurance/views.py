"""一保通 pages: the portfolio (premiums, claims, loss ratio; xlsx), recording a claim (登记理赔) and the claims
to decide, the household panel. Writes go through :mod:`jingzhun.insurance.actions` (county officers of the
county and administrators; others get 403); a household outside the actor's region is "not found"."""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from jingzhun.core.actions import Actor
from jingzhun.insurance import actions, queries
from jingzhun.insurance.models import Claim, ClaimStatus
from jingzhun.insurance.report_files import portfolio_xlsx
from jingzhun.policy import insurance as rules
from jingzhun.registry.models import Household


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    years = queries.years(actor)
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() else (years[0] if years else None)
    table = queries.portfolio(actor, year) if year is not None else None
    if request.GET.get("format") == "xlsx" and table is not None:
        tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115 — FileResponse reads it
        tmp.close()
        portfolio_xlsx(table, Path(tmp.name), f"{year} 年一保通综合保险赔付情况")
        response = FileResponse(open(tmp.name, "rb"), as_attachment=True, filename=f"yibaotong-{year}.xlsx")  # noqa: SIM115
        Path(tmp.name).unlink()
        return response
    rows = list(table.iter_rows(named=True)) if table is not None else []
    context = {"year": year, "years": years, "rows": rows, "total": rows[-1] if rows else None}
    return render(request, "insurance/portfolio.html", context)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "赔付"), ("reject", "不予赔付")])
    note = forms.CharField(max_length=300, error_messages={"required": "请填写审核意见"})


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    status = request.GET.get("status", ClaimStatus.PENDING)
    rows = queries.claims_for(actor).select_related("policy__household", "cover").order_by("-date", "id")
    if status in ClaimStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    context = {
        "page": page,
        "query": keep.urlencode(),
        "status": status,
        "statuses": ClaimStatus.choices,
        "can_decide": actor.role in actions.WRITER_ROLES,
    }
    return render(request, "insurance/claims.html", context)


class ClaimForm(forms.Form):
    household_no = forms.CharField(label="户编号", max_length=32, error_messages={"required": "请填写户编号"})
    year = forms.IntegerField(
        label="保险年度",
        min_value=2016,
        max_value=2100,
        error_messages={"required": "请填写保险年度", "invalid": "年度应为四位数字", "min_value": "年度无效",
                        "max_value": "年度无效"},
    )  # fmt: skip
    cover = forms.ChoiceField(
        label="险种",
        choices=[("", "请选择")] + [(c.code, c.name) for c in rules.COVERS if not c.ruled],
        help_text="按规则计算的四个险种（脱贫返贫、慢性病门诊补充、食用菌、小额信贷）由系统核算，不在此登记",
        error_messages={"required": "请选择险种", "invalid_choice": "请选择需人工登记的险种"},
    )
    date = forms.DateField(
        label="出险日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD", "required": "请填写出险日期"},
    )
    amount = forms.DecimalField(
        label="赔付金额（元）",
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"invalid": "请输入金额，例如 5000 或 5000.50", "min_value": "赔付金额应大于 0",
                        "max_decimal_places": "金额最多两位小数", "max_digits": "金额过大",
                        "required": "请填写赔付金额"},
    )  # fmt: skip
    evidence = forms.CharField(
        label="证据材料",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="查勘报告、诊断证明、损失清单等",
        error_messages={"required": "请填写证据材料"},
    )


FIELD_OF = {"policy": "household_no", "cover": "cover", "amount": "amount", "date": "date", "evidence": "evidence"}


@login_required
@require_http_methods(["GET", "POST"])
def claim_new(request: HttpRequest) -> HttpResponse:
    """登记理赔: a claim of a cover without a rule, with its evidence; decided afterwards on the claims list."""
    actor = Actor.for_user(request.user)
    if actor.role not in actions.WRITER_ROLES:
        raise PermissionDenied("只有县级干部可以登记一保通理赔。")
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        number = d["household_no"].strip()
        households = Household.objects.filter(household_no=number)
        if actor.scope:
            households = households.filter(village__code__startswith=actor.scope)
        if not households.exists():
            form.add_error("household_no", f"您的工作区域内没有户编号 {number}")
        else:
            try:
                claim = actions.record_claim(
                    actor, number, d["year"], d["cover"], date=d["date"], amount_fen=int(d["amount"] * 100),
                    evidence=d["evidence"],
                )  # fmt: skip
            except actions.ClaimError as exc:
                found = re.search(r"\[(\w+)\]", str(exc))
                form.add_error(FIELD_OF.get(found.group(1)) if found else None, re.sub(r" ?\[\w+\]", "", str(exc)))
            else:
                messages.success(request, f"已登记理赔 #{claim.pk}（{claim.cover.name}，户 {number}），待审核。")
                return redirect(f"{reverse('insurance:claims')}?status=pending")
    return render(request, "insurance/claim_form.html", {"form": form})


@login_required
@require_POST
@require_http_methods(["POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    claim = queries.claims_for(actor).select_related("policy").filter(pk=pk).first()
    if claim is None:
        raise Http404("未找到该理赔")
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审核结果并填写审核意见。")
        return redirect("insurance:claims")
    try:
        decided = actions.decide_claim(
            actor, claim, approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"]
        )
    except actions.ClaimError as exc:
        messages.error(request, str(exc).rsplit(" [", 1)[0])
    except PermissionDenied:
        raise
    else:
        messages.success(request, f"理赔 #{decided.pk} 已审核：{decided.get_status_display()}。")
    return redirect("insurance:claims")


def household_insurance(household: Household) -> dict[str, Any]:
    """The staff household page's panel: the household's policies (latest first) and claims."""
    policies = list(household.insurance_policies.order_by("-year")[:3])  # type: ignore[attr-defined]
    claims = list(Claim.objects.filter(policy__in=policies).select_related("cover", "policy").order_by("-date")[:20])
    return {"policies": policies, "claims": claims}
