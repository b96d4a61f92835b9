"""脱贫不脱政策 page: a county officer keeps an exited household's open enrollments up to a date.

POLICY.md §8: exit does not cut assistance by itself (the month run pays open enrollments whatever the
户状态); this page records, for an exited household, until when its programs continue through the
transition period, with the reason. The household is read through the registry's scoped lookup (404
outside the user's region); the action (``enrollment_actions.keep_policies_through_transition``) checks
the role (county) and the status (已脱贫) and writes one decision per enrollment and one audit row.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.actions import keep_policies_through_transition
from jingzhun.assistance.models import Enrollment
from jingzhun.core.actions import Actor
from jingzhun.core.models import READ_ONLY_ROLES
from jingzhun.registry.forms import apply_errors
from jingzhun.registry.queries import get_household_by_no_for

OPEN_STATUSES = ("active", "suspended")


class TransitionForm(forms.Form):
    until = forms.DateField(
        label="保留政策至",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text="过渡期最后一天，例如 2020-12-31；该日所在月份仍发放，之后的月份不再发放。"
        "不能早于脱贫日期，最晚为脱贫年份后第 5 年的 12 月 31 日",
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD，例如 2020-12-31", "required": "请填写保留政策的截止日期"},
    )
    reason = forms.CharField(
        label="依据 / 说明",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写依据（如：脱贫户过渡期政策文件）"},
    )

    def clean_until(self) -> dt.date:
        until: dt.date = self.cleaned_data["until"]
        if until < dt.date(2014, 1, 1):
            raise ValidationError("截止日期不能早于 2014 年（建档立卡开始）[until]")
        return until


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, household_no: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    household = get_household_by_no_for(actor, household_no)  # 404 outside the region, before any 403
    if actor.role in READ_ONLY_ROLES:
        raise PermissionDenied("审计人员只能查看，不能办理。")
    wf.require_role(actor, wf.COUNTY, "脱贫不脱政策")  # the action's own refusal, already on GET
    back = reverse("registry:detail", args=[household.pk]) + "#assistance"
    form = TransitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kept = keep_policies_through_transition(
                actor, household, until=form.cleaned_data["until"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            until = form.cleaned_data["until"]
            messages.success(request, f"已登记脱贫不脱政策：{len(kept)} 项救助保留至 {until:%Y-%m-%d}。")
            return redirect(back)
    open_enrollments = Enrollment.objects.filter(household=household, status__in=OPEN_STATUSES)
    context = {"household": household, "form": form, "back": back, "enrollments": open_enrollments}
    return render(request, "assistance/transition_form.html", context)
