"""帮扶记录 pages: add a record to a household, void a wrong one.

Thin, like the registry's change pages: the household is read through the registry's scoped lookup first,
so a household outside the user's region — or, for a 帮扶 cadre, one not assigned to them — is a 404
before anything else; then the writer check of :mod:`jingzhun.helping.actions` (auditors 403).
Every write is that module's action; its Chinese refusal is shown on the form and nothing is written.
The records themselves are listed on the household page by ``helping/_help_section.html``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.templatetags.staff import yuan
from jingzhun.helping.actions import (
    CONTENT_MAX,
    PUBLIC_TEXT_MAX,
    add_help_record_once,
    check_writer,
    earliest_date,
    form_token_or_none,
    new_form_token,
    void_help_record,
)
from jingzhun.helping.models import HelpKind, HelpRecord
from jingzhun.helping.queries import help_records_for
from jingzhun.policy.money import decimal_to_fen as to_fen
from jingzhun.registry.forms import apply_errors
from jingzhun.registry.models import Household
from jingzhun.registry.queries import get_household_by_no_for, households_for


def same_day(household: Household, date: dt.date, kind: str) -> bool:
    return HelpRecord.objects.filter(household=household, date=date, kind=kind, voided_at__isnull=True).exists()


RECENT = 5  # the household's latest records, shown under the form so a cadre does not enter one twice


class HelpForm(forms.Form):
    date = forms.DateField(
        label="帮扶日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text="例如 2020-05-01；不能晚于今天，不能早于该户建档立卡年份",
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD，例如 2020-05-01", "required": "请填写帮扶日期"},
    )
    kind = forms.ChoiceField(
        label="帮扶类别",
        choices=[("", "请选择"), *HelpKind.choices],
        error_messages={"required": "请选择帮扶类别", "invalid_choice": "请选择列出的帮扶类别"},
    )
    content = forms.CharField(
        label="帮扶内容",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="做了什么、谁参加、户里的情况和诉求（仅工作人员可见，不会公开）",
        error_messages={"required": "请填写帮扶内容", "max_length": f"帮扶内容不能超过 {CONTENT_MAX} 字"},
    )
    value = forms.DecimalField(
        label="折合金额（元）",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="发放的现金或实物折价，可不填",
        error_messages={
            "invalid": "请输入金额，例如 300 或 300.50",
            "min_value": "金额不能为负数",
            "max_decimal_places": "金额最多两位小数",
            "max_digits": "金额过大",
        },
    )
    public = forms.BooleanField(label="在一码清公开页面显示此项帮扶措施", required=False, initial=True)
    public_text = forms.CharField(
        label="公开说明",
        required=False,
        max_length=PUBLIC_TEXT_MAX,
        help_text=f"简短一句，例如“发放核桃苗 200 株”“安排护林员公益岗位”（不超过 {PUBLIC_TEXT_MAX} 字；"
        "不填则只显示帮扶类别；健康帮扶在公开页面只显示“健康帮扶”；不要写病情、收入等隐私）",
        error_messages={"max_length": f"公开说明不能超过 {PUBLIC_TEXT_MAX} 字"},
    )

    photo = forms.FileField(
        label="走访照片",
        required=False,
        help_text="可拍照上传作为走访凭证（JPG 或 PNG，不超过 5 MB；只有工作人员可见，不会公开）",
    )
    confirm_duplicate = forms.BooleanField(label="同一天已有同类帮扶记录，仍然保存", required=False)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.household = household
        self._browser_checks()

    def _browser_checks(self) -> None:
        """The checks ``helping/help_form.js`` makes on the phone before sending, in the server's words."""
        today, earliest = workday.today(), earliest_date(self.household)
        for field in self.fields.values():
            if field.required and (message := field.error_messages.get("required")):
                field.widget.attrs["data-msg-required"] = message
        self.fields["date"].widget.attrs.update(
            {
                "min": earliest.isoformat(),
                "max": today.isoformat(),
                "data-msg-min": f"帮扶日期不能早于 {earliest.isoformat()}（该户建档立卡年份的 1 月 1 日）",
                "data-msg-max": f"帮扶日期不能晚于今天（{today.isoformat()}）",
            }
        )
        value = self.fields["value"]
        value.widget.attrs["data-pattern"] = r"\d{1,10}(\.\d{1,2})?"
        value.widget.attrs["data-msg-pattern"] = value.error_messages["invalid"]

    def clean_date(self) -> dt.date:
        """The action checks the date again; checked here too so every error shows at once."""
        date: dt.date = self.cleaned_data["date"]
        today, earliest = workday.today(), earliest_date(self.household)
        if date > today:
            raise ValidationError(f"帮扶日期不能晚于今天（{today.isoformat()}）")
        if date < earliest:
            raise ValidationError(f"帮扶日期不能早于 {earliest.isoformat()}（该户建档立卡年份的 1 月 1 日）")
        return date

    def clean_photo(self) -> Any:
        from jingzhun.registry.attachments import MAX_BYTES

        photo = self.cleaned_data.get("photo")
        if photo is None:
            return None
        if photo.size > MAX_BYTES:
            raise ValidationError(f"照片超过 {MAX_BYTES // 1024 // 1024} MB，请压缩后上传")
        head = photo.read(8)
        photo.seek(0)
        if not (head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG")):
            raise ValidationError("走访照片须为 JPG 或 PNG 图片")
        return photo

    def duplicate(self) -> str:
        """A second record of the same kind on the same day is asked about, not refused (two visits happen):
        the question, or "" when there is none (or the cadre ticked 仍然保存)."""
        data = self.cleaned_data
        date, kind = data.get("date"), data.get("kind")
        if not date or not kind or data.get("confirm_duplicate") or not same_day(self.household, date, kind):
            return ""
        return (
            f"该户 {date:%Y-%m-%d} 已有一条“{HelpKind(kind).label}”记录，可能重复录入。"
            "确认是另一次帮扶请勾选“同一天已有同类帮扶记录，仍然保存”。"
        )

    def action_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "date": d["date"],
            "kind": d["kind"],
            "content": d["content"],
            "value_fen": to_fen(d["value"]),
            "public": d["public"],
            "public_text": d["public_text"],
        }


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="作废原因",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如“日期录错”“录到了别的户”；原记录保留，标为已作废",
        error_messages={"required": "请填写作废原因", "max_length": f"作废原因不能超过 {CONTENT_MAX} 字"},
    )


def _household_url(household: Household) -> str:
    return reverse("registry:detail", args=[household.pk]) + "#help"


def _to_household(household: Household) -> HttpResponseRedirect:
    return redirect(_household_url(household))


@login_required
@require_http_methods(["GET", "POST"])
def help_new(request: HttpRequest, household_no: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    household = get_household_by_no_for(actor, household_no)  # 404 outside the scope: no probing
    check_writer(actor, household)  # 403 for auditors
    if not household.active:
        messages.error(request, f"户 {household.household_no} 已销户，不能再录入帮扶记录。")
        return _to_household(household)
    initial: dict[str, Any] = {"date": workday.today(), "public": True}
    if request.GET.get("kind") in HelpKind.values:
        initial["kind"] = request.GET["kind"]
    form = HelpForm(request.POST or None, request.FILES or None, initial=initial, household=household)
    # one token per rendered form: posting the same form again (double click, resend) writes once
    token = form_token_or_none(request.POST.get("form_token")) if request.method == "POST" else None
    posted_before = token is not None and HelpRecord.objects.filter(form_token=token).exists()
    if request.method == "POST" and form.is_valid() and not posted_before and (question := form.duplicate()):
        form.add_error(None, question)
    elif request.method == "POST" and form.is_valid():
        try:
            photo = form.cleaned_data.get("photo")
            record, created = add_help_record_once(
                actor, household, token, photo, photo.name if photo else "", **form.action_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            money = f"，折合 {yuan(record.value_fen)} 元" if record.value_fen is not None else ""
            what = f"{record.date:%Y-%m-%d} {record.get_kind_display()}{money}"
            if created:
                messages.success(request, f"已为户 {household.household_no} 录入帮扶记录：{what}。")
            else:
                messages.info(request, f"该表单已经提交过，帮扶记录已保存（{what}），没有重复录入。")
            return _to_household(household)
    context = {
        "form_token": token or new_form_token(),
        "household": household,
        "form": form,
        "title": "添加帮扶记录",
        "submit": "保存帮扶记录",
        "back": _household_url(household),
        "recent": list(help_records_for(household)[:RECENT]),
        "today_already": request.method == "GET" and same_day(household, workday.today(), initial.get("kind", "")),
    }
    return render(request, "helping/help_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def help_void(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    record = (
        HelpRecord.objects.filter(pk=pk, household__in=households_for(actor))
        .select_related("household__village")
        .first()
    )
    if record is None:
        raise Http404("未找到该帮扶记录")
    household = record.household
    check_writer(actor, household)
    if record.voided:
        messages.info(request, f"该帮扶记录已于 {timezone.localtime(record.voided_at):%Y-%m-%d} 作废。")
        return _to_household(household)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            void_help_record(actor, record, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"已作废户 {household.household_no} 的帮扶记录（{record.date:%Y-%m-%d} {record.get_kind_display()}）。",
            )
            return _to_household(household)
    context = {
        "household": household,
        "form": form,
        "title": "作废帮扶记录",
        "submit": "确认作废",
        "back": _household_url(household),
        "record": record,
    }
    return render(request, "helping/help_form.html", context)


@login_required
def help_export(request: HttpRequest, household_no: str) -> HttpResponse:
    """导出Excel of the household's 帮扶记录 (all of them, voided ones marked), as the household page lists them."""
    from jingzhun.core import list_export

    actor = Actor.for_user(request.user)
    household = get_household_by_no_for(actor, household_no)
    rows = help_records_for(household)
    total = rows.count()
    headers = ("户编号", "日期", "帮扶类别", "帮扶内容", "折合金额（元）", "一码清公开", "录入人", "作废原因")
    out = [
        (
            household.household_no,
            f"{r.date:%Y-%m-%d}",
            r.get_kind_display() + ("（已作废）" if r.voided else ""),
            r.content,
            list_export.yuan(r.value_fen),
            "—" if r.voided else (r.shown_publicly if r.public else "不公开"),
            r.cadre_label,
            r.void_reason if r.voided else "",
        )
        for r in list_export.capped(rows, total)
    ]
    filters = [f"户编号：{household.household_no}"]
    export = list_export.Export("帮扶记录", filters, headers, out, total, household.village.code)
    return list_export.response(actor, export)
