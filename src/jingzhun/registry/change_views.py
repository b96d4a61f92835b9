"""户籍变动 pages: 状态变更, 新增成员, 死亡登记, 迁出登记, 合并户, 户主变更, 帮扶责任人调整.

Each page is one form in front of one action (one transaction, one audit row). The household is read
through :mod:`jingzhun.registry.queries` first, so a household outside the actor's scope is a 404 before
anything else; then auditors are refused (403, read-only). A refused rule comes back from the action as a
Chinese ``ValidationError`` shown on the form, and nothing is written.

状态变更, 死亡登记, 合并户 and 户主变更 move money or status: their pages *propose* a 信息变更申请
(:mod:`jingzhun.registry.change_actions`) that a second person approves; a 帮扶 cadre may propose them for
the households assigned to them. 新增成员 and 迁出登记 write directly, and not for 帮扶 cadres (403); a
person who moved out of another region becomes a 迁入 request that region's staff confirm.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jingzhun.core.actions import Actor
from jingzhun.core.models import Role
from jingzhun.registry import actions, queries
from jingzhun.registry.change_actions import STATUS_NOT_EDITED, propose_change
from jingzhun.registry.change_forms import CadreForm, HeadForm, LeaveForm, MergeForm, NewPersonForm
from jingzhun.registry.forms import apply_errors
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.models import ChangeKind, Household, PersonEventKind, PersonStatus
from jingzhun.registry.views import registry_writable, save_household_changes, writable

# 帮扶责任人 are assigned by the county and the township, not by the village or the cadres themselves.
REASSIGN_ROLES = frozenset({Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, Role.ADMIN})


def _proposed(
    request: HttpRequest, actor: Actor, household: Household, form: Any, kind: str, **payload: Any
) -> HttpResponse | None:
    """A valid form's change proposed as a 信息变更申请: back to the household page, or None with the refusal
    on the form."""
    try:
        change = propose_change(actor, household, kind, {**form.cleaned_data, **payload})
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, f"已提交{ChangeKind(kind).label}申请（{change.summary}），经审批后生效。")
    return redirect("registry:detail", pk=household.pk)


def _page(request: HttpRequest, household: Household, form: Any, **context: Any) -> HttpResponse:
    return render(request, "registry/change_form.html", {"household": household, "form": form, **context})


@login_required
@require_http_methods(["GET", "POST"])
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    """户状态 is no longer edited directly (issue #14): the page only says where it changes now."""
    writable(request, pk)  # 404 outside the region, 403 for read-only roles, as before
    raise PermissionDenied(STATUS_NOT_EDITED)


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor, household = registry_writable(request, pk)
    form = NewPersonForm(request.POST or None, household=household, actor=actor)
    if request.method == "POST" and form.is_valid():
        date, note, relation = form.cleaned_data["date"], form.cleaned_data["note"], form.cleaned_data["relation"]
        returning = form.returning
        if returning is not None and form.elsewhere:  # moved out of another region: that region confirms
            payload = {"person": returning.pk, "relation": relation, "date": date, "note": note}
            try:
                propose_change(actor, household, ChangeKind.MOVE_IN, payload)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已提交迁入申请，待该人员原登记地的乡镇或县级经办人员确认后生效。")
                return redirect("registry:detail", pk=household.pk)
            return _page(request, household, form, title="新增成员", submit="新增")
        try:
            if returning is not None:  # moved out of a household in this region before: the same person row
                actions.move_in_person(actor, returning, household, relation=relation, date=date, note=note)
                person = returning
                person.refresh_from_db()
            else:
                person = actions.add_person(actor, household, date=date, note=note, **form.person_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            born = f"{person.get_sex_display()}，{person.birth_date} 出生"
            again = "原迁出人员迁入，沿用原人员记录；" if returning is not None else ""
            messages.success(request, f"已新增成员 {person.name}（{again}{born}，{person.get_relation_display()}）。")
            return redirect("registry:detail", pk=household.pk)
    notes = (
        "出生日期和性别按身份证号（GB 11643）自动登记，无需填写。"
        "曾在本系统登记后迁出的人员，填写其身份证号和姓名即可迁入本户（沿用原人员记录）；"
        "原登记在其他区域的，提交迁入申请，由原登记地的乡镇或县级经办人员确认。"
    )
    return _page(request, household, form, title="新增成员", submit="新增", notes=notes)


@login_required
@require_http_methods(["GET", "POST"])
def person_leave(request: HttpRequest, pk: int, person_pk: int, kind: str) -> HttpResponse:
    death = kind == PersonEventKind.DEATH
    actor, household = writable(request, pk) if death else registry_writable(request, pk)
    person = queries.get_person_for(actor, household, person_pk)
    form = LeaveForm(request.POST or None, person=person, kind=kind)
    what = PersonEventKind(kind).label
    if request.method == "POST" and form.is_valid() and death:
        if done := _proposed(request, actor, household, form, ChangeKind.DEATH, person=person.pk):
            return done
    elif request.method == "POST" and form.is_valid():
        date = form.cleaned_data["date"]
        try:
            actions.record_move_out(actor, person, date=date, note=form.cleaned_data["note"])
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
    if death:
        notes = "死亡登记经乡镇（或县级）审批后生效。" + notes
    submit = "提交死亡登记申请" if death else f"登记{what}"
    return _page(request, household, form, title=f"{what}登记 · {person.name}", submit=submit, facts=facts, notes=notes)


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
        if done := _proposed(request, actor, household, form, ChangeKind.MERGE):
            return done
    notes = (
        "本户在册成员并入目标户（原户主改为“其他”），本户销户。只能并入同村、在您工作范围内的在册户。合户经审批后生效。"
    )
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
    if request.method == "POST" and form.is_valid() and (done := _proposed(request, actor, household, form, "head")):
        return done
    heads = household.persons.filter(relation="head", status=PersonStatus.ACTIVE)
    facts = [("现户主", "、".join(p.name for p in heads) or "（无在册户主）")]
    notes = (
        "户主变更经审批后生效。原户主如仍在册，改为“其他”。"
        "其他成员的“与户主关系”仍按原户主填写，变更后请逐一在成员编辑中更正。"
    )
    return _page(request, household, form, title="户主变更", submit="提交变更申请", facts=facts, notes=notes)
