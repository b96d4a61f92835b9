"""修改记录 and the audit search: who (the person's name), when (北京时间), what, which field, old → new, why.

Built from the audit rows every action writes (core.models.AuditEvent: ``before``/``after`` snapshots and the
reason). A household's rows are the registry's own (the household, its members, their incomes, its change
requests) and whatever the apps above register in :mod:`jingzhun.core.audit_scope` (applications,
enrollments, 帮扶记录). Each row is spread into one line per changed field; a row that changes no named field
(a 新建, a 导入) is one line with its whole ``after``. Excel exports use openpyxl, cells as text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from jingzhun.core import audit_scope
from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent, Role, StaffProfile
from jingzhun.core.spreadsheet_text import text_cells
from jingzhun.policy.money import fen_to_grouped
from jingzhun.policy.vocabulary import PROGRAM_NAMES
from jingzhun.registry import audit_labels
from jingzhun.registry.models import ChangeRequest, Household, IncomeRecord, Person

# Who may open the audit search: the county's officers, auditors and administrators (within their region).
AUDIT_READERS = frozenset({Role.AUDITOR, Role.COUNTY_OFFICER, Role.ADMIN})

ACTION_LABELS = {
    "export_list": "导出列表",
    "create_household": "新建户",
    "update_household": "修改户信息",
    "change_household_status": "户状态变更",
    "close_policies": "不再享受扶贫政策",
    "change_head": "户主变更",
    "merge_households": "合户",
    "add_person": "新增成员",
    "update_person": "修改成员信息",
    "move_in_person": "成员迁入",
    "record_death": "死亡登记",
    "record_move_out": "迁出登记",
    "set_person_income": "年度收入",
    "propose_change": "提出信息变更",
    "approve_change": "批准信息变更",
    "reject_change": "驳回信息变更",
    "withdraw_change": "撤回信息变更",
    "import": "批量导入",
    "add_help_record": "添加帮扶记录",
    "void_help_record": "作废帮扶记录",
    "application_created": "新建申请",
    "application_survey": "入户调查",
    "application_democratic_review": "民主评议",
    "application_notice_start": "公示开始",
    "application_objection": "公示异议",
    "application_objection_resolved": "异议处理",
    "application_notice_finish": "公示结束",
    "application_township_review": "乡镇审核",
    "application_county_decision": "县级审批",
    "application_after_review": "事后审核",
    "application_paid_first": "先行救助",
    "enrollment_initial_roll": "在册（初始名册）",
    "enrollment_suspended": "暂停",
    "enrollment_resumed": "恢复",
    "enrollment_ended": "终止",
    "enrollment_transition": "过渡期",
    "enrollment_change_of_circumstances": "情况变化重算",
    "create_job": "发起后台任务",
    "create_staff": "新增工作人员",
    "reset_staff_password": "重置密码",
    "deactivate_staff": "停用账号",
    "reactivate_staff": "启用账号",
}
OBJECT_LABELS = {"household": "户", "person": "成员", "incomerecord": "收入", "changerequest": "信息变更申请"}
OBJECT_LABELS |= {"application": "申请", "enrollment": "在册救助", "helprecord": "帮扶记录", "user": "账号"}
OBJECT_LABELS |= {"staffprofile": "工作人员", "importfile": "导入文件", "backgroundjob": "后台任务"}
OBJECT_LABELS |= audit_labels.OBJECTS
WHOLE = "（全部）"


def action_label(action: str) -> str:
    """``projects.earn_points`` → 爱心超市积分 (by its whole name), ``registry.update_household`` → 修改户信息
    (by its last part); an unknown kind shows as it was recorded."""
    return audit_labels.NAMED_ACTIONS.get(action) or ACTION_LABELS.get(action.rsplit(".", 1)[-1], action)


def action_kinds() -> list[tuple[str, str]]:
    """The audit search's 操作类型 choices, by label."""
    return sorted({**ACTION_LABELS, **audit_labels.NAMED_ACTIONS}.items(), key=lambda kv: kv[1])


@cache
def _field_labels() -> dict[str, dict[str, str]]:
    """Per model name (lower case): field attname and name → its verbose name, for every installed model."""
    out: dict[str, dict[str, str]] = {}
    for model in apps.get_models():
        labels = out.setdefault(model._meta.model_name or "", {})
        for f in model._meta.concrete_fields:
            labels[f.attname] = labels[f.name] = str(f.verbose_name)
    return out


def field_label(object_type: str, name: str) -> str:
    label = _field_labels().get(object_type.rsplit(".", 1)[-1].lower(), {}).get(name)
    return label or audit_labels.KEYS.get(name, name)


@cache
def _field_choices() -> dict[str, dict[str, dict[str, str]]]:
    """Per model name (lower case): field name → its choices (code → label), for every installed model."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for model in apps.get_models():
        fields = out.setdefault(model._meta.model_name or "", {})
        for f in model._meta.concrete_fields:
            if f.choices:
                fields[f.name] = {str(k): str(v) for k, v in f.flatchoices}
    return out


def _labelled(object_type: str, value: Any) -> str:
    """A whole payload (a 新建, a 导入, a step) with its keys in words and coded values by their labels."""
    if not isinstance(value, dict):
        return _text(value)
    return "；".join(f"{field_label(object_type, k)}：{_value(object_type, k, v)}" for k, v in value.items())


def _value(object_type: str, key: str, value: Any) -> str:
    """A field's value in words: a coded value (``not_exited``) by its choice label (未脱贫)."""
    if isinstance(value, str):
        words = _field_choices().get(object_type.rsplit(".", 1)[-1].lower(), {}).get(key, {}).get(value)
        if words:
            return words
    return _shown(key, value)


def _shown(key: str, value: Any) -> str:
    """A field's value as the page shows it: money fields (``*_fen``, integer fen) in yuan (1,234.56)."""
    if key.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
        return fen_to_grouped(value)
    return _text(value)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(
            f"{PROGRAM_NAMES.get(k) or audit_labels.KEYS.get(k, k)}：{_shown(k, v)}" for k, v in value.items()
        )
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass(frozen=True)
class Line:
    """One field of one audit row, as the 修改记录 table and its Excel file show it."""

    event_id: int
    at: dt.datetime  # aware; shown in 北京时间
    who: str
    action: str
    subject: str
    field: str
    old: str
    new: str
    reason: str

    @property
    def at_text(self) -> str:
        return timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M:%S")


def names_of(user_ids: Iterable[int | None]) -> dict[int, str]:
    """Staff names by user id (the login name where no name is on file), in one query."""
    ids = {i for i in user_ids if i is not None}
    profiles = StaffProfile.objects.filter(user_id__in=ids).select_related("user")
    out = {p.user_id: p.display_name for p in profiles}
    if missing := ids - set(out):
        from django.contrib.auth import get_user_model

        out |= dict(get_user_model().objects.filter(pk__in=missing).values_list("pk", "username"))
    return out


def lines(events: Sequence[AuditEvent]) -> list[Line]:
    """Each audit row spread into one line per field it changed (old → new), newest row first as given."""
    names = names_of(e.actor_id for e in events)
    out: list[Line] = []
    for e in events:
        who = names.get(e.actor_id, e.actor_label) if e.actor_id else f"系统（{e.actor_label}）"
        kind = e.object_type.rsplit(".", 1)[-1].lower()
        subject = f"{OBJECT_LABELS.get(kind, e.object_type)} {e.object_id}".strip()
        before = e.before if isinstance(e.before, dict) else {}
        after = e.after if isinstance(e.after, dict) else {}
        fields = [k for k in (*before, *(k for k in after if k not in before)) if before.get(k) != after.get(k)]
        head = {"event_id": e.pk, "at": e.at, "who": who, "action": action_label(e.action), "subject": subject}
        if not (before and after) or not fields:
            whole = e.after if not isinstance(e.after, dict) or not before else {k: after[k] for k in fields}
            new = _labelled(e.object_type, whole)
            out.append(Line(**head, field=WHOLE, old=_labelled(e.object_type, e.before), new=new, reason=e.reason))
            continue
        for k in fields:
            label = field_label(e.object_type, k)
            old, new = _value(e.object_type, k, before.get(k)), _value(e.object_type, k, after.get(k))
            out.append(Line(**head, field=label, old=old, new=new, reason=e.reason))
    return out


def household_events(household: Household) -> QuerySet[AuditEvent]:
    """Every audit row about the household, its members, their incomes, its change requests, and what the
    apps above register (core.audit_scope), newest first."""
    person_ids = [str(pk) for pk in Person.objects.filter(household=household).values_list("pk", flat=True)]
    income_ids = IncomeRecord.objects.filter(person__household=household).values_list("pk", flat=True)
    change_ids = ChangeRequest.objects.filter(household=household).values_list("pk", flat=True)
    own = (
        Q(object_type__in=["Household", "household"], object_id=str(household.pk))
        | Q(object_type="Person", object_id__in=person_ids)
        | Q(object_type="IncomeRecord", object_id__in=[str(pk) for pk in income_ids])
        | Q(object_type="ChangeRequest", object_id__in=[str(pk) for pk in change_ids])
    )
    return AuditEvent.objects.filter(own | audit_scope.household_rows(household)).order_by("-at", "-id")


@dataclass(frozen=True)
class AuditFilter:
    """The audit search's filters, as typed (all optional)."""

    person: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    region: str = ""
    kind: str = ""
    household_no: str = ""

    def title(self) -> str:
        parts = [
            f"操作人：{self.person}" if self.person else "",
            f"自 {self.start}" if self.start else "",
            f"至 {self.end}" if self.end else "",
            f"区域：{self.region}" if self.region else "",
            f"操作：{action_label(self.kind)}" if self.kind else "",
            f"户编号：{self.household_no}" if self.household_no else "",
        ]
        return "，".join(p for p in parts if p) or "全部"


def check_reader(actor: Actor) -> None:
    if actor.user is not None and actor.role not in AUDIT_READERS:
        raise PermissionDenied("只有审计、县级经办人员和系统管理员可以查询审计记录。")


def search(actor: Actor, f: AuditFilter) -> QuerySet[AuditEvent]:
    """The audit rows within the actor's region matching the filters, newest first (read-only: no write)."""
    check_reader(actor)
    rows = AuditEvent.objects.all()
    if actor.scope:
        rows = rows.filter(region_code__startswith=actor.scope)  # rows without a region are the city's
    if f.region:
        rows = rows.filter(region_code__startswith=f.region)
    if f.start:
        rows = rows.filter(at__gte=_beijing_midnight(f.start))
    if f.end:
        rows = rows.filter(at__lt=_beijing_midnight(f.end + dt.timedelta(days=1)))
    if f.kind:
        rows = rows.filter(Q(action=f.kind) | Q(action__endswith=f".{f.kind}"))
    if f.person:
        users = StaffProfile.objects.filter(name__contains=f.person).values_list("user_id", flat=True)
        rows = rows.filter(Q(actor_label__contains=f.person) | Q(actor_id__in=users))
    if f.household_no:
        household = Household.objects.filter(household_no=f.household_no).first()
        rows = rows.filter(pk__in=household_events(household).values("pk")) if household else rows.none()
    return rows.order_by("-at", "-id")


def _beijing_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


HEADERS = ("时间（北京时间）", "操作人", "操作", "对象", "字段", "原值", "新值", "原因")


def workbook(title: str, rows: Sequence[Line]) -> bytes:
    """An .xlsx of the lines under a title row (the filter in words); every cell text-guarded."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "修改记录"
    sheet.append([f"修改记录 · {title}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADERS))
    for line in rows:
        sheet.append([line.at_text, line.who, line.action, line.subject, line.field, line.old, line.new, line.reason])
    text_cells(sheet)
    for column, width in zip("ABCDEFGH", (20, 12, 14, 16, 14, 24, 24, 24), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
