"""信息变更申请 (maker–checker): nobody changes money or status alone.

A change of the bank account the next bank file pays, of 户状态, a merge (合户), a death (死亡登记), a
new 户主 or a 不予保障情形 (``disqualify``: a confirmed 数据比对 hit) is *proposed* by one person
(:func:`propose_change`) and *decided* by a second one
(:func:`approve_change`, :func:`reject_change`); the proposer may withdraw it (:func:`withdraw_change`).
Approval applies the change through the registry's own action (``change_household_status``,
``merge_households``, ``record_death``, ``change_head``, ``update_household``) in the same transaction,
after the kind's form has validated the proposal again against the registry as it is then: a rule that no
longer holds refuses the approval and the request stays pending. Every step writes one audit row
(``registry.propose_change`` …); the applied action writes its own, as it always does.

Who decides (issue #11): never the proposer; for a village or 帮扶 cadre's proposal a township officer of
that township (or the county, the administrator); for a township officer's, the county; for a county
officer's, another county officer or the administrator. An exit (→ 已脱贫) or a return (→ 返贫) needs the
county whoever proposes. A 迁入 of someone who moved out of another region is confirmed
by the township or county of the region they left. Nobody decides outside their region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import Role
from jingzhun.registry import actions, queries
from jingzhun.registry.change_forms import (
    DISQUALIFIED_CODES,
    BankForm,
    DisqualifyForm,
    HeadForm,
    LeaveForm,
    MergeForm,
    MoveInForm,
)
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.models import (
    EXITED_STATUSES,
    ChangeKind,
    ChangeRequest,
    ChangeState,
    Household,
    HouseholdStatus,
    Person,
    PersonEventKind,
    PersonStatus,
)

TOWNSHIP, COUNTY = 2, 3
# A role's level in the chain of approval; auditors have none (read-only), the administrator counts as county.
LEVEL = {
    Role.ASSIGNED_CADRE: 1,
    Role.VILLAGE_CADRE: 1,
    Role.TOWNSHIP_OFFICER: TOWNSHIP,
    Role.COUNTY_OFFICER: COUNTY,
    Role.ADMIN: COUNTY,
}
FIELDS: dict[str, tuple[str, ...]] = {
    ChangeKind.BANK_ACCOUNT: ("bank_name", "bank_account", "note"),
    ChangeKind.STATUS: ("status", "date", "note"),
    ChangeKind.MERGE: ("into", "date", "note"),
    ChangeKind.DEATH: ("person", "date", "note"),
    ChangeKind.HEAD: ("new_head", "note"),
    ChangeKind.MOVE_IN: ("person", "relation", "date", "note"),
    ChangeKind.DISQUALIFY: ("code", "note"),
}
# 户状态 changes only through the exit workflow (销号) and the 返贫 case (issue #14); a pending 户状态变更申请
# from before can no longer be approved (only rejected or withdrawn).
STATUS_NOT_EDITED = (
    "户状态不再直接修改：脱贫请在「精准退出」的村预退出名单中办理（评议、核实、公示、乡镇核实、县公告后销号），"
    "返贫请通过返贫监测案件办理。"
)
WHO = {TOWNSHIP: "乡镇（或县级）经办人员", COUNTY: "县级经办人员"}


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else "" if value is None else str(value)


def _form_errors(form: forms.Form) -> ValidationError:
    return ValidationError({field: [str(m) for m in messages] for field, messages in form.errors.items()})


def _person(household: Household | None, payload: Mapping[str, str], status: str) -> Person:
    try:
        people = Person.objects.select_related("household__village").filter(pk=int(payload.get("person", "")))
    except ValueError:
        people = Person.objects.none()
    if household is not None:
        people = people.filter(household=household)
    person = people.filter(status=status).first()
    if person is None:
        what = "本户在册成员" if status == PersonStatus.ACTIVE else "已迁出的人员"
        raise ValidationError({"person": f"所选人员不是{what} [person]"})
    return person


def validated(actor: Actor, household: Household, kind: str, payload: Mapping[str, str]) -> forms.Form:
    """The kind's form, bound to the proposal and valid (or ``ValidationError`` with its Chinese messages)."""
    form: forms.Form
    if kind == ChangeKind.BANK_ACCOUNT:
        form = BankForm(payload)
    elif kind == ChangeKind.STATUS:
        raise ValidationError({"status": f"{STATUS_NOT_EDITED} [status]"})
    elif kind == ChangeKind.MERGE:
        form = MergeForm(payload, source=household, households=queries.households_for(actor))
    elif kind == ChangeKind.DEATH:
        form = LeaveForm(payload, person=_person(household, payload, PersonStatus.ACTIVE), kind=PersonEventKind.DEATH)
    elif kind == ChangeKind.HEAD:
        form = HeadForm(payload, household=household)
    elif kind == ChangeKind.MOVE_IN:
        form = MoveInForm(payload, household=household)
    elif kind == ChangeKind.DISQUALIFY:
        form = DisqualifyForm(payload, household=household)
    else:
        raise ValidationError({"kind": f"未知的变更事项：{kind} [kind]"})
    if not form.is_valid():
        raise _form_errors(form)
    if kind == ChangeKind.MOVE_IN:
        left = _person(None, payload, PersonStatus.MOVED_OUT).status_date
        if left and form.cleaned_data["date"] < left:
            raise ValidationError({"date": f"迁入日期不能早于该人员的迁出日期（{left}）[date]"})
    if kind == ChangeKind.BANK_ACCOUNT and all(
        (form.cleaned_data[k] or "") == getattr(household, k) for k in ("bank_name", "bank_account")
    ):
        raise ValidationError({"bank_account": "申请的开户银行和账号与当前登记的相同 [bank_account]"})
    return form


def _summary(household: Household, kind: str, form: forms.Form, payload: Mapping[str, str]) -> str:
    data = form.cleaned_data
    if kind == ChangeKind.BANK_ACCOUNT:
        account = data["bank_account"] or ""
        return f"{data['bank_name'] or '（未填银行）'} 账号尾号 {account[-4:] or '（清空）'}"
    if kind == ChangeKind.STATUS:
        current = household.get_status_display() or "无"
        return f"户状态：{current} → {HouseholdStatus(data['status']).label}（{data['date']} 起）"
    if kind == ChangeKind.MERGE:
        return f"并入户 {data['into']}（{data['date']}）"
    if kind == ChangeKind.DEATH:
        return f"{_person(household, payload, PersonStatus.ACTIVE).name} 死亡（{data['date']}）"
    if kind == ChangeKind.HEAD:
        return f"{household.persons.get(pk=data['new_head']).name} 任户主"
    if kind == ChangeKind.DISQUALIFY:
        return f"登记不予保障情形：{DISQUALIFIED_CODES[data['code']]}"
    person = _person(None, payload, PersonStatus.MOVED_OUT)
    return f"{person.name}（{mask_id_number(person.id_number)}）迁入本户（{data['date']}）"


def _exit_or_return(current: str | None, wanted: str) -> bool:
    """脱贫 (→ 已脱贫, either kind) or 返贫: the county decides, whoever proposes."""
    return wanted in EXITED_STATUSES or (wanted == HouseholdStatus.RETURNED and current != wanted)


def required_level(request: ChangeRequest) -> int:
    if request.kind == ChangeKind.MOVE_IN:
        return TOWNSHIP
    need = min(LEVEL.get(request.proposer_role, 1) + 1, COUNTY)
    if request.kind == ChangeKind.STATUS and _exit_or_return(request.household.status, request.payload.get("status")):
        need = COUNTY
    return need


def _is_proposer(actor: Actor, request: ChangeRequest) -> bool:
    if actor.user is not None:
        return bool(request.proposer_id == actor.user.pk)
    return request.proposer_id is None and request.proposer_label == actor.label


def refusal(actor: Actor, request: ChangeRequest) -> str:
    """Why ``actor`` may not decide ``request`` (Chinese), or "" when they may."""
    if request.state != ChangeState.PENDING:
        return f"该申请已{request.get_state_display()}，不能再审批。"
    if not actor.can_see(request.decide_region):
        return "无权审批该区域的申请。"
    if actor.role == Role.AUDITOR:
        return "审计账号为只读，不能审批。"
    if _is_proposer(actor, request):
        return "不能审批本人提出的申请，须由另一名经办人员审批。"
    need = required_level(request)
    if LEVEL.get(actor.role, 0) < need:
        return f"该申请须由{WHO[need]}审批。"
    return ""


def may_decide(actor: Actor, request: ChangeRequest) -> bool:
    return not refusal(actor, request)


def _audit(actor: Actor, action: str, request: ChangeRequest, **fields: Any) -> None:
    record_audit(
        actor,
        f"registry.{action}",
        object_type="ChangeRequest",
        object_id=request.pk,
        region_code=request.household.village.code,
        **fields,
    )


def edit_household(
    actor: Actor, household: Household, changes: Mapping[str, Any], bank: Mapping[str, Any]
) -> ChangeRequest | None:
    """修改基本信息: ``changes`` are saved at once and a new bank account (``bank``) becomes a 信息变更申请 —
    both or neither. Returns the request, if one was made."""
    with transaction.atomic():
        if changes:
            actions.update_household(actor, household, **changes)
        if not bank:
            return None
        payload = {"bank_name": household.bank_name, "bank_account": household.bank_account, **bank}
        return propose_change(actor, household, ChangeKind.BANK_ACCOUNT, payload)


def propose_change(
    actor: Actor, household: Household, kind: str, payload: Mapping[str, Any], *, reason: str = ""
) -> ChangeRequest:
    """提出 a 信息变更申请 for ``household``: validated by the kind's form, one pending per household and kind.

    ``payload`` holds the kind's form fields (:data:`FIELDS`; dates as ``YYYY-MM-DD`` or ``date``); for a
    death and a 迁入 ``person`` is the person's id. ``reason`` defaults to the payload's ``note``.
    """
    if kind not in FIELDS:
        raise ValidationError({"kind": f"未知的变更事项：{kind} [kind]"})
    check_region(actor, household.village.code)
    if actor.role == Role.ASSIGNED_CADRE and (
        kind == ChangeKind.MOVE_IN or actor.user is None or household.assigned_cadre_id != actor.user.pk
    ):
        raise PermissionDenied("帮扶干部只能为本人帮扶的户提出变更申请。")
    data = {name: _text(payload[name]) for name in FIELDS[kind] if name in payload}
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("village").get(pk=household.pk)
        if not household.active:
            raise ValidationError({"household": "该户已销户，不能提出变更申请 [household]"})
        pending = household.change_requests.filter(kind=kind, state=ChangeState.PENDING)
        if pending.exists():
            raise ValidationError(
                {"kind": f"该户已有待审批的「{ChangeKind(kind).label}」申请，请等待审批或先撤回 [kind]"}
            )
        form = validated(actor, household, kind, data)
        decide_region = household.village.code
        if kind == ChangeKind.MOVE_IN:
            decide_region = _person(None, data, PersonStatus.MOVED_OUT).household.village.code
        request = ChangeRequest.objects.create(
            household=household,
            kind=kind,
            payload=data,
            summary=_summary(household, kind, form, data)[:200],
            reason=reason or data.get("note", ""),
            decide_region=decide_region,
            proposer=actor.user,
            proposer_label=actor.label,
            proposer_role=actor.role,
        )
        _audit(actor, "propose_change", request, after={"kind": kind, **data}, reason=request.reason)
    return request


def _locked(request: ChangeRequest) -> ChangeRequest:
    return ChangeRequest.objects.select_for_update().select_related("household__village").get(pk=request.pk)


def _apply(actor: Actor, request: ChangeRequest) -> None:
    household, kind, payload = request.household, request.kind, request.payload
    data = validated(actor, household, kind, payload).cleaned_data
    note = data.get("note", "")
    if kind == ChangeKind.BANK_ACCOUNT:
        changes = {k: data[k] or "" for k in ("bank_name", "bank_account") if (data[k] or "") != getattr(household, k)}
        actions.update_household(actor, household, **changes)
    elif kind == ChangeKind.STATUS:
        actions.change_household_status(actor, household, data["status"], date=data["date"], note=note)
    elif kind == ChangeKind.MERGE:
        form_target = Household.objects.get(household_no=data["into"])
        actions.merge_households(actor, household, form_target, date=data["date"], note=note)
    elif kind == ChangeKind.DEATH:
        person = _person(household, payload, PersonStatus.ACTIVE)
        actions.record_death(actor, person, date=data["date"], note=note)
    elif kind == ChangeKind.HEAD:
        actions.change_head(actor, household, household.persons.get(pk=data["new_head"]), note=note)
    elif kind == ChangeKind.DISQUALIFY:
        actions.update_household(actor, household, disqualified=[*(household.disqualified or []), data["code"]])
    else:
        person = _person(None, payload, PersonStatus.MOVED_OUT)
        actions.move_in_person(actor, person, household, relation=data["relation"], date=data["date"], note=note)


def _decided(actor: Actor, request: ChangeRequest, state: str, reason: str) -> None:
    request.state, request.decision_reason = state, reason
    request.decider, request.decider_label, request.decided_at = actor.user, actor.label, timezone.now()
    request.save(update_fields=["state", "decision_reason", "decider", "decider_label", "decided_at"])


def approve_change(actor: Actor, request: ChangeRequest, *, reason: str = "") -> ChangeRequest:
    """批准: re-validate and apply the change with the approver as its actor, in one transaction."""
    with transaction.atomic():
        request = _locked(request)
        if why := refusal(actor, request):
            raise PermissionDenied(why)
        token = actions.APPROVING.set(request.pk)
        try:
            _apply(actor, request)
        finally:
            actions.APPROVING.reset(token)
        _decided(actor, request, ChangeState.APPROVED, reason)
        _audit(actor, "approve_change", request, after={"kind": request.kind, "state": request.state}, reason=reason)
    return request


def reject_change(actor: Actor, request: ChangeRequest, *, reason: str) -> ChangeRequest:
    """驳回, with the reason the proposer will read: nothing changes."""
    if not reason.strip():
        raise ValidationError({"reason": "驳回须填写理由 [reason]"})
    with transaction.atomic():
        request = _locked(request)
        if why := refusal(actor, request):
            raise PermissionDenied(why)
        _decided(actor, request, ChangeState.REJECTED, reason.strip())
        _audit(actor, "reject_change", request, after={"kind": request.kind, "state": request.state}, reason=reason)
    return request


def withdraw_change(actor: Actor, request: ChangeRequest, *, reason: str = "") -> ChangeRequest:
    """撤回 by the proposer, while the request is pending."""
    with transaction.atomic():
        request = _locked(request)
        if not _is_proposer(actor, request):
            raise PermissionDenied("只有申请人本人可以撤回申请。")
        if request.state != ChangeState.PENDING:
            raise ValidationError({"state": f"该申请已{request.get_state_display()}，不能撤回 [state]"})
        _decided(actor, request, ChangeState.WITHDRAWN, reason)
        _audit(actor, "withdraw_change", request, after={"kind": request.kind, "state": request.state}, reason=reason)
    return request


def pending_for(actor: Actor, household: Household) -> list[tuple[ChangeRequest, bool, bool]]:
    """The household's pending requests, each with "may this actor decide it" and "did they propose it"."""
    rows = household.change_requests.filter(state=ChangeState.PENDING).select_related("household__village")
    return [(r, may_decide(actor, r), _is_proposer(actor, r)) for r in rows.order_by("proposed_at", "id")]


def to_decide(actor: Actor, limit: int = 200) -> list[ChangeRequest]:
    """Pending requests in the actor's region that they may decide (待我审批), oldest first."""
    if LEVEL.get(actor.role, 0) < TOWNSHIP:
        return []
    rows = ChangeRequest.objects.filter(state=ChangeState.PENDING, decide_region__startswith=actor.scope)
    rows = rows.select_related("household__village").order_by("proposed_at", "id")
    return [r for r in rows[: limit * 2] if may_decide(actor, r)][:limit]


def proposed_by(actor: Actor, limit: int = 100) -> list[ChangeRequest]:
    """The actor's own requests (我提出的申请), newest first."""
    if actor.user is None:
        return []
    rows = ChangeRequest.objects.filter(proposer=actor.user).select_related("household__village")
    return list(rows.order_by("-proposed_at", "-id")[:limit])


def visible_request(actor: Actor, pk: int) -> ChangeRequest | None:
    """A request the actor may read: of a household they read, one they may decide, or their own."""
    request = ChangeRequest.objects.select_related("household__village").filter(pk=pk).first()
    if request is None:
        return None
    readable = queries.households_for(actor).filter(pk=request.household_id).exists()
    if (
        readable
        or _is_proposer(actor, request)
        or (actor.can_see(request.decide_region) and may_decide(actor, request))
    ):
        return request
    return None
