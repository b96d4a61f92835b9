"""户籍变动 pages: 状态变更, 新增成员, 死亡登记, 迁出登记, 合并户, 帮扶责任人调整.

Each page is one form in front of one :mod:`jingzhun.registry.actions` function (one transaction, one
audit row). The household is read through :mod:`jingzhun.registry.queries` first, so a household outside
the actor's scope is a 404 before anything else; then auditors are refused (403, read-only). A refused
rule comes back from the action as a Chinese ``ValidationError`` shown on the form, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jingzhun.core.models import Role
from jingzhun.registry import actions, queries
from jingzhun.registry.change_forms import CadreForm, HeadForm, LeaveForm, MergeForm, NewPersonForm, StatusForm
from jingzhun.registry.forms import apply_errors
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.models import Household, HouseholdStatus, Person, PersonEventKind, PersonStatus
from jingzhun.registry.views import save_household_changes, writable

# 帮扶责任人 are assigned by the county and the township, not by the village or the cadres themselves.
REASSIGN_ROLES = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.ADMIN})


def _page(request: HttpRequest, household: Household, form: Any, **context: Any) -> HttpResponse:
    return render(request, "registry/change_form.html", {"household": household, "form": form, **context})


@login_required
@require_http_methods(["GET", "POST"])
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor, household = writable(request, pk)
    form = StatusForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        status, date, note = form.cleaned_data["status"], form.cleaned_data["date"], form.cleaned_data["note"]
        try:
            actions.change_household_status(actor, household, status, date=date, note=note)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            label = HouseholdStatus(status).label
            messages.success(request, f"户 {household.household_no} 的状态已变更为「{label}」（{date} 起）。")
            return redirect("registry:detail", pk=household.pk)
    facts = [("当前状态", household.get_status_display() or "无"), ("状态日期", household.status_date or "—")]
    history = household.status_events.order_by("-id")
    return _page(request, household, form, title="户状态变更", submit="确认变更", facts=facts, history=history)


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor, household = writable(request, pk)
    form = NewPersonForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        date, note = form.cleaned_data["date"], form.cleaned_data["note"]
        try:
            if form.returning is not None:  # moved out of another household before: the same person row
                relation = form.cleaned_data["relation"]
                actions.move_in_person(actor, form.returning, household, relation=relation, date=date, note=note)
                person = form.returning
                person.refresh_from_db()
            else:
                person = actions.add_person(actor, household, date=date, note=note, **form.person_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            born = f"{person.get_sex_display()}，{person.birth_date} 出生"
            again = "原迁出人员迁入，沿用原人员记录；" if form.returning is not None else ""
            messages.success(request, f"已新增成员 {person.name}（{again}{born}，{person.get_relation_display()}）。")
            return redirect("registry:detail", pk=household.pk)
    notes = (
        "出生日期和性别按身份证号（GB 11643）自动登记，无需填写。"
        "曾在本系统登记后迁出的人员，填写其身份证号和姓名即可迁入本户（沿用原人员记录）。"
    )
    return _page(request, household, form, title="新增成员", submit="新增", notes=notes)


@login_required
@require_http_methods(["GET", "POST"])
def person_leave(request: HttpRequest, pk: int, person_pk: int, kind: str) -> HttpResponse:
    actor, household = writable(request, pk)
    person = queries.get_person_for(actor, household, person_pk)
    form = LeaveForm(request.POST or None, person=person, kind=kind)
    what = PersonEventKind(kind).label
    if request.method == "POST" and form.is_valid():
        record = actions.record_death if kind == PersonEventKind.DEATH else actions.record_move_out
        date = form.cleaned_data["date"]
        try:
            record(actor, person, date=date, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            household.refresh_from_db(fields=["active"])
            closed = "" if household.active else "该户已无在册成员，已自动销户。"
            messages.success(request, f"已登记 {person.name} {what}（{date}）。{closed}")
            return redirect("registry:detail", pk=household.pk)
    active = household.persons.filter(status=PersonStatus.ACTIVE)
    last = person.status == PersonStatus.ACTIVE and not active.exclude(pk=person.pk).exists()
    facts = [
        ("成员", f"{person.name}（{person.get_relation_display()}）"),
        ("身份证号", queries.shown_id(actor, person.id_number, detail=True)),
        ("人员状态", person.get_status_display()),
    ]
    notes = "人员记录会保留，历史发放仍可查询。" + ("这是该户最后一名在册成员：登记后该户将销户。" if last else "")
    return _page(
        request, household, form, title=f"{what}登记 · {person.name}", submit=f"登记{what}", facts=facts, notes=notes
    )


def _head(household: Household) -> dict[str, str]:
    """户主 for the merge confirmation: name and masked ID number, whoever is looking."""
    heads = sorted(household.persons.filter(relation="head"), key=lambda p: (p.status != PersonStatus.ACTIVE, p.pk))
    shown = {"no": household.household_no, "village": household.village.name}
    shown["members"] = str(household.persons.filter(status=PersonStatus.ACTIVE).count())
    if not heads:
        return {**shown, "name": "（无户主）", "id": "—"}
    return {**shown, "name": heads[0].name, "id": mask_id_number(heads[0].id_number)}


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    actor, household = writable(request, pk)
    form = MergeForm(request.POST or None, source=household, households=queries.households_for(actor))
    if request.method == "POST" and form.is_valid() and form.target is not None:
        target = form.target
        if request.POST.get("confirm") != "1":  # first POST: show both households, ask again
            context = {"household": household, "target": target, "form": form}
            return render(
                request, "registry/merge_confirm.html", {**context, "heads": [_head(household), _head(target)]}
            )
        try:
            actions.merge_households(
                actor, household, target, date=form.cleaned_data["date"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"户 {household.household_no} 已并入户 {target.household_no}，原户已销户。")
            return redirect("registry:detail", pk=target.pk)
    notes = "本户在册成员并入目标户（原户主改为“其他”），本户销户。只能并入同村、在您工作范围内的在册户。"
    return _page(request, household, form, title="合并户", submit="下一步：核对", notes=notes)


@login_required
@require_http_methods(["GET", "POST"])
def cadre_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor, household = writable(request, pk)
    if actor.role not in REASSIGN_ROLES:
        raise PermissionDenied("帮扶责任人调整由县、乡镇经办人员办理。")
    form = CadreForm(request.POST or None, household=household)
    if saved := save_household_changes(
        request, actor, household, form, f"已调整户 {household.household_no} 的帮扶责任人。"
    ):
        return saved
    current = household.assigned_cadre.get_username() if household.assigned_cadre else "未分配"
    facts = [
        ("帮扶责任人", household.cadre_name or "—"),
        ("联系电话", household.cadre_phone or "—"),
        ("帮扶干部账号", current),
    ]
    notes = "可选账号：工作区域包含本村的帮扶干部。"
    return _page(request, household, form, title="调整帮扶责任人", submit="保存", facts=facts, notes=notes)


@login_required
@require_http_methods(["GET", "POST"])
def head_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor, household = writable(request, pk)
    form = HeadForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        person = Person.objects.filter(household=household, pk=form.cleaned_data["new_head"]).first()
        try:
            if person is None:
                raise ValidationError({"new_head": "新户主必须是本户在册成员"})
            actions.change_head(actor, household, person, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"{person.name} 已登记为户 {household.household_no} 的户主，请核对其他成员的与户主关系。"
            )
            return redirect("registry:detail", pk=household.pk)
    heads = household.persons.filter(relation="head", status=PersonStatus.ACTIVE)
    facts = [("现户主", "、".join(p.name for p in heads) or "（无在册户主）")]
    notes = "原户主如仍在册，改为“其他”。其他成员的“与户主关系”仍按原户主填写，变更后请逐一在成员编辑中更正。"
    return _page(request, household, form, title="户主变更", submit="确认变更", facts=facts, notes=notes)
