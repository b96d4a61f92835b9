"""精准退出 pages: the household's exit facts, the villages' 预退出 lists and their steps, the 公示,
village and county exit.

Thin: every read is region-scoped (a household or list outside the user's region is a 404), every write
is an action of :mod:`jingzhun.registry.exit_actions` or :mod:`jingzhun.monitoring.exit.actions`, whose
Chinese refusal is shown on the page with nothing written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from jingzhun.core.actions import Actor
from jingzhun.monitoring.exit.forms import ExitFactsForm
from jingzhun.registry.actions import check_writer
from jingzhun.registry.exit_actions import update_exit_facts
from jingzhun.registry.forms import apply_errors
from jingzhun.registry.queries import get_household_for


@login_required
@require_http_methods(["GET", "POST"])
def facts_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    household = get_household_for(actor, pk)  # 404 outside the scope
    check_writer(actor, household.village.code)  # 403: auditors, 帮扶 cadres
    back = reverse("registry:detail", args=[household.pk]) + "#exit-check"
    form = ExitFactsForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            update_exit_facts(actor, household, **form.action_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存户 {household.household_no} 的退出核查信息。")
            return redirect(back)
    context = {"household": household, "form": form, "title": "退出核查信息", "back": back, "submit": "保存"}
    return render(request, "monitoring/exit/form.html", context)
