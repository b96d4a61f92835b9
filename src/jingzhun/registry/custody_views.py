"""服刑 terms on the staff household page: record one for a member, edit or end one (刑满释放).

Thin: the household is looked up in the actor's scope first (404 outside it, no probing), then the writer
check (403 for an auditor or a 帮扶 cadre); the write is :mod:`jingzhun.registry.custody_actions`. Errors come
back as messages on the household page, naming the field; nothing is written.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from jingzhun.registry.custody import CustodyTerm
from jingzhun.registry.custody_actions import record_custody, update_custody
from jingzhun.registry.models import Person, PersonStatus
from jingzhun.registry.views import registry_writable

LABELS = {"start": "服刑起始日期", "end": "刑满释放日期"}


def _date(request: HttpRequest, key: str) -> dt.date | None:
    """The POSTed date ``key`` (blank → None); a text that is no ISO date is refused naming the field."""
    text = request.POST.get(key, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({key: f"{LABELS[key]}应为 YYYY-MM-DD 格式的日期：{text} [{key}]"}) from None


def _start(request: HttpRequest) -> dt.date:
    start = _date(request, "start")
    if start is None:
        raise ValidationError({"start": "请填写服刑起始日期 [start]"})
    return start


def _back(household_pk: int) -> HttpResponse:
    return redirect(reverse("registry:detail", kwargs={"pk": household_pk}) + "#custody")


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "未能保存服刑记录：" + "；".join(exc.messages))


@login_required
@require_POST
def custody_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor, household = registry_writable(request, pk)
    chosen = request.POST.get("person", "")
    person = Person.objects.filter(household=household, pk=int(chosen)).first() if chosen.isdigit() else None
    if person is None or person.status != PersonStatus.ACTIVE:
        messages.error(request, "未能保存服刑记录：请选择本户在册成员 [person]")
        return _back(household.pk)
    try:
        record_custody(
            actor, person, start=_start(request), end=_date(request, "end"), note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"已登记{person.name}服刑，服刑期间不计入共同生活家庭。")
    return _back(household.pk)


@login_required
@require_POST
def custody_edit(request: HttpRequest, pk: int, term_pk: int) -> HttpResponse:
    actor, household = registry_writable(request, pk)
    term = CustodyTerm.objects.filter(pk=term_pk, person__household=household).select_related("person").first()
    if term is None:
        raise Http404("未找到该服刑记录")
    try:
        update_custody(actor, term, start=_start(request), end=_date(request, "end"), note=request.POST.get("note", ""))
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"已更新{term.person.name}的服刑记录。")
    return _back(household.pk)
