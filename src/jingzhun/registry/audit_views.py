"""修改记录 (a household's changes) and the auditors' read-only audit search, each exportable to Excel.

Read-only: nothing here writes. A household's 修改记录 is open to whoever may read the household (an id
outside one's scope is a 404); the audit search to auditors, county officers and administrators, within
their region (registry.history)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jingzhun.core.actions import Actor
from jingzhun.registry import history, queries

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000  # rows of one Excel export; the page says so when a filter matches more


def xlsx_response(name: str, title: str, lines: list[history.Line]) -> HttpResponse:
    response = HttpResponse(
        history.workbook(title, lines),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}-{stamp}.xlsx"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@login_required
def household_changes(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    household = queries.get_household_for(actor, pk)
    events = history.household_events(household)
    title = f"户 {household.household_no}"
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"修改记录-{household.household_no}", title, history.lines(list(events[:EXPORT_LIMIT])))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"household": household, "page": page, "lines": history.lines(list(page.object_list))}
    return render(request, "registry/household_changes.html", context)


def _date(text: str, field: str, errors: list[str]) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors.append(f"{field}应为日期（如 2020-06-30），得到「{text}」")
        return None


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    history.check_reader(actor)
    get = request.GET
    errors: list[str] = []
    f = history.AuditFilter(
        person=get.get("person", "").strip()[:50],
        start=_date(get.get("start", "").strip(), "开始日期", errors),
        end=_date(get.get("end", "").strip(), "结束日期", errors),
        region=get.get("region", "").strip()[:12],
        kind=get.get("kind", "").strip()[:64],
        household_no=get.get("household_no", "").strip()[:32],
    )
    events = history.search(actor, f)
    if get.get("format") == "xlsx" and not errors:
        return xlsx_response("审计记录", f.title(), history.lines(list(events.select_related(None)[:EXPORT_LIMIT])))
    keep = get.copy()
    keep.pop("page", None)
    keep.pop("format", None)
    page = Paginator(events, PAGE_SIZE).get_page(get.get("page"))
    context = {
        "f": f,
        "errors": errors,
        "page": page,
        "lines": history.lines(list(page.object_list)),
        "query": keep.urlencode(),
        "kinds": history.action_kinds(),
        "export_limit": EXPORT_LIMIT,
    }
    return render(request, "registry/audit_search.html", context)
