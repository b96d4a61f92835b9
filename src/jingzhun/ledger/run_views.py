"""月度发放 (month run) page: choose a month, preview it (dry run), run it, read the run's report.

County officers only (and the administrator, for any county): the run writes the county's ledger.
Auditors (read-only) may read the list of runs, each run's report and its 月通报 files within their
region — the same ``region_prefix`` check — but see no preview/run form and start no job.
Preview and run are background jobs (``ledger.tasks``) — a county's month takes seconds to minutes —
and both go through ``ledger.runs.run_month``: the preview with ``dry_run=True``, so what the officer
confirms is what the run computes. A run is idempotent; running an unchanged month adds nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from jingzhun.core import jobs
from jingzhun.core.actions import Actor, create_job
from jingzhun.core.models import READ_ONLY_ROLES, BackgroundJob, JobKind, Role
from jingzhun.ledger.entitlements import current_month
from jingzhun.ledger.models import MonthRun
from jingzhun.ledger.tasks import month_run_job
from jingzhun.registry.models import Region

RUN_ROLES = frozenset({Role.COUNTY_OFFICER, Role.ADMIN})
READ_ROLES = RUN_ROLES | READ_ONLY_ROLES
RUN_KINDS = (JobKind.MONTH_PREVIEW, JobKind.MONTH_RUN)


def _officer(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    if actor.role not in RUN_ROLES:
        raise PermissionDenied("月度发放仅限县级民政/扶贫办经办人员办理。")
    return actor


def _reader(request: HttpRequest) -> Actor:
    """Who may read runs and reports: the officers who run them, and auditors (read-only)."""
    actor = Actor.for_user(request.user)
    if actor.role not in READ_ROLES:
        raise PermissionDenied("月度发放仅限县级民政/扶贫办经办人员办理；审计人员可查看发放报告。")
    return actor


def _counties(actor: Actor) -> list[Region]:
    return list(Region.objects.filter(level="county", code__startswith=actor.scope).order_by("code"))


def _valid_month(text: str) -> str:
    """``text`` when it is a month that may be run; ``ValueError`` with a Chinese message otherwise.

    The range is the ledger's own (``assistance.run_months.check_run_month``: not before 2014-01, not after next
    month), so the form refuses what ``run_month`` would refuse, before any job is queued.
    """
    from django.core.exceptions import ValidationError

    from jingzhun.assistance.run_months import check_run_month
    from jingzhun.policy.document import parse_month_or_none

    first = parse_month_or_none(text)
    if first is None:
        raise ValueError(f"发放月份应为 YYYY-MM（如 2020-06），得到「{text}」。")
    try:
        check_run_month(first)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None
    return text


@login_required
@require_http_methods(["GET", "POST"])
def month_run(request: HttpRequest) -> HttpResponse:
    actor = _officer(request) if request.method == "POST" else _reader(request)
    can_run = actor.role in RUN_ROLES
    counties = _counties(actor)
    error = ""
    month = request.POST.get("month") or request.GET.get("month") or current_month()
    county = request.POST.get("county") or (actor.scope if len(actor.scope) == 6 else "")
    if request.method == "POST":
        try:
            month = _valid_month(month)
        except ValueError as exc:
            error = str(exc)
        if not error and county not in {c.code for c in counties}:
            error = "请选择要发放的县（区、市）。"
        if not error:
            kind = JobKind.MONTH_RUN if request.POST.get("action") == "run" else JobKind.MONTH_PREVIEW
            job = create_job(actor, kind, region_prefix=county, params={"month": month})
            jobs.start(month_run_job, job)
            return redirect("runs:job", job_id=job.pk)
    jobs.sweep_stale(BackgroundJob.objects.filter(owner=request.user, kind__in=RUN_KINDS))
    context = {
        "month": month,
        "month_range": _month_range(),
        "county": county,
        "counties": counties,
        "error": error,
        "can_run": can_run,
        "runs": _recent_runs(actor),
        "recent": BackgroundJob.objects.filter(owner=request.user, kind__in=RUN_KINDS)[:10] if can_run else [],
    }
    return render(request, "ledger/runs/month_run.html", context)


def _month_range() -> tuple[str, str]:
    """The first and last month the form accepts (YYYY-MM), for the month input's ``min``/``max``."""
    from jingzhun.assistance.run_months import FIRST_RUN_MONTH, latest_run_month

    return f"{FIRST_RUN_MONTH:%Y-%m}", f"{latest_run_month():%Y-%m}"


def _recent_runs(actor: Actor) -> list[Any]:

    return list(MonthRun.objects.filter(region_prefix__startswith=actor.scope).order_by("-id")[:12])


def _own_job(request: HttpRequest, job_id: int) -> BackgroundJob:
    """The user's own month-run job, still inside their region (a user moved to another township since
    no longer reads it); a running one whose worker died is marked failed first."""
    mine = BackgroundJob.objects.filter(pk=job_id, owner=request.user, kind__in=RUN_KINDS)
    jobs.sweep_stale(mine)
    job = mine.first()
    if job is None or not Actor.for_user(request.user).can_see(job.region_prefix):
        raise Http404("未找到该任务")
    return job


@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    _officer(request)
    job = _own_job(request, job_id)
    region = Region.objects.filter(code=job.region_prefix).first()
    context = {
        "job": job,
        "result": job.result or {},
        "region": region,
        "status_url": reverse("runs:job_status", args=[job.pk]),
    }
    return render(request, "ledger/runs/month_job.html", context)


@login_required
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    _officer(request)
    return JsonResponse(jobs.status_json(_own_job(request, job_id)))


@login_required
def job_errors(request: HttpRequest, job_id: int) -> HttpResponse:
    """Every household the job's month could not compute, as CSV (户编号, 村（社区）, 原因) for Excel.

    The job keeps only the run's first 20; this recomputes the month for the job's county from the current
    data (``ledger.inputs.load_inputs`` + ``compute_month``, nothing written), so the file says so.
    """
    import csv
    import io

    from jingzhun.assistance.queries import first_of_month
    from jingzhun.core.spreadsheet_text import csv_row
    from jingzhun.ledger.compute import compute_month
    from jingzhun.ledger.inputs import load_inputs
    from jingzhun.policy.explain import error_text
    from jingzhun.registry.models import Household

    _officer(request)
    job = _own_job(request, job_id)
    if not job.finished or not (job.result or {}).get("changes", {}).get("error_households"):
        raise Http404("该任务没有无法计算的户")
    month = str(job.params["month"])
    errors = compute_month(load_inputs(first_of_month(month), job.region_prefix)).errors
    numbers = sorted(set(errors["household_id"].to_list()))
    villages = dict(Household.objects.filter(household_no__in=numbers).values_list("household_no", "village__name"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"{month} 无法计算的户（按下载时的数据重新计算）", "", ""])
    writer.writerow(["户编号", "村（社区）", "原因"])
    for household, message in errors.sort("household_id").iter_rows():
        writer.writerow(csv_row([household, villages.get(household, ""), error_text(str(message))]))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"无法计算的户-{job.region_prefix}-{month}.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def run_report(request: HttpRequest, run_id: int) -> HttpResponse:
    actor = _reader(request)
    from jingzhun.ledger.queries import month_totals
    from jingzhun.policy.vocabulary import PROGRAM_NAMES

    run = MonthRun.objects.filter(pk=run_id, region_prefix__startswith=actor.scope).first()
    if run is None:
        raise Http404("未找到该次发放")
    region = Region.objects.filter(code=run.region_prefix).first()
    if request.GET.get("format") == "xlsx":
        from jingzhun.core import list_export
        from jingzhun.ledger.list_export import month_lines

        program = request.GET.get("program", "")
        program = program if program in PROGRAM_NAMES else ""
        name = region.name if region else ""
        return list_export.response(actor, month_lines(actor, run.month, run.region_prefix, name, program))
    from jingzhun.ledger.report import build_report
    from jingzhun.ledger.report_words import summary

    totals = month_totals(run.month, run.region_prefix)
    context = {
        "summary": summary(build_report(run.month, run.region_prefix)),
        "run": run,
        "region": region,
        "by_program": [(PROGRAM_NAMES.get(p, p), fen) for p, fen in run.by_program.items()],
        "totals": totals,
        "total_programs": [(PROGRAM_NAMES.get(p, p), fen) for p, fen in totals.by_program.items()],
        "export_programs": [(p, PROGRAM_NAMES.get(p, p)) for p in totals.by_program],
        "batches": bank_batches(run),
        "can_pay": actor.role in RUN_ROLES,
    }
    return render(request, "ledger/runs/run_report.html", context)


def _name(request: HttpRequest) -> str:
    """The staff member's own name (工作人员 record), else the login: the 月通报's 制表人."""
    staff = getattr(request.user, "staff", None)
    return str(getattr(staff, "name", "") or request.user.get_username())


@login_required
def run_report_file(request: HttpRequest, run_id: int, fmt: str) -> FileResponse:
    """月通报 of the run's month and scope as a file (the ledger's own report builder), XLSX or PDF."""
    actor = _reader(request)
    from jingzhun.ledger.report import build_report
    from jingzhun.ledger.report_files import report_pdf, report_xlsx

    run = MonthRun.objects.filter(pk=run_id, region_prefix__startswith=actor.scope).first()
    if run is None or fmt not in ("xlsx", "pdf"):
        raise Http404("未找到该次发放")
    from jingzhun.ledger.report_words import signature

    report = build_report(run.month, run.region_prefix)
    sign = signature(report, prepared_by=_name(request), reviewer=request.GET.get("reviewer", "")[:20])
    folder = Path(tempfile.mkdtemp(prefix="jingzhun-report-"))
    path = folder / f"月通报-{run.region_prefix or '全部'}-{run.month:%Y-%m}.{fmt}"
    (report_xlsx if fmt == "xlsx" else report_pdf)(report, path, sign)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    path.unlink()  # the open handle keeps the bytes until the response is sent (POSIX)
    folder.rmdir()
    return response


# 银行代发 on the run's page: 生成代发文件 (batch + references, nothing marked), 下载 (one file per bank, the
# download audited), 确认已报盘 (the lines become sent), and the bank's 回盘 files (成功 / 退回) uploaded.


def _run_for(actor: Actor, run_id: int) -> MonthRun:
    run = MonthRun.objects.filter(pk=run_id, region_prefix__startswith=actor.scope).first()
    if run is None:
        raise Http404("未找到该次发放")
    return run


def _batch_for(run: MonthRun, batch_id: int) -> Any:
    from jingzhun.ledger.models import BankBatch

    batch = BankBatch.objects.filter(pk=batch_id, month=run.month, region_prefix=run.region_prefix).first()
    if batch is None:
        raise Http404("未找到该代发文件")
    return batch


def bank_batches(run: MonthRun) -> list[tuple[Any, bool]]:
    """The month's bank files for the run's region, newest first, each with whether it was confirmed sent."""
    from jingzhun.ledger.models import BankBatch, BankStatus, PaymentStatusEvent

    batches = list(BankBatch.objects.filter(month=run.month, region_prefix=run.region_prefix).order_by("-id")[:20])
    sent = set(
        PaymentStatusEvent.objects.filter(batch__in=batches, status=BankStatus.SENT).values_list("batch_id", flat=True)
    )
    return [(b, b.pk in sent) for b in batches]


def _back(run: MonthRun) -> HttpResponse:
    return redirect(reverse("runs:run_report", args=[run.pk]) + "#bank")


@login_required
@require_http_methods(["POST"])
def bank_generate(request: HttpRequest, run_id: int) -> HttpResponse:
    from django.contrib import messages

    from jingzhun.ledger.actions import create_bank_batch
    from jingzhun.ledger.bankfiles import plan_bank_file
    from jingzhun.policy.money import fen_to_grouped

    actor = _officer(request)
    run = _run_for(actor, run_id)
    plan = plan_bank_file(run.month, run.region_prefix)
    if not plan.rows:
        messages.error(request, f"{run.month:%Y-%m} 没有待发（未报盘）的发放，未生成代发文件。")
        return _back(run)
    batch = create_bank_batch(actor, plan, file_name=f"代发-{run.region_prefix}-{run.month:%Y-%m}.zip")
    note = f"已生成代发文件 #{batch.pk}：{len(plan.rows)} 笔，合计 {fen_to_grouped(plan.total_fen)} 元。"
    messages.success(request, note + "下载后交银行，再点「确认已报盘」；生成文件本身不改变发放状态。")
    return _back(run)


@login_required
def bank_download(request: HttpRequest, run_id: int, batch_id: int) -> HttpResponse:
    from django.core.exceptions import ValidationError

    from jingzhun.ledger.actions import batch_confirmed, batch_plan, record_bank_download
    from jingzhun.ledger.bank_payout import bank_files, bank_zip

    actor = _officer(request)
    run = _run_for(actor, run_id)
    batch = _batch_for(run, batch_id)
    if batch_confirmed(batch):
        raise Http404("该代发文件已确认报盘，请在银行回盘后核对；需重发的退回发放会进入新的代发文件。")
    try:
        plan = batch_plan(batch)
        data, names = bank_zip(plan, batch.pk), [name for name, _ in bank_files(plan, batch.pk)]
    except (ValidationError, ValueError) as exc:
        from django.contrib import messages

        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return _back(run)
    record_bank_download(actor, batch, names)
    response = HttpResponse(data, content_type="application/zip")
    filename = f"代发文件-{run.month:%Y-%m}-批次{batch.pk}.zip"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_http_methods(["POST"])
def bank_confirm(request: HttpRequest, run_id: int, batch_id: int) -> HttpResponse:
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from jingzhun.ledger.actions import confirm_bank_batch

    actor = _officer(request)
    run = _run_for(actor, run_id)
    batch = _batch_for(run, batch_id)
    try:
        count = confirm_bank_batch(actor, batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已确认报盘：代发文件 #{batch.pk}，{count} 条发放记为已报盘。")
    return _back(run)


@login_required
@require_http_methods(["POST"])
def bank_results(request: HttpRequest, run_id: int) -> HttpResponse:
    """The bank's 回盘: 成功 (paid) or 退回 (returned, queued again), all or nothing, every bad row named."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from jingzhun.ledger.bankreturns import import_results
    from jingzhun.policy.money import fen_to_grouped

    actor = _officer(request)
    run = _run_for(actor, run_id)
    upload = request.FILES.get("file")
    kind = request.POST.get("kind", "paid")
    if upload is None or kind not in ("paid", "returned"):
        messages.error(request, "请选择银行回盘文件（.csv 或 .xlsx）和回盘类型。")
        return _back(run)
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        messages.error(request, f"回盘文件须为 .csv 或 .xlsx：{upload.name}")
        return _back(run)
    with tempfile.TemporaryDirectory(prefix="jingzhun-bank-") as folder:
        path = Path(folder) / f"回盘{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            result = import_results(actor, path, default=kind)
        except ValidationError as exc:
            messages.error(request, f"{upload.name}：未写入任何记录。" + "；".join(exc.messages[:20]))
            return _back(run)
    if result.paid_lines:
        messages.success(request, f"已确认到账 {result.paid_lines} 条，合计 {fen_to_grouped(result.paid_fen)} 元。")
    if result.returned_lines:
        messages.success(
            request,
            f"银行退回 {result.returned_lines} 条，合计 {fen_to_grouped(result.returned_fen)} 元，已重新排队待发。",
        )
    return _back(run)


def _may_enter_cpi(actor: Actor) -> bool:
    """Who sees the CPI form: the roles ``set_cpi`` accepts (administrator or a city-level officer)."""
    from jingzhun.ledger.actions.cpi import CITY_PREFIX

    return actor.role in RUN_ROLES and len(actor.scope) <= len(CITY_PREFIX)


@login_required
@require_http_methods(["GET", "POST"])
def cpi(request: HttpRequest) -> HttpResponse:
    """价格指数 (CPI) page: the months entered, and for the city's officer or the administrator a form to enter or
    correct one (``ledger.actions.set_cpi``: one row, one audit row). Before it the CPI could only be entered with
    ``jingzhun ledger cpi set``, so the month run's "本月CPI未录入" warning sent a county officer to a shell.
    Readers are the month run's readers (county officers see what was entered; auditors read)."""
    from django.core.exceptions import ValidationError

    from jingzhun.core import workday
    from jingzhun.ledger.actions.cpi import set_cpi
    from jingzhun.ledger.queries import cpi_entries

    actor = _reader(request)
    may_enter = _may_enter_cpi(actor)
    form = {"month": f"{workday.today():%Y-%m}", "all_items": "", "food": "", "source": ""}
    error, status = "", 200
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied("价格指数按市统一录入：请由市级经办人员或系统管理员录入。")
        form = {key: request.POST.get(key, "").strip() for key in form}
        try:
            month = _cpi_month(form["month"])
            entry = set_cpi(actor, month, all_items=form["all_items"], food=form["food"], source=form["source"])
        except (ValidationError, ValueError) as exc:
            error = "；".join(getattr(exc, "messages", None) or [str(exc)])
            status = 400
        else:
            return redirect(f"{reverse('runs:cpi')}?saved={entry.month:%Y-%m}")
    context = {
        "entries": list(reversed(cpi_entries())),
        "may_enter": may_enter,
        "form": form,
        "error": error,
        "saved": request.GET.get("saved", ""),
    }
    return render(request, "ledger/runs/cpi.html", context, status=status)


def _cpi_month(text: str) -> Any:
    import datetime as dt

    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise ValueError(f"月份 [month]：应为 YYYY-MM（如 2020-07），得到 {text!r}") from None
