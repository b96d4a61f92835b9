"""Staff pages of the registry: find a household, read it (with the panels of the apps above), correct it, import.

Views are thin: reads go through :mod:`jingzhun.registry.queries` (region-scoped; a household outside
the actor's scope is a 404), writes through :mod:`jingzhun.registry.actions` (one transaction, one audit
row each). Auditors read everything in their region and write nothing (403).
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_http_methods

from jingzhun.core import jobs, list_export, panels, workday
from jingzhun.core.actions import Actor, create_job
from jingzhun.core.models import BackgroundJob, JobKind, Role
from jingzhun.core.templatetags.staff import yuan
from jingzhun.policy.vocabulary import FAMILIES
from jingzhun.registry import actions, change_actions, limits, queries, uploads
from jingzhun.registry import columns as c
from jingzhun.registry.custody import custody_terms
from jingzhun.registry.forms import HouseholdForm, IncomeForm, PersonForm, apply_errors
from jingzhun.registry.models import (
    Household,
    HouseholdStatus,
    Person,
    PersonEvent,
    PersonStatus,
)
from jingzhun.registry.queries import ACTIVE_CHOICES, NOT_REGISTERED, Search

log = logging.getLogger(__name__)
UPLOAD_SUFFIXES = (".xlsx", ".csv")
# Who keeps the roll: 帮扶 cadres correct the households assigned to them, they do not load new ones.
IMPORT_ROLES = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.VILLAGE_CADRE, Role.ADMIN})


def writer(request: HttpRequest) -> Actor:
    """The signed-in actor, if they may write (auditors are read-only: 403)."""
    actor = Actor.for_user(request.user)
    if not queries.can_write(actor):
        raise PermissionDenied("审计账号为只读，不能修改数据。")
    return actor


def writable(request: HttpRequest, pk: int) -> tuple[Actor, Household]:
    """The household (404 outside the scope, checked first: no probing) and the actor, if they may write."""
    household = queries.get_household_for(Actor.for_user(request.user), pk)
    return writer(request), household


def registry_writable(request: HttpRequest, pk: int) -> tuple[Actor, Household]:
    """As :func:`writable`, and not for 帮扶 cadres: they write 帮扶记录 and propose changes, nothing else."""
    actor, household = writable(request, pk)
    if actor.role == Role.ASSIGNED_CADRE:
        raise PermissionDenied(actions.CADRE_REFUSED)
    return actor, household


def save_household_changes(
    request: HttpRequest, actor: Actor, household: Household, form: Any, done: str
) -> HttpResponse | None:
    """A valid POSTed household form through ``actions.update_household``: back to the household page
    with ``done`` (or "没有修改任何内容"), or None with the action's refusal put on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    changes = form.changes(household)
    if not changes:
        messages.info(request, "没有修改任何内容。")
        return redirect("registry:detail", pk=household.pk)
    try:
        actions.update_household(actor, household, **changes)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, done)
    return redirect("registry:detail", pk=household.pk)


def search_from(params: Any) -> Search:
    try:
        limit = int(params.get("limit") or queries.PAGE_SIZE)
    except ValueError:
        limit = queries.PAGE_SIZE
    if limit < 1:  # ?limit=-5: the default page; ?limit=100000: the largest page the list serves
        limit = queries.PAGE_SIZE
    limit = min(limit, queries.MAX_PAGE_SIZE)
    active = params.get("active") or "active"
    return Search(
        q=(params.get("q") or "").strip()[:64],
        region=(params.get("region") or "").strip(),
        status=params.get("status") or "",
        family=params.get("family") or "",
        active=active if active in ACTIVE_CHOICES else "active",
        after=params.get("after") or "",
        before=params.get("before") or "",
        limit=limit,
    )


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    s = search_from(request.GET)
    if list_export.wants_xlsx(request.GET):
        from jingzhun.registry.list_export import households

        return list_export.response(actor, households(actor, s))
    page = queries.search(actor, s)
    keep = request.GET.copy()
    for key in ("after", "before"):
        keep.pop(key, None)
    context = {
        "s": s,
        "page": page,
        "query": keep.urlencode(),
        # 400 villages: rendered here, not by a template loop (the loop alone took tens of ms per page)
        "region_options": format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (code, " selected" if code == s.region else "", name)
                for code, name in queries.region_choices(actor, s.region)
            ),
        ),
        "statuses": [*HouseholdStatus.choices, (NOT_REGISTERED, "非建档立卡")],
        "families": list(FAMILIES.items()),
        "actives": list(ACTIVE_CHOICES.items()),
        "can_write": queries.can_write(actor),
    }
    return render(request, "registry/household_list.html", context)


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    household = queries.get_household_for(actor, pk)
    persons = list(household.persons.order_by("id").prefetch_related("incomes", "events"))
    full_id = queries.can_see_full_id(actor)
    incomes = _income_table(persons)
    heads = [p for p in persons if p.relation == "head"]
    account = household.bank_account
    context = {
        "household": household,
        "head": next((p for p in heads if p.status == PersonStatus.ACTIVE), heads[0] if heads else None),
        "causes": [label for label, key in c.POVERTY_CAUSE.items() if key in household.poverty_causes],
        "disqualified": [label for label, key in c.DISQUALIFIED.items() if key in household.disqualified],
        "bank_account": account if full_id or len(account) <= 4 else f"**** {account[-4:]}",
        "members": [(p, queries.shown_id(actor, p.id_number, detail=True), _moves(p)) for p in persons],
        "full_id": full_id,
        "incomes": incomes,
        "income_year": incomes[0]["year"] if incomes else workday.today().year - 1,
        "status_events": household.status_events.order_by("-date", "-id"),
        "person_events": PersonEvent.objects.filter(person__in=persons).select_related("person").order_by("-date"),
        "can_write": queries.can_write(actor),
        "can_reassign": actor.role in {Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.ADMIN},
        "panels": panels.render_panels(request, actor, household),
        "pending_changes": change_actions.pending_for(actor, household),
        "registry_writer": queries.can_write(actor) and actor.role != Role.ASSIGNED_CADRE,
        "custody": custody_terms(persons),
    }
    return render(request, "registry/household_detail.html", context)


def _moves(person: Person) -> list[PersonEvent]:
    """The member's 死亡/迁出/迁入/合户 events, oldest first (prefetched with the members)."""
    return sorted(person.events.all(), key=lambda e: (e.date, e.pk))


def _income_table(persons: list[Person]) -> list[dict[str, Any]]:
    """Per year, newest first: each member's total in yuan (column order = ``persons``) and the household's."""
    years: dict[int, dict[int, int]] = {}
    for person in persons:
        for record in person.incomes.all():
            years.setdefault(record.year, {})[person.pk] = record.total_fen
    return [
        {
            "year": year,
            "cells": [yuan(years[year][p.pk]) if p.pk in years[year] else "" for p in persons],
            "total_yuan": yuan(sum(years[year].values())),
        }
        for year in sorted(years, reverse=True)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """基本信息 are saved at once; a new bank account becomes a 信息变更申请 (the next bank file pays it).

    The account is shown whole only to those who may approve its change (township, county, administrator);
    a 帮扶 cadre sees only the bank fields, to propose a change."""
    actor, household = writable(request, pk)
    full_bank = change_actions.LEVEL.get(actor.role, 0) >= change_actions.TOWNSHIP
    only_bank = actor.role == Role.ASSIGNED_CADRE
    form = HouseholdForm(request.POST or None, household=household, full_bank=full_bank, only_bank=only_bank)
    if request.method == "POST" and form.is_valid():
        changes = form.changes(household)
        bank = {k: changes.pop(k) for k in sorted(actions.BANK_FIELDS & set(changes))}
        try:
            proposed = change_actions.edit_household(actor, household, changes, bank)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = [f"已保存户 {household.household_no} 的基本信息。"] if changes else []
            if bank:
                done.append(f"已提交银行账号变更申请（{proposed.summary}），经乡镇或县级审批后生效。")
            if done:
                messages.success(request, "".join(done))
            else:
                messages.info(request, "没有修改任何内容。")
            return redirect("registry:detail", pk=household.pk)
    context = {"household": household, "form": form, "only_bank": only_bank}
    return render(request, "registry/household_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    household = queries.get_household_for(actor, pk)
    person = queries.get_person_for(actor, household, person_pk)
    actor, _ = registry_writable(request, pk)
    full_id = queries.can_see_full_id(actor)
    form = PersonForm(request.POST or None, person=person, full_id=full_id)
    if request.method == "POST" and form.is_valid():
        try:
            changes = form.changes(person)
            if changes:
                actions.update_person(actor, person, **changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已保存成员 {person.name} 的信息。" if changes else "没有修改任何内容。")
            return redirect("registry:detail", pk=household.pk)
    context = {
        "household": household,
        "person": person,
        "form": form,
        "shown_id": queries.shown_id(actor, person.id_number, detail=True),
    }
    return render(request, "registry/person_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def income_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    actor, household = registry_writable(request, pk)
    if not 2000 <= year <= workday.today().year + 1:
        raise Http404("年度超出范围")
    persons = list(household.persons.filter(status=PersonStatus.ACTIVE).order_by("id"))
    form = IncomeForm(request.POST or None, persons=persons, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_household_incomes(actor, year, form.fen_by_person())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已保存 {year} 年度收入。")
            return redirect("registry:detail", pk=household.pk)
    years = list(range(workday.today().year, 2013, -1))
    context = {"household": household, "form": form, "year": year, "years": years}
    return render(request, "registry/income_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    actor = writer(request)
    if actor.role not in IMPORT_ROLES:
        raise PermissionDenied("批量导入由县、乡镇、村经办人员办理；帮扶干部请在户页面修改所帮扶的户。")
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if refused := uploads.refusal(request):  # cut off while it streamed: nothing kept
            error = refused
        elif upload is None:
            error = "请选择要导入的文件（.xlsx 或 .csv）。"
        elif not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            error = f"文件类型不支持：{upload.name}。请上传 .xlsx 或 .csv 文件。"
        elif upload.size > limits.MAX_FILE_BYTES:
            error = str(limits.too_big(upload.size))
        else:
            try:
                job = _save_upload(request, actor, upload)
            except OSError as exc:  # disk full, var/ not writable: the partial copy is gone already
                log.exception("saving an upload failed")
                error = f"保存上传文件失败（{exc.strerror or exc}），未导入任何数据，请稍后重试或联系管理员。"
            else:
                from jingzhun.registry.tasks import import_registry_file

                jobs.start(import_registry_file, job)
                return redirect("registry:import_job", job_id=job.pk)
    mine = BackgroundJob.objects.filter(owner=request.user, kind=JobKind.IMPORT)
    jobs.sweep_stale(mine)
    recent = mine[:10]
    return render(request, "registry/import_upload.html", {"error": error, "recent": recent})


@login_required
@require_http_methods(["GET"])
def import_template(request: HttpRequest) -> HttpResponse:
    """下载导入模板: the same 户籍导入模板.xlsx as ``jingzhun registry template``, its example rows in a village
    of the user's own region (reads nothing else, writes nothing)."""
    import tempfile

    from jingzhun.registry.models import Region, RegionLevel
    from jingzhun.registry.template import write_template

    actor = writer(request)
    if actor.role not in IMPORT_ROLES:
        raise PermissionDenied("批量导入由县、乡镇、村经办人员办理；帮扶干部请在户页面修改所帮扶的户。")
    village = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=actor.scope).order_by("code").first()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_template(Path(tmp) / "template.xlsx", **({"village_code": village.code} if village else {}))
        content = path.read_bytes()
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E6%88%B7%E7%B1%8D%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


def _save_upload(request: HttpRequest, actor: Actor, upload: Any) -> BackgroundJob:
    folder = Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    try:
        with path.open("wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
    except OSError:
        path.unlink(missing_ok=True)
        raise
    params = {"path": str(path), "name": Path(upload.name).name, "dry_run": bool(request.POST.get("dry_run"))}
    try:
        return create_job(actor, JobKind.IMPORT, region_prefix=actor.scope, params=params)
    except Exception:  # refused or not written: keep no upload
        path.unlink(missing_ok=True)
        raise


def _own_job(request: HttpRequest, job_id: int, kinds: tuple[str, ...]) -> BackgroundJob:
    """The user's own job; a running one whose worker died is marked failed first (jobs.sweep_stale)."""
    mine = BackgroundJob.objects.filter(pk=job_id, owner=request.user, kind__in=kinds)
    jobs.sweep_stale(mine)
    job = mine.first()
    if job is None:
        raise Http404("未找到该任务")
    return job


@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id, (JobKind.IMPORT,))
    return render(
        request,
        "registry/import_job.html",
        {"job": job, "status_url": reverse("registry:import_status", args=[job.pk]), "report": job.result or {}},
    )


@login_required
def import_status(request: HttpRequest, job_id: int) -> JsonResponse:
    return JsonResponse(jobs.status_json(_own_job(request, job_id, (JobKind.IMPORT,))))
