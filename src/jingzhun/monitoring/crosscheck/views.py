"""数据比对 pages: 疑点 per village and their verification, list upload and run (background jobs), and the
低保名册 ↔ 建档立卡 comparison.

Reads are region-scoped (:mod:`.queries`; a 疑点 outside the actor's region is a 404), every write goes
through :mod:`.actions` (a refusal is a 403 with the Chinese reason, a bad entry a message on the page).
ID numbers are masked except on the detail page for roles that may see them whole (registry rule).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_http_methods, require_POST

from jingzhun.core import jobs, list_export
from jingzhun.core.actions import Actor, create_job
from jingzhun.core.models import BackgroundJob, JobKind
from jingzhun.core.text import without_key
from jingzhun.monitoring import list_export as exports
from jingzhun.monitoring.crosscheck import actions, queries
from jingzhun.monitoring.crosscheck.sources import (
    DISQUALIFIED_LABELS,
    DISQUALIFY,
    HIT_MEANS,
    SHORT,
    SOURCES,
    TASKS,
    exemption_label,
    exemptions_for,
)
from jingzhun.monitoring.models.crosscheck import Ambiguity, AmbiguityState, SuspectState
from jingzhun.registry import limits, uploads
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.queries import can_see_full_id, shown_id

log = logging.getLogger(__name__)
PAGE = 50
UPLOAD_SUFFIXES = (".xlsx", ".csv")
AGREEMENT_LABELS = {
    "id": {"exact": "身份证号一致"},
    "name": {
        "exact": "姓名相同",
        "simplified": "繁简转换后相同",
        "pinyin": "同音（拼音相同）",
        "dropped_char": "少写一个字",
        "jaro_winkler": "拼音相近",
        "different": "不同",
        "blank": "名单未填",
    },
    "birth": {
        "exact": "出生日期相同",
        "day_month_swapped": "日、月颠倒",
        "same_year": "同年出生",
        "different": "不同",
        "blank": "名单未填",
    },
    "village": {
        "same_village": "同村",
        "same_township": "同乡镇",
        "different": "不同",
        "blank": "名单未填村代码",
    },
}
FIELD_LABELS = {"id": "身份证号", "name": "姓名", "birth": "出生日期", "village": "村"}


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """疑点 per village (counts) and the filtered, paginated list."""
    actor = _actor(request)
    state = request.GET.get("state", SuspectState.OPEN)
    source = request.GET.get("source", "")
    village = request.GET.get("village", "")
    rows = queries.suspects_for(actor)
    if state in SuspectState.values:
        rows = rows.filter(state=state)
    if source in TASKS:
        rows = rows.filter(source=source)
    if village.isdigit():
        rows = rows.filter(village_code=village)
    rows = rows.select_related("row__dept_list", "person", "household__village").order_by("village_code", "id")
    if list_export.wants_xlsx(request.GET):
        states = dict(SuspectState.choices)
        words = [
            ("状态", states.get(state, "")),
            ("名单", SHORT.get(source, "")),
            ("村", village if village.isdigit() else ""),
        ]
        filters = list_export.filter_words(words)
        return list_export.response(actor, exports.suspects(actor, rows, filters, SHORT))
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    items = [
        {
            "s": s,
            "source": SHORT[s.source],
            "name": s.person.name,
            "id": mask_id_number(s.person.id_number),
            "percent": f"{float(s.probability) * 100:.1f}",
        }
        for s in page
    ]
    villages = queries.village_counts(actor)
    context = {
        "villages": villages,
        "village_rows": _village_rows(villages),
        "ambiguous": _ambiguous(actor),
        "may_verify": actor.role in actions.VERIFY_ROLES,
        "items": items,
        "page": page,
        "state": state,
        "source": source,
        "village": village,
        "states": SuspectState.choices,
        "sources": [(k, SHORT[k]) for k in TASKS],
        "county": actor.role in actions.COUNTY_ROLES,
    }
    return render(request, "monitoring/crosscheck/index.html", context)


def _village_rows(villages: list[queries.VillageCount]) -> str:
    """The 各村疑点 table's rows, rendered here: a county's 400 villages through a template loop cost ~0.5 s
    (bench/bench_monitor_pages.py); the same cells, escaped the same way."""
    return format_html_join(
        "",
        '\n      <tr><td data-label="乡镇">{}</td><td data-label="村"><a href="?village={}&state=open">{}</a></td>'
        '\n        <td data-label="待核实">{}</td><td data-label="核实属实">{}</td>'
        '<td data-label="核实排除">{}</td></tr>',
        ((v.township, v.code, v.name or v.code, v.open, v.confirmed, v.cleared) for v in villages),
    )


AMBIGUOUS_SHOWN = 200
ROLL_SHOWN = 500  # per list of the 低保名册 comparison


def _ambiguous(actor: Actor) -> dict[str, Any]:
    """Open 待甄别 rows of the actor's region (the first ``AMBIGUOUS_SHOWN``) with their candidates."""
    open_rows = queries.ambiguities_for(actor).filter(state=AmbiguityState.OPEN)
    shown = list(open_rows.select_related("row__dept_list").order_by("id")[:AMBIGUOUS_SHOWN])
    people = {
        a.pk: list(a.candidates.select_related("household__village").order_by("id"))
        for a in Ambiguity.objects.filter(pk__in=[a.pk for a in shown]).prefetch_related("candidates")
    }
    items: list[dict[str, Any]] = []
    chains: dict[str, Any] = {}
    for a in shown:
        candidates = people.get(a.pk, [])
        decider = queries.deciding_region((p.household.village.code for p in candidates), chains)
        items.append(_ambiguous_item(actor, a, candidates, decider))
    return {"items": items, "count": open_rows.count()}


def _ambiguous_item(actor: Actor, a: Ambiguity, candidates: list[Any], decider: Any) -> dict[str, Any]:
    """One 待甄别 row for the page: who decides it (the lowest region covering every candidate) and whether
    this actor may (a village sees a row spanning villages read-only, with a note naming the decider)."""
    return {
        "a": a,
        "decider": decider.name if decider is not None else "",
        "may_decide": decider is not None and actor.can_see(decider.code) and actor.role in actions.VERIFY_ROLES,
        "source": SHORT.get(a.source, a.source),
        "list_id": mask_id_number(a.row.id_number) if a.row.id_number else "（未填）",
        "candidates": [
            {
                "pk": p.pk,
                "name": p.name,
                "id": mask_id_number(p.id_number),
                "birth": p.birth_date,
                "household": p.household,
            }
            for p in candidates
        ],
    }


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """待甄别: pick the person the list row is about (opens a 疑点) or none of them."""
    actor = _actor(request)
    ambiguity = queries.get_ambiguity_for(actor, pk)
    choice = request.POST.get("person", "")
    reason = request.POST.get("reason", "").strip()[:500]
    try:
        if choice == "none":
            actions.resolve_ambiguity(actor, ambiguity, person_id=None, reason=reason)
            messages.success(request, f"已甄别：第{ambiguity.row.row}行均非候选人员。")
        elif choice.isdigit():
            done = actions.resolve_ambiguity(actor, ambiguity, person_id=int(choice), reason=reason)
            who = done.chosen.name if done.chosen else ""
            messages.success(request, f"已甄别：第{ambiguity.row.row}行为{who}，已转为疑点待核实。")
        else:
            messages.error(request, "请选择名单行对应的人员，或“均非本人”。")
    except ValidationError as exc:
        messages.error(request, "未能办理：" + "；".join(without_key(m) for m in exc.messages))
    return redirect(f"{reverse('monitoring:crosscheck')}#ambiguous")


def _agreement(suspect: Any) -> list[tuple[str, str]]:
    out = []
    for key in ("id", "name", "birth", "village"):
        if key in suspect.agreement:
            level = suspect.agreement[key]
            out.append((FIELD_LABELS[key], AGREEMENT_LABELS[key].get(level, level)))
    return out


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The list row beside the registry person, the match probability and what each field agreed on."""
    actor = _actor(request)
    suspect = queries.get_suspect_for(actor, pk)
    row, person = suspect.row, suspect.person
    full = can_see_full_id(actor)
    context = {
        "s": suspect,
        "source_label": SOURCES[suspect.source],
        "hit_means": HIT_MEANS[suspect.source],
        "list_id": (row.id_number if full else mask_id_number(row.id_number)) if row.id_number else "（未填）",
        "person_id": shown_id(actor, person.id_number, detail=True),
        "evidence": sorted(row.evidence.items()),
        "agreement": _agreement(suspect),
        "percent": f"{float(suspect.probability) * 100:.1f}",
        "exemptions": list(exemptions_for(suspect.source, suspect.village_code[:6], row.dept_list.as_of).items()),
        "exemption_label": exemption_label(
            suspect.source, suspect.exemption, suspect.village_code[:6], row.dept_list.as_of
        )
        if suspect.exemption
        else "",
        "may_verify": suspect.state == SuspectState.OPEN and actor.role in actions.VERIFY_ROLES,
        "confirm_effect": _confirm_effect(suspect),
        "income_check": _income_check(suspect) if suspect.source == "pension" else None,
    }
    return render(request, "monitoring/crosscheck/detail.html", context)


EMPLOYMENT_SCHEMES = ("企业职工养老保险", "职工养老保险", "住房公积金", "失业保险", "工伤保险")


def _income_check(suspect: Any) -> dict[str, Any]:
    """养老金/社保 hit (POLICY.md §8: "wage income to verify", not disqualifying): the list's scheme and amount
    beside the member's recorded income of the latest year, and whether the record needs a look — a scheme
    only an employee pays into (职工养老保险, 公积金, …) while no 工资性收入 is recorded."""
    from decimal import Decimal, InvalidOperation

    from jingzhun.registry.models import IncomeRecord

    evidence = suspect.row.evidence
    scheme = str(evidence.get("险种") or "").strip()
    monthly_text = str(next((v for k, v in evidence.items() if str(k).startswith("月领取额")), "") or "").strip()
    try:
        monthly_fen: int | None = int(Decimal(monthly_text) * 100) if monthly_text else None
    except InvalidOperation:
        monthly_fen = None
    record = IncomeRecord.objects.filter(person_id=suspect.person_id).order_by("-year").first()
    employed = any(word in scheme for word in EMPLOYMENT_SCHEMES)
    return {
        "scheme": scheme or "（名单未写险种）",
        "yearly_fen": None if monthly_fen is None else monthly_fen * 12,
        "record": record,
        "needs_look": employed and (record is None or record.wages_fen == 0),
        "household_url": reverse("registry:detail", args=[suspect.household_id]),
    }


def _confirm_effect(suspect: Any) -> str:
    source = suspect.source
    if source == "prison":
        start, end = actions.prison_dates(suspect.row)
        until = f"至 {end.isoformat()} 刑满释放" if end else "释放日期未知"
        return (
            f"登记{suspect.person.name}服刑（自 {start.isoformat()} 起，{until}；可在户页面更正或登记释放），"
            "服刑期间不计入共同生活家庭的人数和收入"
        )
    if source == "death":
        return "提出死亡登记申请（经乡镇审批后生效，自死亡次月起停发）"
    if source in DISQUALIFY:
        return f"提出“{DISQUALIFIED_LABELS[DISQUALIFY[source]]}”不予保障情形的变更申请（经审批后生效）"
    return "只记录核实结果，不改变户籍信息"


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    suspect = queries.get_suspect_for(actor, pk)
    outcome = request.POST.get("outcome", "")
    reason = request.POST.get("reason", "").strip()[:500]
    try:
        if outcome == "clear":
            actions.clear_suspect(actor, suspect, exemption=request.POST.get("exemption", ""), reason=reason)
            messages.success(request, f"已排除疑点（{SHORT[suspect.source]}，{suspect.person.name}）。")
        elif outcome == "confirm":
            done = actions.confirm_suspect(actor, suspect, reason=reason)
            extra = f"，已提出变更申请：{done.change_request.summary}" if done.change_request else ""
            if done.source == "prison":
                extra = "，已登记服刑（服刑期间不计入共同生活家庭）"
            messages.success(request, f"已核实属实（{SHORT[suspect.source]}，{suspect.person.name}）{extra}。")
        else:
            messages.error(request, "请选择核实结果。")
    except ValidationError as exc:
        messages.error(request, "未能办理：" + "；".join(without_key(m) for m in exc.messages))
    return redirect("monitoring:crosscheck_detail", pk=suspect.pk)


def _save_upload(request: HttpRequest, actor: Actor, upload: Any, params: dict[str, Any]) -> BackgroundJob:
    folder = Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    try:
        with path.open("wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        return create_job(
            actor,
            JobKind.XCHECK_IMPORT,
            region_prefix=actor.scope,
            params={**params, "path": str(path), "name": Path(upload.name).name},
        )
    except Exception:
        path.unlink(missing_ok=True)
        raise


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """名单导入 (county): source, 截至日期, file → background import; and 运行比对 → background run."""
    actor = _actor(request)
    actions.check_importer(actor)
    error = ""
    if request.method == "POST":
        source = request.POST.get("source", "")
        as_of = request.POST.get("as_of", "")
        file = request.FILES.get("file")
        try:
            date = dt.date.fromisoformat(as_of)
        except ValueError:
            date = None
        if refused := uploads.refusal(request):
            error = refused
        elif source not in SOURCES:
            error = "请选择名单类别。"
        elif date is None:
            error = "截至日期格式应为 YYYY-MM-DD，例如 2020-06-30。"
        elif file is None:
            error = "请选择要导入的文件（.xlsx 或 .csv）。"
        elif not file.name.lower().endswith(UPLOAD_SUFFIXES):
            error = f"文件类型不支持：{file.name}。请上传 .xlsx 或 .csv 文件。"
        elif file.size > limits.MAX_FILE_BYTES:
            error = str(limits.too_big(file.size))
        else:
            params = {"source": source, "as_of": as_of, "dry_run": bool(request.POST.get("dry_run"))}
            try:
                job = _save_upload(request, actor, file, params)
            except OSError as exc:
                log.exception("saving a list upload failed")
                error = f"保存上传文件失败（{exc.strerror or exc}），未导入任何数据。"
            else:
                from jingzhun.monitoring.crosscheck.tasks import import_dept_list

                jobs.start(import_dept_list, job)
                return redirect("monitoring:crosscheck_job", job_id=job.pk)
    mine = BackgroundJob.objects.filter(owner=request.user, kind__in=(JobKind.XCHECK_IMPORT, JobKind.XCHECK_RUN))
    jobs.sweep_stale(mine)
    from jingzhun.monitoring.crosscheck.run import latest_lists

    context = {
        "error": error,
        "recent": mine[:10],
        "sources": [(k, v) for k, v in SOURCES.items()],
        "lists": [(SHORT[d.source], d) for d in latest_lists()],
    }
    return render(request, "monitoring/crosscheck/upload.html", context)


@login_required
@require_POST
def start_run(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actions.check_importer(actor)
    source = request.POST.get("source", "")
    job = create_job(
        actor, JobKind.XCHECK_RUN, region_prefix=actor.scope, params={"source": source if source in SOURCES else ""}
    )
    from jingzhun.monitoring.crosscheck.tasks import run_crosscheck_job

    jobs.start(run_crosscheck_job, job)
    return redirect("monitoring:crosscheck_job", job_id=job.pk)


def _own_job(request: HttpRequest, job_id: int) -> BackgroundJob:
    mine = BackgroundJob.objects.filter(
        pk=job_id, owner=request.user, kind__in=(JobKind.XCHECK_IMPORT, JobKind.XCHECK_RUN)
    )
    jobs.sweep_stale(mine)
    job = mine.first()
    if job is None:
        from django.http import Http404

        raise Http404("未找到该任务")
    return job


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    context = {
        "job": job,
        "status_url": reverse("monitoring:crosscheck_job_status", args=[job.pk]),
        "report": job.result or {},
    }
    return render(request, "monitoring/crosscheck/job.html", context)


@login_required
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    return JsonResponse(jobs.status_json(_own_job(request, job_id)))


@login_required
def roll(request: HttpRequest) -> HttpResponse:
    """低保名册 ↔ 建档立卡: 应保未保, 漏评 candidates, attribute mismatches."""
    actor = _actor(request)
    if actor.role == "assigned_cadre":
        raise PermissionDenied("帮扶干部只能查看所帮扶的户。")
    context = {
        "c": queries.compare_roll(actor, limit=ROLL_SHOWN),
        "limit": ROLL_SHOWN,
        "county": actor.role in actions.COUNTY_ROLES,
    }
    return render(request, "monitoring/crosscheck/roll.html", context)
