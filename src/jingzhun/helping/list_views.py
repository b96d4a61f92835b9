"""帮扶记录 across the viewer's region (the list, its 导出Excel) and one record's page with its 走访照片.

Every staff role reads (a 帮扶 cadre their own households); a login without a role is refused (403); a region
or record outside the viewer's region is a 404. Reads only: the list writes nothing but the export's
audit row (core.list_export).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jingzhun.core import list_export
from jingzhun.core.actions import Actor
from jingzhun.helping import list_queries
from jingzhun.helping.actions import may_write
from jingzhun.helping.list_queries import STATES, HelpFilter, capped_count, filtered, photos_of, record_for
from jingzhun.helping.models import HelpKind, HelpRecord
from jingzhun.registry.queries import region_choices

PAGE_SIZE = 50


class FilterForm(forms.Form):
    region = forms.CharField(label="区域", required=False, max_length=12)
    cadre = forms.CharField(label="帮扶责任人", required=False, max_length=30)
    kind = forms.ChoiceField(label="帮扶类别", required=False, choices=[("", "全部"), *HelpKind.choices])
    since = forms.DateField(
        label="帮扶日期从",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "“帮扶日期从”应为 YYYY-MM-DD，例如 2020-01-01"},
    )
    until = forms.DateField(
        label="到",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "“帮扶日期到”应为 YYYY-MM-DD，例如 2020-06-30"},
    )
    q = forms.CharField(label="姓名或户编号", required=False, max_length=40)
    state = forms.ChoiceField(label="状态", required=False, choices=list(STATES.items()))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(f"帮扶日期“从”（{since:%Y-%m-%d}）晚于“到”（{until:%Y-%m-%d}）[since]")
        return data

    def help_filter(self) -> HelpFilter:
        d = self.cleaned_data
        return HelpFilter(
            region=d["region"].strip(),
            cadre=d["cadre"].strip(),
            kind=d["kind"],
            since=d["since"],
            until=d["until"],
            q=d["q"].strip(),
            state=d["state"],
        )


def _span(since: dt.date | None, until: dt.date | None) -> str:
    if since and until:
        return f"{since:%Y-%m-%d} 至 {until:%Y-%m-%d}"
    if since:
        return f"{since:%Y-%m-%d} 起"
    return f"至 {until:%Y-%m-%d}" if until else ""


def _words(f: HelpFilter, region_name: str) -> list[str]:
    return list_export.filter_words(
        [
            ("区域", region_name),
            ("帮扶责任人", f.cadre),
            ("帮扶类别", dict(HelpKind.choices).get(f.kind, "")),
            ("帮扶日期", _span(f.since, f.until)),
            ("姓名/户编号", f.q),
            ("状态", STATES[f.state] if f.state else ""),
        ]
    )


HEADERS = (
    "帮扶日期",
    "户编号",
    "户主",
    "乡镇",
    "村",
    "帮扶类别",
    "帮扶内容",
    "折合金额（元）",
    "帮扶责任人",
    "录入人",
    "走访照片（张）",
    "作废原因",
)


def _export(actor: Actor, records: Any, words: list[str], scope: str) -> HttpResponse:
    total, more = capped_count(records, list_export.EXPORT_CAP)
    rows = list_export.capped(records, total)
    photos = photos_of([r.pk for r in rows])
    out = [
        (
            f"{r.date:%Y-%m-%d}",
            r.household.household_no,
            r.head_name or "",
            r.household.village.parent.name if r.household.village.parent else "",
            r.household.village.name,
            r.get_kind_display() + ("（已作废）" if r.voided else ""),
            r.content,
            list_export.yuan(r.value_fen),
            r.household.cadre_name,
            r.cadre_label,
            len(photos.get(r.pk, [])),
            r.void_reason if r.voided else "",
        )
        for r in rows
    ]
    export = list_export.Export("帮扶记录", words, HEADERS, out, total, scope, more=more)
    return list_export.response(actor, export)


@login_required
@require_safe
def help_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)  # a login without a role: 403
    form = FilterForm(request.GET)
    records: Any = HelpRecord.objects.none()
    notes: list[str] = []
    words: list[str] = []
    if form.is_valid():
        f = form.help_filter()
        found = filtered(actor, f)  # a region outside the viewer's: 404
        records, notes, words = found.records, found.notes, _words(f, found.region_name)
        if list_export.wants_xlsx(request.GET):
            return _export(actor, records, words, actor.scope)
    keep = request.GET.copy()
    keep.pop("page", None)
    paginator = Paginator(records, PAGE_SIZE)
    count, more = capped_count(records, list_queries.COUNT_CAP)
    paginator.count = count  # the count stops at COUNT_CAP: pages beyond it are reached by narrowing the filter
    page = paginator.get_page(request.GET.get("page"))
    photos = photos_of([r.pk for r in page])
    context = {
        "form": form,
        "page": page,
        "query": keep.urlencode(),
        "rows": [(r, photos.get(r.pk, [])) for r in page],
        "notes": notes,
        "more": more,
        "count_cap": list_queries.COUNT_CAP,
        "filter_text": "，".join(words) or "全部",
        "regions": region_choices(actor, request.GET.get("region", "")),
        "region": request.GET.get("region", ""),
        "kinds": HelpKind.choices,
        "states": list(STATES.items()),
    }
    return render(request, "helping/help_list.html", context)


@login_required
@require_safe
def help_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    record = record_for(actor, pk)  # another region's, or not a 帮扶 cadre's own household: 404
    context = {
        "record": record,
        "household": record.household,
        "photos": photos_of([record.pk], voided=True).get(record.pk, []),
        "can_void": may_write(actor, record.household) and not record.voided,
    }
    return render(request, "helping/help_detail.html", context)
