"""Medical pages: stays list, 出院登记 (record a discharge), the stay and its 一站式结算单, import, report, and
慢性病门诊 (certificates and outpatient claims: list and record).

Thin, like the other apps: reads through :mod:`jingzhun.medical.queries` (region scoped: another region's
stay is a 404), writes through :mod:`jingzhun.medical.actions` (county officers; others get 403).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.medical import actions, queries
from jingzhun.medical.importer import COLUMNS, OPTIONAL, import_stays
from jingzhun.medical.models import LINE_FIELDS, Hospital, HospitalLevel, Settlement, Stay
from jingzhun.medical.report_files import report_xlsx
from jingzhun.policy.medical.settle import NAMES_ZH
from jingzhun.policy.money import fen_to_str
from jingzhun.registry.models import Household
from jingzhun.registry.queries import get_household_by_no_for
from jingzhun.registry.uploads import refusal

PAGE_SIZE = 50


def _fen(value: Decimal) -> int:
    return int(value * 100)


MONEY = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": 0,
    "error_messages": {
        "invalid": "请输入金额，例如 10500 或 10500.50",
        "min_value": "金额不能为负数",
        "max_decimal_places": "金额最多两位小数",
        "max_digits": "金额过大",
        "required": "请填写金额",
    },
}
DATE = {
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "input_formats": ["%Y-%m-%d"],
    "error_messages": {"invalid": "日期格式应为 YYYY-MM-DD", "required": "请填写日期"},
}


class StayForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=None, label="患者", empty_label="请选择", error_messages={"required": "请选择患者"}
    )
    hospital = forms.ModelChoiceField(
        queryset=Hospital.objects.all(), label="医院", empty_label="请选择", error_messages={"required": "请选择医院"}
    )
    stay_no = forms.CharField(label="住院号", max_length=40, error_messages={"required": "请填写住院号"})
    admitted = forms.DateField(label="入院日期", **DATE)  # type: ignore[arg-type]
    discharged = forms.DateField(label="出院日期", **DATE)  # type: ignore[arg-type]
    total = forms.DecimalField(label="总费用（元）", **MONEY)  # type: ignore[arg-type]
    in_catalogue = forms.DecimalField(label="目录内费用（元）", help_text="医保目录内的费用，不大于总费用", **MONEY)  # type: ignore[arg-type]
    dibao_or_tekun = forms.BooleanField(
        label="出院时为低保对象或特困人员", required=False, help_text="按民政部门核定的身份（享受医疗救助）"
    )
    diagnosis = forms.CharField(
        label="诊断", max_length=200, required=False, help_text="仅工作人员可见，不会出现在结算单以外的任何公开页面"
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = household.persons.filter(status="active").order_by("pk")  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = lambda p: p.name  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user)


@login_required
def stay_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    stays = (
        queries.stays_for(actor).select_related("person", "household", "hospital").order_by("-discharged", "stay_no")
    )
    year = request.GET.get("year", "")
    if year.isdigit():
        stays = stays.filter(discharged__year=int(year))
    keep = request.GET.copy()
    keep.pop("page", None)
    page = Paginator(stays, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": keep.urlencode(),
        "year": year,
        "can_write": actor.role in actions.WRITER_ROLES,
    }
    return render(request, "medical/stay_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def stay_new(request: HttpRequest, household_no: str) -> HttpResponse:
    actor = _actor(request)
    household = get_household_by_no_for(actor, household_no)
    actions.check_writer(actor, household.village.code)
    form = StayForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = d["person"]
        person.household = household
        data = actions.StayInput(
            stay_no=d["stay_no"],
            person=person,
            hospital=d["hospital"],
            admitted=d["admitted"],
            discharged=d["discharged"],
            total_fen=_fen(d["total"]),
            in_catalogue_fen=_fen(d["in_catalogue"]),
            dibao_or_tekun=d["dibao_or_tekun"],
            diagnosis=d["diagnosis"],
        )
        try:
            stay = actions.record_stay(actor, data, today=workday.today())
        except actions.StayInputError as exc:
            for key, message in exc.errors.items():
                field = {"total": "total", "in_catalogue": "in_catalogue"}.get(key, key)
                form.add_error(field if field in form.fields else None, message.rsplit(" [", 1)[0])
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记住院 {stay.stay_no} 并完成一站式结算。")
            return redirect("medical:stay", stay_no=stay.stay_no)
    context = {
        "household": household,
        "form": form,
        "registered_poor": household.registered_year is not None,
        "back": reverse("registry:detail", args=[household.pk]) + "#medical",
    }
    return render(request, "medical/stay_form.html", context)


def _stay(actor: Actor, stay_no: str) -> Stay:
    stay = (
        queries.stays_for(actor)
        .select_related("person", "household__village__parent", "hospital")
        .filter(stay_no=stay_no)
        .first()
    )
    if stay is None:
        raise Http404("未找到该住院记录")
    return stay


def _lines(settlement: Settlement) -> list[dict[str, Any]]:
    texts = settlement.explain.get("lines", {})
    return [
        {"name": NAMES_ZH[line], "fen": getattr(settlement, f"{line}_fen"), "text": texts.get(line, "")}
        for line in settlement.order or LINE_FIELDS
    ]


@login_required
def stay_detail(request: HttpRequest, stay_no: str) -> HttpResponse:
    actor = _actor(request)
    stay = _stay(actor, stay_no)
    history = list(stay.settlements.order_by("seq"))
    current = history[-1] if history else None
    context = {
        "stay": stay,
        "current": current,
        "lines": _lines(current) if current else [],
        "history": history,
        "back": reverse("registry:detail", args=[stay.household_id]) + "#medical",
    }
    return render(request, "medical/stay_detail.html", context)


@login_required
def stay_slip(request: HttpRequest, stay_no: str) -> HttpResponse:
    """一站式结算单 for the patient (printable): the current settlement of the stay."""
    actor = _actor(request)
    stay = _stay(actor, stay_no)
    current = queries.current_for(stay)
    if current is None:
        raise Http404("该住院尚未结算")
    paid = sum(current.amounts().values())
    context = {
        "stay": stay,
        "current": current,
        "lines": _lines(current),
        "paid_fen": paid,
        "printed_at": timezone.localtime(),
    }
    return render(request, "medical/slip.html", context)


class ImportForm(forms.Form):
    file = forms.FileField(label="医院结算导出文件（.xlsx 或 .csv）", error_messages={"required": "请选择文件"})
    dry_run = forms.BooleanField(label="只检查，不导入", required=False)


@login_required
@require_http_methods(["GET", "POST"])
def stay_import(request: HttpRequest) -> HttpResponse:
    """Upload through the site's one upload handler (registry.uploads: stops at the import size limit)."""
    actor = _actor(request)
    actions.check_writer(actor, actor.scope or "14")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST":
        problem = refusal(request)
        if problem:
            form.add_error("file", problem)
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"upload{suffix}"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                result = import_stays(actor, path, dry_run=form.cleaned_data["dry_run"], today=workday.today())
            if not result.errors and not form.cleaned_data["dry_run"]:
                messages.success(
                    request,
                    f"已导入 {result.recorded} 条住院记录（已登记而跳过 {result.skipped} 条），"
                    f"结算 {result.settlements} 条，调整 {result.adjustments} 条。",
                )
                return redirect("medical:stays")
    context = {"form": form, "result": result, "columns": COLUMNS + OPTIONAL}
    return render(request, "medical/import.html", context)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2016 <= int(year_text) <= 2100 else _latest_year(actor)
    built = queries.build_report(actor, year)
    if request.GET.get("format") == "xlsx":
        tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115 — FileResponse closes it
        tmp.close()
        report_xlsx(built, Path(tmp.name), f"{year} 年住院一站式结算通报")
        response = FileResponse(open(tmp.name, "rb"), as_attachment=True, filename=f"medical-{year}.xlsx")  # noqa: SIM115
        Path(tmp.name).unlink()
        return response
    context = {"report": built, "year": year, "lines": [NAMES_ZH[line] for line in LINE_FIELDS]}
    return render(request, "medical/report.html", context)


def _latest_year(actor: Actor) -> int:
    latest = queries.stays_for(actor).order_by("-discharged").values_list("discharged", flat=True).first()
    return latest.year if latest else dt.date.today().year


class HospitalForm(forms.Form):
    name = forms.CharField(label="医院名称", max_length=100)
    level = forms.ChoiceField(label="医院级别", choices=HospitalLevel.choices)
    county = forms.CharField(label="所在县（区）代码", max_length=6, required=False, help_text="省外医院可不填")


@login_required
@require_http_methods(["GET", "POST"])
def hospitals(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    can_write = actor.role in actions.WRITER_ROLES
    form = HospitalForm(request.POST or None) if can_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您的角色不能登记医院。")
        if form.is_valid():
            try:
                actions.add_hospital(actor, **form.cleaned_data)
            except actions.StayInputError as exc:
                for key, message in exc.errors.items():
                    form.add_error(key if key in form.fields else None, message.rsplit(" [", 1)[0])
            else:
                messages.success(request, f"已登记医院 {form.cleaned_data['name']}。")
                return redirect("medical:hospitals")
    return render(request, "medical/hospitals.html", {"hospitals": Hospital.objects.all(), "form": form})


def household_stays(actor: Actor, household: Household) -> list[dict[str, Any]]:
    """The household page panel's rows (staff): latest stays with their current settlement."""
    stays = list(
        Stay.objects.filter(household=household)
        .select_related("person", "hospital")
        .order_by("-discharged", "stay_no")[:20]
    )
    current = {s.stay_id: s for s in queries.current_settlements().filter(stay__in=stays)}
    return [{"stay": s, "settlement": current.get(s.pk)} for s in stays]


# 慢性病门诊: certificates (认定) and outpatient claims (报销) ---------------------------------------------------


class CertifyForm(forms.Form):
    id_number = forms.CharField(
        label="患者身份证号", max_length=18, min_length=18, error_messages={"required": "请填写身份证号",
                                                                          "min_length": "身份证号应为 18 位"}
    )  # fmt: skip
    disease = forms.CharField(
        label="病种代码",
        max_length=16,
        help_text="省定 43 种（L01–L43）或新增 75 种（A01–A75）目录的代码；仅工作人员可见",
        error_messages={"required": "请填写病种代码"},
    )
    certified_on = forms.DateField(label="认定日期", **DATE)  # type: ignore[arg-type]


class ChronicClaimForm(forms.Form):
    claim_no = forms.CharField(label="单据号", max_length=40, error_messages={"required": "请填写单据号"})
    date = forms.DateField(label="就诊日期", **DATE)  # type: ignore[arg-type]
    in_catalogue = forms.DecimalField(label="目录内费用（元）", **MONEY)  # type: ignore[arg-type]


def _refused(form: forms.Form, exc: actions.StayInputError) -> None:
    for key, message in exc.errors.items():
        form.add_error(key if key in form.fields else None, message.rsplit(" [", 1)[0])


@login_required
@require_http_methods(["GET", "POST"])
def chronic(request: HttpRequest) -> HttpResponse:
    """The 慢性病门诊 certificates of the actor's region; county officers certify a patient here."""
    actor = _actor(request)
    can_write = actor.role in actions.WRITER_ROLES
    form = CertifyForm(request.POST or None) if can_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有县级干部可以办理慢性病门诊认定。")
        if form.is_valid():
            d = form.cleaned_data
            person = (
                _persons_for(actor)
                .filter(id_number=d["id_number"].strip().upper())
                .select_related("household__village")
                .first()
            )
            if person is None:
                form.add_error("id_number", "您的工作区域内没有该身份证号的人员")
            else:
                try:
                    cert = actions.certify_chronic(actor, person, disease=d["disease"], certified_on=d["certified_on"])
                except actions.StayInputError as exc:
                    _refused(form, exc)
                except PermissionDenied as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, f"已登记 {person.name} 的慢性病门诊认定（{cert.disease}）。")
                    return redirect("medical:chronic")
    certificates = (
        queries.certificates_for(actor)
        .select_related("person__household")
        .annotate(claim_count=Count("claims"))
        .order_by("-certified_on", "pk")
    )
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": "", "form": form, "can_write": can_write}
    return render(request, "medical/chronic.html", context)


def _persons_for(actor: Actor) -> Any:
    from jingzhun.registry.models import Person
    from jingzhun.registry.queries import households_for

    return Person.objects.filter(household__in=households_for(actor))


@login_required
@require_http_methods(["GET", "POST"])
def chronic_claim_new(request: HttpRequest, pk: int) -> HttpResponse:
    """登记慢性病门诊报销 for one certificate: 基本医保 pays the default rate (the 一保通 supplement follows)."""
    actor = _actor(request)
    cert = queries.certificates_for(actor).select_related("person__household__village").filter(pk=pk).first()
    if cert is None:
        raise Http404("未找到该慢性病门诊认定")
    actions.check_writer(actor, cert.person.household.village.code)
    form = ChronicClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            claim = actions.record_chronic_claim(
                actor, cert, claim_no=d["claim_no"], date=d["date"], in_catalogue_fen=_fen(d["in_catalogue"])
            )
        except actions.StayInputError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"已登记报销 {claim.claim_no}：基本医保报销 {fen_to_str(claim.paid_fen)} 元。")
            return redirect("medical:chronic_claims")
    return render(request, "medical/chronic_claim_form.html", {"cert": cert, "form": form})


@login_required
def chronic_claims(request: HttpRequest) -> HttpResponse:
    """The 慢性病门诊 outpatient claims of the actor's region, latest first (filter by year)."""
    actor = _actor(request)
    claims = queries.chronic_claims_for(actor).select_related("certificate__person__household")
    year = request.GET.get("year", "")
    if year.isdigit():
        claims = claims.filter(date__year=int(year))
    keep = request.GET.copy()
    keep.pop("page", None)
    page = Paginator(claims.order_by("-date", "claim_no"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "medical/chronic_claims.html", {"page": page, "query": keep.urlencode(), "year": year})
