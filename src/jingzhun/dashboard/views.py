"""一张图 pages: the dashboard of a region (county → township → village), its Excel tables, and the map.

Region-scoped like every staff page: a user sees their own region and the regions below it; asking for
another region's dashboard is a 404 (as for a household outside one's scope). 帮扶 cadres read only their
assigned households, so region-wide figures are not for them (403 with a Chinese message); auditors read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.dashboard import mapdata, queries, tasks
from jingzhun.registry.models import Region

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MONEY = re.compile(r"^-?\d+\.\d{2}$")


def _actor(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    if actor.role == Role.ASSIGNED_CADRE:
        raise PermissionDenied("帮扶干部只查看所帮扶的户，全区域的一张图请向乡镇或县级经办人员查询。")
    return actor


def _home_region(actor: Actor) -> Region:
    staff = getattr(actor.user, "staff", None)
    return staff.region if staff is not None else Region.objects.get(code="141100")


def _region(actor: Actor, code: str) -> Region:
    if not code:
        return _home_region(actor)
    region = Region.objects.filter(code=code).first()
    if region is None or not actor.can_see(region.code):
        raise Http404("没有这个区域，或不在您的工作区域内。")
    return region


def _month(text: str, region: Region) -> dt.date:
    match = _MONTH.match(text or "")
    if match:
        return dt.date(int(match[1]), int(match[2]), 1)
    return queries.latest_month(region, workday.today())


def _breadcrumbs(actor: Actor, region: Region) -> list[Region]:
    chain: list[Region] = []
    r: Region | None = region
    while r is not None and actor.can_see(r.code):
        chain.append(r)
        r = r.parent
    return chain[::-1]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    region = _region(actor, request.GET.get("region", ""))
    updating = tasks.refresh_if_stale()  # queued, not run here: the page reads the counts as last built
    month = _month(request.GET.get("month", ""), region)
    where = queries.place(region)
    base = reverse("dashboard:index")
    links = {c.code: f"{base}?{urlencode({'region': c.code, 'month': f'{month:%Y-%m}'})}" for c in where.children}
    tables = queries.tables(where, queries.figures(where, month), links)
    wanted = request.GET.get("download", "")
    if wanted:
        table = next((t for t in tables if t.key == wanted), None)
        if table is None:
            raise Http404("没有这个表。")
        return _xlsx(table, region, month)
    context = {
        "region": region,
        "month": f"{month:%Y-%m}",
        "tables": tables,
        "charts": {t.key: {"title": t.title, **t.chart} for t in tables},
        "crumbs": _breadcrumbs(actor, region),
        "children": where.children,
        "level": region.get_level_display(),
        "as_of": tasks.as_of(),
        "updating": updating,
    }
    return render(request, "dashboard/index.html", context)


def _cell(value: str | int) -> str | int | Decimal:
    return Decimal(value) if isinstance(value, str) and _MONEY.match(value) else value


def _xlsx(table: queries.Table, region: Region, month: dt.date) -> HttpResponse:
    from openpyxl import Workbook

    from jingzhun.core.spreadsheet_text import text_cells

    book = Workbook()
    sheet = book.active
    sheet.title = table.key
    sheet.append([f"{region.name} · {table.title}"])
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append([_cell(v) for v in row])
    if table.note:
        sheet.append([table.note])
    text_cells(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"{region.code}-{month:%Y-%m}-{table.key}.xlsx"
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    updating = tasks.refresh_if_stale()
    data = mapdata.county_figures(actor, workday.today())
    # a township or village login's row is its county's name over its own figures: link its own 一张图, not
    # the county's (a 404 for it)
    rows = [r | {"own": actor.can_see(r["code"])} for r in data["rows"]]
    context = {
        "map": data,
        "rows": rows,
        "industries": data["industries"],
        "as_of": tasks.as_of(),
        "updating": updating,
    }
    return render(request, "dashboard/map.html", context)
