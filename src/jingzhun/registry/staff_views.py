"""工作人员管理 for the county administrator: list my region's staff, add a cadre, reset a password (shown
once), deactivate / reactivate. Every write is a registry.staff_actions action (audited, region-checked);
any other role is refused (403) before anything is shown."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jingzhun.core.actions import Actor
from jingzhun.core.models import StaffProfile
from jingzhun.registry import staff_actions
from jingzhun.registry.forms import apply_errors

PAGE_SIZE = 50


def _manager(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    staff_actions.check_manager(actor, actor.scope)
    return actor


class StaffForm(forms.Form):
    username = forms.CharField(label="登录账号", max_length=30, help_text="3–30 位字母、数字或 _ . -")
    name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=[(r.value, r.label) for r in staff_actions.MANAGEABLE_ROLES])
    region = forms.CharField(label="工作区域代码", max_length=12, help_text="县 6 位、乡镇或村 12 位，如 141102001001")
    phone = forms.CharField(label="联系电话", max_length=32, required=False)


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    q = request.GET.get("q", "").strip()[:50]
    rows = StaffProfile.objects.select_related("user", "region").filter(region__code__startswith=actor.scope)
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(user__username__icontains=q) | Q(region__code__startswith=q))
    page = Paginator(rows.order_by("region__code", "user__username"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "query": f"q={q}" if q else ""}
    return render(request, "registry/staff_list.html", context)


@login_required
def staff_new(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = staff_actions.create_staff(
                actor,
                username=data["username"],
                name=data["name"],
                role=data["role"],
                region_code=data["region"].strip(),
                phone=data["phone"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _password_shown(request, user, password, "已新增工作人员")
    return render(request, "registry/staff_form.html", {"form": form})


def _password_shown(request: HttpRequest, user: Any, password: str, what: str) -> HttpResponse:
    """The one time the password is shown: this response (not cached, never redirected to or logged)."""
    response = render(request, "registry/staff_password.html", {"member": user, "password": password, "what": what})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def staff_reset(request: HttpRequest, user_pk: int) -> HttpResponse:
    actor = _manager(request)
    password = staff_actions.reset_password(actor, user_pk, reason=request.POST.get("reason", "").strip())
    from django.contrib.auth.models import User

    return _password_shown(request, User.objects.select_related("staff").get(pk=user_pk), password, "已重置密码")


@login_required
@require_POST
def staff_active(request: HttpRequest, user_pk: int) -> HttpResponse:
    actor = _manager(request)
    active = request.POST.get("active") == "1"
    try:
        user = staff_actions.set_active(actor, user_pk, active=active, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已{'启用' if active else '停用'}账号 {user.username}。")
    return redirect("staff:list")
