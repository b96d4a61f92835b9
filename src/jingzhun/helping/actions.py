"""帮扶记录: what a 帮扶 cadre (or the village, township, county) actually did for a household.

Writes are actions — one transaction, one audit row, region-checked: :func:`add_help_record`,
:func:`void_help_record` and, for the demo's bulk load, :func:`add_help_records` (one audit row per
record). Who may write: the household's own 帮扶 cadre (``Role.ASSIGNED_CADRE`` and
``household.assigned_cadre`` is them), village cadres, township and county officers within their region,
administrators; auditors never. A record is dated no later than today and no earlier than 1 January of
the household's 建档立卡 year (2014, when 建档立卡 began, for a household without one).

Reads are in :mod:`jingzhun.helping.queries`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import IO, Any, NotRequired, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jingzhun.core import workday
from jingzhun.core.actions import Actor, check_region, record_audit
from jingzhun.core.models import READ_ONLY_ROLES, Role
from jingzhun.helping.models import HelpKind, HelpPhoto, HelpRecord
from jingzhun.helping.private_text import private_in_public_text
from jingzhun.helping.queries import LABEL_ONLY_KINDS
from jingzhun.registry.attachments import AttachmentKind, add_attachment
from jingzhun.registry.models import Household

WRITER_ROLES = frozenset({Role.VILLAGE_CADRE, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.ADMIN})
FIRST_YEAR = 2014  # 建档立卡 began in 2014: the earliest date for a household registered in no year
MAX_VALUE_FEN = 100_000_000  # ¥1,000,000: more than any one measure (a 易地搬迁 house, a 5-year 小额信贷)
CONTENT_MAX = 2000
PUBLIC_TEXT_MAX = 60
FORM_TOKEN = re.compile(r"[0-9a-f]{32}")


def may_write(actor: Actor, household: Household) -> bool:
    """Whether the actor may add or void this household's 帮扶记录 (region and role; no exception)."""
    if not actor.can_see(household.village.code) or actor.role in READ_ONLY_ROLES:
        return False
    if actor.role == Role.ASSIGNED_CADRE:
        return actor.user is not None and household.assigned_cadre_id == actor.user.pk
    return actor.role in WRITER_ROLES


def check_writer(actor: Actor, household: Household) -> None:
    check_region(actor, household.village.code)  # another region, or an auditor
    if actor.role == Role.ASSIGNED_CADRE:
        if actor.user is None or household.assigned_cadre_id != actor.user.pk:
            raise PermissionDenied(f"户 {household.household_no} 不是分配给您的帮扶户，不能录入或作废其帮扶记录。")
    elif actor.role not in WRITER_ROLES:
        raise PermissionDenied("您的角色不能录入帮扶记录。")


def _locked_household(pk: int) -> Household:
    """The household row locked for this transaction (its village joined, not locked)."""
    return Household.objects.select_for_update(of=("self",)).select_related("village").get(pk=pk)


def earliest_date(household: Household) -> dt.date:
    return dt.date(household.registered_year or FIRST_YEAR, 1, 1)


def _validated(
    household: Household,
    *,
    date: dt.date,
    kind: str,
    content: str,
    value_fen: int | None = None,
    public: bool = True,
    public_text: str = "",
    today: dt.date,
) -> dict[str, Any]:
    """The record's fields, cleaned; every problem at once, in Chinese, keyed by field."""
    errors: dict[str, str] = {}
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        errors["date"] = "请填写帮扶日期（YYYY-MM-DD）[date]"
    elif date > today:
        errors["date"] = f"帮扶日期不能晚于今天（{today.isoformat()}）[date]"
    elif date < earliest_date(household):
        year = household.registered_year
        since = f"该户建档立卡年份 {year} 年" if year else f"{FIRST_YEAR} 年建档立卡开始"
        errors["date"] = f"帮扶日期不能早于{since}（{earliest_date(household).isoformat()}）[date]"
    if kind not in HelpKind.values:
        errors["kind"] = f"帮扶类别「{kind}」无效，应为：{'、'.join(HelpKind.labels)} [kind]"
    content = (content or "").strip()
    if not content:
        errors["content"] = "请填写帮扶内容 [content]"
    elif len(content) > CONTENT_MAX:
        errors["content"] = f"帮扶内容不能超过 {CONTENT_MAX} 字 [content]"
    if value_fen is not None:
        if isinstance(value_fen, bool) or not isinstance(value_fen, int):
            errors["value_fen"] = "折合金额应为整数（分）[value_fen]"
        elif value_fen < 0:
            errors["value_fen"] = "折合金额不能为负数 [value_fen]"
        elif value_fen > MAX_VALUE_FEN:
            errors["value_fen"] = f"折合金额不能超过 {MAX_VALUE_FEN // 100:,} 元 [value_fen]"
    public_text = (public_text or "").strip()
    if len(public_text) > PUBLIC_TEXT_MAX:
        errors["public_text"] = f"公开说明不能超过 {PUBLIC_TEXT_MAX} 字 [public_text]"
    elif public and kind not in LABEL_ONLY_KINDS and (problem := private_in_public_text(public_text)):
        errors["public_text"] = (
            f"公开说明会显示在门牌二维码页面上，不能含{problem}。请写在「帮扶内容」里，或不勾选公开 [public_text]"
        )
    if errors:
        raise ValidationError(errors)
    return {
        "date": date,
        "kind": kind,
        "content": content,
        "value_fen": value_fen,
        "public": bool(public),
        "public_text": public_text,
    }


def _snapshot(record: HelpRecord) -> dict[str, Any]:
    return {
        "household": record.household_id,
        "date": record.date.isoformat(),
        "kind": record.kind,
        "content": record.content,
        "value_fen": record.value_fen,
        "public": record.public,
        "public_text": record.public_text,
    }


def _audit_add(actor: Actor, record: HelpRecord, household: Household, *, photo: int | None = None) -> None:
    after = {**_snapshot(record), "household_no": household.household_no}
    if photo is not None:
        after["photo_attachment"] = photo
    record_audit(
        actor,
        "assistance.add_help_record",
        object_type="HelpRecord",
        object_id=record.pk,
        region_code=household.village.code,
        after=after,
    )


class HelpRecordFields(TypedDict):
    """The keyword arguments of :func:`add_help_record` and :func:`add_help_record_once`."""

    date: dt.date
    kind: str
    content: str
    value_fen: NotRequired[int | None]  # None: no money value
    public: NotRequired[bool]  # True by default
    public_text: NotRequired[str]  # "" by default


def add_help_record(actor: Actor, household: Household, **fields: Unpack[HelpRecordFields]) -> HelpRecord:
    """录入帮扶记录 for ``household``: refused (Chinese PermissionDenied / ValidationError) and nothing written
    when the actor may not write for it, the household is closed, or a field is wrong."""
    return add_help_record_once(actor, household, None, **fields)[0]


def new_form_token() -> str:
    """A one-time token for one rendering of the 帮扶记录 form (see :func:`add_help_record_once`)."""
    return uuid.uuid4().hex


def form_token_or_none(value: object) -> str | None:
    """The posted token when it is one :func:`new_form_token` makes, else None (no replay protection)."""
    return value if isinstance(value, str) and FORM_TOKEN.fullmatch(value) else None


def add_help_record_once(
    actor: Actor,
    household: Household,
    form_token: str | None,
    photo: IO[bytes] | None = None,
    photo_name: str = "",
    **fields: Unpack[HelpRecordFields],
) -> tuple[HelpRecord, bool]:
    """:func:`add_help_record`, once per ``form_token``: (the record, True) when written now; (the record
    already saved from that form, False) when the same rendered form is posted again — a double click, a
    resend, or concurrent requests — and nothing is written. The token is unique in the table, so
    concurrent posts that slip past the lookup still write one record.

    ``photo``: the 走访照片 taken with the record, stored as the household's attachment (its own checks and
    audit row, :func:`registry.attachments.add_attachment`) and linked to the record (:class:`HelpPhoto`) in
    the same transaction; the record's audit row names it. A refused photo writes neither."""
    with transaction.atomic():
        # The check reads the household as locked now, not as the caller loaded it: a 帮扶责任人 reassigned
        # in between must not still be able to write. The lock also queues posts of the same form.
        household = _locked_household(household.pk)
        check_writer(actor, household)
        if form_token is not None and (saved := _saved_from(form_token, household)) is not None:
            return saved, False
        if not household.active:
            raise ValidationError({"household": f"户 {household.household_no} 已销户，不能再录入帮扶记录 [household]"})
        cleaned = _validated(household, **fields, today=workday.today())
        try:
            with transaction.atomic():  # a savepoint: a concurrent post of the same token loses here
                record = HelpRecord.objects.create(
                    household=household, cadre=actor.user, cadre_label=actor.label, form_token=form_token, **cleaned
                )
        except IntegrityError:
            if form_token is None or (saved := _saved_from(form_token, household)) is None:
                raise
            return saved, False
        photo_id = None
        if photo is not None:
            kind = AttachmentKind.VISIT_PHOTO
            stored = add_attachment(actor, household, photo, name=photo_name or "走访照片", kind=kind)
            photo_id = HelpPhoto.objects.create(record=record, attachment=stored).attachment_id
        _audit_add(actor, record, household, photo=photo_id)
    return record, True


def _saved_from(form_token: str, household: Household) -> HelpRecord | None:
    saved = HelpRecord.objects.filter(form_token=form_token).first()
    if saved is not None and saved.household_id != household.pk:
        raise ValidationError({"form_token": "该表单已用于其他户，请重新打开页面再录入 [form_token]"})
    return saved


def add_help_records(actor: Actor, rows: Iterable[tuple[Household, Mapping[str, Any]]]) -> int:
    """Many records in one transaction (the demo's load): each checked as :func:`add_help_record` checks it,
    each with its own audit row; all or nothing. ``rows``: (household with its village loaded, fields)."""
    today = workday.today()
    pending: list[tuple[HelpRecord, Household]] = []
    for household, data in rows:
        check_writer(actor, household)
        if not household.active:
            raise ValidationError({"household": f"户 {household.household_no} 已销户，不能再录入帮扶记录 [household]"})
        fields = _validated(
            household,
            date=data["date"],
            kind=data["kind"],
            content=data["content"],
            value_fen=data.get("value_fen"),
            public=data.get("public", True),
            public_text=data.get("public_text", ""),
            today=today,
        )
        pending.append(
            (HelpRecord(household=household, cadre=actor.user, cadre_label=actor.label, **fields), household)
        )
    with transaction.atomic():
        for record, household in pending:
            record.save()
            _audit_add(actor, record, household)
    return len(pending)


def void_help_record(actor: Actor, record: HelpRecord, reason: str) -> HelpRecord:
    """作废 a wrong record (it stays on file, flagged, with the reason); refused when already voided."""
    household = Household.objects.select_related("village").get(pk=record.household_id)
    check_writer(actor, household)  # refuse before looking at the reason: another region learns nothing
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写作废原因 [reason]"})
    if len(reason) > CONTENT_MAX:
        raise ValidationError({"reason": f"作废原因不能超过 {CONTENT_MAX} 字 [reason]"})
    with transaction.atomic():
        household = _locked_household(record.household_id)
        check_writer(actor, household)  # again, as locked: the 帮扶责任人 may have changed meanwhile
        record = HelpRecord.objects.select_for_update().get(pk=record.pk)
        if record.voided_at is not None:
            raise ValidationError(f"该帮扶记录已于 {timezone.localtime(record.voided_at):%Y-%m-%d %H:%M} 作废。")
        record.voided_at = timezone.now()
        record.void_reason = reason
        record.voided_by_label = actor.label
        record.save(update_fields=["voided_at", "void_reason", "voided_by_label"])
        record_audit(
            actor,
            "assistance.void_help_record",
            object_type="HelpRecord",
            object_id=record.pk,
            region_code=household.village.code,
            before=_snapshot(record),
            after={"voided_at": record.voided_at.isoformat(), "void_reason": reason},
            reason=reason,
        )
    return record
