"""返贫预警 pages (thin: reads from ``queries``, writes through ``actions``): the to-do list, a case with its
steps and the next step's form for the role whose move it is, opening a case by hand, and the monthly run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from jingzhun.core import jobs, list_export, workday
from jingzhun.core.actions import Actor, create_job
from jingzhun.core.models import READ_ONLY_ROLES, BackgroundJob, Role
from jingzhun.core.scope import region_prefix
from jingzhun.monitoring import list_export as exports
from jingzhun.monitoring.cases import actions, queries
from jingzhun.monitoring.cases.forms import RUN_ROLES, STEP_FORMS, MarginalForm, OpenCaseForm, RunForm, StepForm
from jingzhun.monitoring.cases.tasks import JOB_KIND, monitor_run_job
from jingzhun.monitoring.models.cases import Case, CaseState, MonitoringRun
from jingzhun.registry.cases_actions import MARGINAL_ROLES, set_marginal
from jingzhun.registry.forms import action_refusal
from jingzhun.registry.models import Person
from jingzhun.registry.queries import households_for

PAGE_SIZE = 50


def _heads(household_ids: list[int]) -> dict[int, str]:
    rows = Person.objects.filter(household_id__in=household_ids, relation="head").order_by("status", "id")
    heads: dict[int, str] = {}
    for household_id, name in rows.values_list("household_id", "name"):
        heads.setdefault(household_id, name)
    return heads


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """我的待办: the actor's open cases (due first), overdue in red; ``?view=all`` every active case in scope."""
    actor = Actor.for_user(request.user)
    mine = request.GET.get("view") != "all"
    if list_export.wants_xlsx(request.GET):
        filters = ["我的待办" if mine else "全部在办案件"]
        cases = queries.todo(actor, mine=mine)
        return list_export.response(actor, exports.cases(actor, cases, filters, workday.today()))
    page = Paginator(queries.todo(actor, mine=mine), PAGE_SIZE).get_page(request.GET.get("page"))
    heads = _heads([c.household_id for c in page])
    today = workday.today()
    rows = [
        {
            "case": c,
            "head": heads.get(c.household_id, ""),
            "flags": queries.flags_zh(c.flags),
            "level": queries.level_zh(c.level),
            "overdue": queries.is_overdue(c, today),
            "next": queries.NEXT_STEP.get(c.state, ("—", frozenset()))[0],
        }
        for c in page
    ]
    context = {
        "page": page,
        "query": "view=all" if not mine else "",
        "rows": rows,
        "mine": mine,
        "overdue_count": sum(r["overdue"] for r in rows),
        "can_open": actor.role in actions.OPENERS,
        "can_run": actor.role in RUN_ROLES,
        "share": _share(actor),
    }
    return render(request, "monitoring/cases/todo.html", context)


def _share(actor: Actor) -> queries.ShareWarning | None:
    """The 2020 monitored-persons check for the month of the region's latest run (none before a run)."""
    if actor.role not in RUN_ROLES:
        return None
    last = MonitoringRun.objects.filter(region_prefix__startswith=actor.scope).order_by("-month").first()
    return None if last is None else queries.share_warning(actor.scope, last.month)


def _case(actor: Actor, pk: int) -> Case:
    found = queries.scoped(actor).select_related("household__village__parent").filter(pk=pk).first()
    if found is None:
        raise Http404("未找到该案件")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    case = _case(actor, pk)
    posted: StepForm | None = None
    refusal, status = "", 200
    if request.method == "POST":
        if actor.role in READ_ONLY_ROLES:
            raise PermissionDenied("审计账号为只读，不能修改数据。")
        form_class = STEP_FORMS.get(request.POST.get("step", ""))
        if form_class is None:
            raise Http404("未知的办理环节")
        posted = form_class(request.POST)
        if posted.is_valid():
            try:
                posted.run(actor, case)
            except PermissionDenied as exc:
                refusal, status = str(exc), 403
            except ValidationError as exc:
                refusal = action_refusal(posted, exc)
            else:
                messages.success(request, f"已记录「{posted.label}」。")
                return redirect("monitoring:cases:detail", pk=case.pk)
    can_write = actor.role not in READ_ONLY_ROLES
    shown: list[StepForm] = []
    waiting: list[tuple[str, str]] = []
    for form_class in STEP_FORMS.values():
        if form_class.state != case.state:
            continue
        if can_write and actor.role in form_class.roles:
            shown.append(posted if posted is not None and posted.step == form_class.step else form_class())
        else:
            waiting.append((form_class.label, "、".join(Role(r).label for r in form_class.roles if r != Role.ADMIN)))
    blockers: list[str] = []
    if case.state == CaseState.DECIDED:
        blockers = actions.elimination_blockers(case, workday.today())
    notice_countdown = ""
    if case.state == CaseState.IN_NOTICE and case.notice_start is not None:
        from jingzhun.core.notice_sheet import countdown
        from jingzhun.monitoring.cases.notice_views import notice_end

        end = notice_end(case.notice_start)
        if workday.today() <= end:
            notice_countdown = countdown(end, workday.today()).replace("可结束公示", "可乡镇审核")
    context = {
        "notice_countdown": notice_countdown,
        "can_print_notice": actor.role != Role.ASSIGNED_CADRE,  # the 公示 sheet is the village's (notice_views)
        "case": case,
        "head": _heads([case.household_id]).get(case.household_id, ""),
        "flags": queries.flags_zh(case.flags),
        "level": queries.level_zh(case.level),
        "overdue": queries.is_overdue(case),
        "steps": case.steps.order_by("on", "id"),
        "measures": case.measures.order_by("on", "id"),
        "forms": shown,
        "waiting": waiting,
        "posted": posted,
        "refusal": refusal,
        "blockers": blockers,
    }
    return render(request, "monitoring/cases/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """农户自主申报 / 干部排查: open a case by hand."""
    actor = Actor.for_user(request.user)
    if actor.role not in actions.OPENERS:
        raise PermissionDenied("您的角色不能登记风险事件。")
    form = OpenCaseForm(request.POST or None, initial={"household_no": request.GET.get("household", "")})
    refusal = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        household = households_for(actor).select_related("village").filter(household_no=d["household_no"]).first()
        if household is None:
            form.add_error("household_no", f"您的区域内没有户编号为 {d['household_no']} 的户。")
        else:
            try:
                case = actions.open_case(
                    actor, household, origin=d["origin"], kind=d["kind"], date=d["date"], note=d["note"]
                )
            except ValidationError as exc:
                refusal = action_refusal(form, exc)
            else:
                messages.success(request, f"已开案：返贫预警案件第 {case.pk} 号。")
                return redirect("monitoring:cases:detail", pk=case.pk)
    return render(request, "monitoring/cases/new.html", {"form": form, "refusal": refusal})


def _runner(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    if actor.role not in RUN_ROLES:
        raise PermissionDenied("只有县级或乡镇工作人员可以运行返贫预警评估。")
    return actor


@login_required
@require_http_methods(["GET", "POST"])
def run(request: HttpRequest) -> HttpResponse:
    """Start the month's assessment as a background job (county: the county; township: its township)."""
    actor = _runner(request)
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["region"].strip()
        try:
            prefix = region_prefix(code) if code else actor.scope
        except ValueError:
            form.add_error("region", f"区域代码 {code} 无效。")
        else:
            if not actor.can_see(prefix):
                form.add_error("region", f"无权评估该区域（{code}）。")
            else:
                job = create_job(actor, JOB_KIND, region_prefix=prefix, params={"month": form.cleaned_data["month"]})
                jobs.start(monitor_run_job, job)
                return redirect("monitoring:cases:job", job_id=job.pk)
    jobs.sweep_stale(BackgroundJob.objects.filter(owner=request.user, kind=JOB_KIND))
    runs = MonitoringRun.objects.filter(region_prefix__startswith=actor.scope).order_by("-id")[:20]
    return render(request, "monitoring/cases/run.html", {"form": form, "runs": runs})


def _own_job(request: HttpRequest, job_id: int) -> BackgroundJob:
    mine = BackgroundJob.objects.filter(pk=job_id, owner=request.user, kind=JOB_KIND)
    jobs.sweep_stale(mine)
    job = mine.first()
    if job is None:
        raise Http404("未找到该任务")
    return job


@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    found = _own_job(request, job_id)
    context = {
        "job": found,
        "result": found.result or {},
        "status_url": reverse("monitoring:cases:job_status", args=[found.pk]),
    }
    return render(request, "monitoring/cases/job.html", context)


@login_required
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    return JsonResponse(jobs.status_json(_own_job(request, job_id)))


@login_required
@require_http_methods(["GET", "POST"])
def marginal(request: HttpRequest, household_no: str) -> HttpResponse:
    """认定（或取消）边缘易致贫户 for a household of the actor's region."""
    actor = Actor.for_user(request.user)
    if actor.role not in MARGINAL_ROLES:
        raise PermissionDenied("您的角色不能认定边缘易致贫户。")
    household = households_for(actor).select_related("village").filter(household_no=household_no).first()
    if household is None:
        raise Http404("未找到该户")
    form = MarginalForm(request.POST or None, initial={"marginal": "0" if household.marginal else "1"})
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            set_marginal(actor, household, form.cleaned_data["marginal"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            refusal = action_refusal(form, exc)
        else:
            messages.success(request, "已记录边缘易致贫户认定。")
            return redirect("registry:detail", pk=household.pk)
    return render(request, "monitoring/cases/marginal.html", {"form": form, "household": household, "refusal": refusal})
