"""修改记录 of one application (issue #15): its audit rows — each step, who (by name), when (北京时间), the
fields recorded and the reason — read-only, exportable; open to whoever may read the application."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jingzhun.assistance.history import application_rows
from jingzhun.assistance.models import Application
from jingzhun.assistance.views import _get
from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry import audit_views, history


@login_required
def application_changes(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    app = _get(actor, Application.objects.all(), pk, "申请")
    events = AuditEvent.objects.filter(application_rows(app)).order_by("-at", "-id")
    title = f"救助申请第 {app.pk} 号（户 {app.household.household_no}）"
    if request.GET.get("format") == "xlsx":
        lines = history.lines(list(events[: audit_views.EXPORT_LIMIT]))
        return audit_views.xlsx_response(f"修改记录-申请{app.pk}", title, lines)
    page = Paginator(events, audit_views.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"app": app, "page": page, "lines": history.lines(list(page.object_list))}
    return render(request, "assistance/application_changes.html", context)
