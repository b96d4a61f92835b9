"""待审批变更: the list of 信息变更申请 (what I may decide, what I proposed) and the decision itself.

A decision is a POST of 批准 / 驳回 / 撤回 with an opinion, through :mod:`jingzhun.registry.change_actions`
(one transaction, one audit row). A request the actor may not read is a 404, as a household is; a decision
they may not take is a 403 with the Chinese reason (PermissionDenied from the action); a change that no
longer holds (the registry moved on since it was proposed) comes back as a message and the request stays pending.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jingzhun.core.actions import Actor
from jingzhun.core.text import without_key
from jingzhun.registry import change_actions, queries

DECISIONS = {
    "approve": (change_actions.approve_change, "已批准"),
    "reject": (change_actions.reject_change, "已驳回"),
    "withdraw": (change_actions.withdraw_change, "已撤回"),
}


@login_required
def change_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    readable = set(queries.households_for(actor).values_list("pk", flat=True)) if actor.scope else None
    context = {
        "to_decide": change_actions.to_decide(actor),
        "mine": change_actions.proposed_by(actor),
        "readable": readable,
    }
    return render(request, "registry/change_list.html", context)


@login_required
@require_POST
def change_decide(request: HttpRequest, change_pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    change = change_actions.visible_request(actor, change_pk)
    if change is None:
        raise Http404("未找到该申请")
    decision = request.POST.get("decision", "")
    if decision not in DECISIONS:
        raise Http404("未知的审批操作")
    act, done = DECISIONS[decision]
    reason = request.POST.get("reason", "").strip()[:500]
    try:
        act(actor, change, reason=reason)
    except ValidationError as exc:
        text = "；".join(without_key(m) for m in exc.messages)
        messages.error(request, f"未能办理（{change.get_kind_display()}，户 {change.household.household_no}）：{text}")
    else:
        messages.success(request, f"{done}户 {change.household.household_no} 的{change.get_kind_display()}申请。")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False) and back:
        return redirect(back)
    return redirect("registry:changes")
