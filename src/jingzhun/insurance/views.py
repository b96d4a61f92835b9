"""一保通 pages: the portfolio (premiums, claims, loss ratio; xlsx), the claims to decide, the household panel."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from jingzhun.core.actions import Actor
from jingzhun.insurance import actions, queries
from jingzhun.insurance.models import Claim, ClaimStatus
from jingzhun.insurance.report_files import portfolio_xlsx
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
