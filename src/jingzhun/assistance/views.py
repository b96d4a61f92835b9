"""Staff pages of the assistance workflow (救助办理): applications, their steps, 先行救助, the roll, reviews.

Thin: every write calls an action of :mod:`jingzhun.assistance.actions`, which checks region, role and
order and refuses in Chinese; the page shows that refusal and nothing is written. Reads are region
scoped (another region's application or enrollment is a 404, as for households); auditors read and
never write (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jingzhun.assistance import actions
from jingzhun.assistance import list_export as exports
from jingzhun.assistance import workflow as wf
from jingzhun.assistance.approval_amount import approval_amount, shows_amount
from jingzhun.assistance.forms import (
    STEP_FORMS,
    ApplicationForm,
    EmergencyForm,
    EnrollmentChangeForm,
    StepForm,
    next_steps,
    to_fen,
)
from jingzhun.assistance.models import (
    CLOSED_STATUSES,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Channel,
    Enrollment,
    EnrollmentStatus,
    TemporaryKind,
)
from jingzhun.assistance.queries import due_for_review
from jingzhun.core import list_export, workday
from jingzhun.core.actions import Actor
from jingzhun.core.models import READ_ONLY_ROLES, Role
from jingzhun.core.templatetags.staff import yuan
from jingzhun.policy.vocabulary import FAMILIES
from jingzhun.registry.forms import action_refusal, apply_errors
from jingzhun.registry.models import Household, Person
from jingzhun.registry.queries import households_for

PAGE_SIZE = 50
S = ApplicationStatus
# from the survey to the county's decision the screens show the monthly amount an approval would give
AMOUNT_STATUSES = (S.SURVEYED, S.REVIEWED, S.IN_NOTICE, S.NOTICED, S.TOWNSHIP_APPROVED)
# "待我处理": the steps that are each role's own job (a township officer may also do village work, but
# the township's queue is its review; the administrator sees everything still open).
VILLAGE_QUEUE = Q(status__in=[S.SUBMITTED, S.REVIEWED, S.IN_NOTICE]) | (
    Q(status=S.SURVEYED) & ~Q(kind=ApplicationKind.TEMPORARY)
)
QUEUES: dict[str, Q] = {
    Role.VILLAGE_CADRE: VILLAGE_QUEUE & Q(paid_first=False),
    Role.TOWNSHIP_OFFICER: Q(status=S.NOTICED) | Q(status=S.SURVEYED, kind=ApplicationKind.TEMPORARY),
    Role.COUNTY_OFFICER: Q(status=S.TOWNSHIP_APPROVED) | Q(paid_first=True, after_reviewed_at__isnull=True),
    Role.ADMIN: ~Q(status__in=CLOSED_STATUSES) | Q(paid_first=True, after_reviewed_at__isnull=True),
}
ENROLLMENT_OPS = {
    "suspend": ("暂停", actions.suspend_enrollment, "from_month"),
    "resume": ("恢复", actions.resume_enrollment, "from_month"),
    "end": ("停止享受", actions.end_enrollment, "last_month"),
}
LABELS = {
    "date": "日期",
    "family": "救助类别",
    "kind": "申请类型",
    "channel": "受理渠道",
    "surveyors": "调查人员",
    "note": "情况说明",
    "attendees": "参会人数",
    "votes_for": "赞成票",
    "votes_against": "反对票",
    "passed": "评议通过",
    "start_date": "公示开始",
    "end_date": "公示截止",
    "place": "公示地点",
    "finished_on": "公示结束日期",
    "content": "异议内容",
    "raised_by": "异议人",
    "resolution": "处理意见",
    "upheld": "异议成立",
    "agree": "同意",
    "opinion": "意见",
    "approve": "批准",
    "reason": "理由",
    "start_month": "享受起始月份",
    "temporary_kind": "临时救助类型",
    "event_date": "事由发生日期",
    "amount_due_fen": "申请金额（元）",
    "cap_fen": "救助上限（元）",
    "paid_fen": "先行支付（元）",
    "after_review_due": "补办审核期限",
    "confirmed": "确认属实",
    "overdue": "逾期审核",
}


# coded values a step records, shown by their Chinese names
CODES: dict[str, dict[str, str]] = {
    "family": FAMILIES,
    "kind": dict(ApplicationKind.choices),
    "channel": dict(Channel.choices),
    "temporary_kind": dict(TemporaryKind.choices),
}


def _scoped(actor: Actor, rows: QuerySet[Any]) -> QuerySet[Any]:
    """Rows whose household the actor may read (a 帮扶 cadre: only the households assigned to them)."""
    if actor.scope:
        rows = rows.filter(household__village__code__startswith=actor.scope)
    if actor.role == Role.ASSIGNED_CADRE:
        rows = rows.filter(household__assigned_cadre=actor.user)
    return rows


def _get(actor: Actor, rows: QuerySet[Any], pk: int, what: str) -> Any:
    found = _scoped(actor, rows).select_related("household__village__parent").filter(pk=pk).first()
    if found is None:
        raise Http404(f"未找到该{what}")
    return found


def _writer(actor: Actor) -> Actor:
    if actor.role in READ_ONLY_ROLES:
        raise PermissionDenied("审计账号为只读，不能修改数据。")
    return actor


def _page(request: HttpRequest, rows: QuerySet[Any]) -> tuple[Page[Any], str]:
    keep = request.GET.copy()
    keep.pop("page", None)
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), keep.urlencode()


def _by_household(rows: QuerySet[Any], q: str) -> QuerySet[Any]:
    """The lists' search box: a 户编号 (or its start) when it is digits, else a member's name, or a name and
    the last 4 characters of an ID number together ("吴全华 0013", as on 户籍查询)."""
    from django.db.models import Exists, OuterRef

    from jingzhun.registry.queries import name_and_tail

    q = q.strip()[:32]
    if not q:
        return rows
    if q.isdigit():
        return rows.filter(household__household_no__startswith=q)
    members = Person.objects.filter(household_id=OuterRef("household_id"))
    if both := name_and_tail(q):
        members = members.filter(name__contains=both[0], id_tail=both[1])
    else:
        members = members.filter(name__contains=q)
    return rows.filter(Exists(members))


def _heads(household_ids: list[int]) -> dict[int, str]:
    rows = Person.objects.filter(household_id__in=household_ids, relation="head").order_by("status", "id")
    heads: dict[int, str] = {}
    for household_id, name in rows.values_list("household_id", "name"):
        heads.setdefault(household_id, name)
    return heads


def _household(actor: Actor, household_no: str) -> Household | None:
    return households_for(actor).select_related("village").filter(household_no=household_no).first()


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    rows = _scoped(actor, Application.objects.all())
    family, status, q = request.GET.get("family", ""), request.GET.get("status", ""), request.GET.get("q", "").strip()
    mine = request.GET.get("view") == "mine"
    if mine:
        rows = rows.filter(QUEUES.get(actor.role, Q(pk__in=[])))
    if family in FAMILIES:
        rows = rows.filter(family=family)
    if status == "open":
        rows = rows.exclude(status__in=CLOSED_STATUSES)
    elif status in S.values:
        rows = rows.filter(status=status)
    rows = _by_household(rows, q)
    if list_export.wants_xlsx(request.GET):
        statuses = {"open": "办理中（未办结）", **dict(S.choices)}
        words = [
            ("我的待办", "是" if mine else ""),
            ("救助类别", FAMILIES.get(family, "")),
            ("办理状态", statuses.get(status, "")),
        ]
        filters = list_export.filter_words([*words, ("户编号/姓名", q)])
        return list_export.response(actor, exports.applications(actor, rows.order_by("-id"), filters))
    page, query = _page(request, rows.select_related("household__village__parent").order_by("-id"))
    heads = _heads([a.household_id for a in page])
    context = {
        "page": page,
        "query": query,
        "rows": [(a, heads.get(a.household_id, "")) for a in page],
        "mine": mine,
        "has_queue": actor.role in QUEUES,
        "family": family,
        "status": status,
        "q": q,
        "families": list(FAMILIES.items()),
        "statuses": [("open", "办理中（未办结）"), *S.choices],
    }
    return render(request, "assistance/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    actor = _writer(Actor.for_user(request.user))
    wf.require_role(actor, wf.APPLICATION_DESKS, "受理申请")
    form = ApplicationForm(request.POST or None, initial={"household_no": request.GET.get("household", "")})
    find = request.GET.get("find", "").strip()[:32]
    found = _find_households(actor, find) if find else []
    chosen = _household(actor, request.GET.get("household", "").strip()) if request.GET.get("household") else None
    if request.method == "POST" and form.is_valid():
        household = _household(actor, form.cleaned_data["household_no"])
        if household is None:
            form.add_error("household_no", f"未找到户编号 {form.cleaned_data['household_no']}（或不在您的工作范围内）")
        else:
            try:
                app = actions.create_application(actor, household, **form.action_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已受理户 {household.household_no} 的{app.get_family_display()}申请。")
                return redirect("assistance:detail", pk=app.pk)
    context = {
        "form": form,
        "find": find,
        "found": found,
        "chosen": chosen,
        "chosen_head": _heads([chosen.pk]).get(chosen.pk, "") if chosen else "",
    }
    return render(request, "assistance/application_new.html", context)


FIND_AT_MOST = 20


def _find_households(actor: Actor, text: str) -> list[tuple[Household, str]]:
    """新建申请's search step: active households in the actor's scope with a member of that name (or name +
    ID tail, or a 户编号 start), at most ``FIND_AT_MOST``, each with its 户主."""
    from django.db.models import Exists, OuterRef

    from jingzhun.registry.queries import name_and_tail

    homes = households_for(actor).filter(active=True).select_related("village__parent")
    if text.isdigit():
        homes = homes.filter(household_no__startswith=text)
    else:
        members = Person.objects.filter(household_id=OuterRef("pk"))
        if both := name_and_tail(text):
            members = members.filter(name__contains=both[0], id_tail=both[1])
        else:
            members = members.filter(name__contains=text)
        homes = homes.filter(Exists(members))
    page = list(homes.order_by("household_no")[:FIND_AT_MOST])
    heads = _heads([h.pk for h in page])
    return [(h, heads.get(h.pk, "")) for h in page]


def describe(data: dict[str, Any]) -> list[tuple[str, str]]:
    """A step's recorded content as (label, text) rows a cadre can read."""
    out: list[tuple[str, str]] = []
    for key, value in data.items():
        if key == "income_check":
            verified = "已核实" if value.get("verified") else "未核实"
            out.append(("核实家庭年收入（元）", f"{yuan(value.get('annual_income_fen'))}（{verified}）"))
            if registry := value.get("registry"):
                year, fen = registry["before_year"], registry["before_fen"]
                was = f"{year} 年 {yuan(fen)} 元" if year else "无"
                out.append(("户籍年收入", f"已按核实收入登记为 {registry['year']} 年收入（原登记：{was}）"))
        elif key == "asset_check":
            out.append(("财产核查", "通过" if value.get("passed") else "未通过"))
        elif key == "objections":
            out.append(("公示异议", f"{len(value)} 条" if value else "无"))
        elif key == "objection":
            continue
        elif key.endswith("_fen"):
            out.append((LABELS.get(key, key), yuan(value)))
        elif isinstance(value, bool):
            out.append((LABELS.get(key, key), "是" if value else "否"))
        elif isinstance(value, list):
            out.append((LABELS.get(key, key), "、".join(map(str, value)) or "—"))
        elif key in CODES:
            out.append((LABELS[key], CODES[key].get(value, value)))
        elif value not in ("", None):
            out.append((LABELS.get(key, key), str(value)))
    return out


def _attachments(actor: Actor, app: Application) -> dict[str, Any]:
    """The application's 附件 for ``registry/_attachments.html`` (kept with the household)."""
    from django.urls import reverse

    from jingzhun.registry.attachment_views import attachments_context
    from jingzhun.registry.attachments import Attachment

    rows = Attachment.objects.filter(household_id=app.household_id, application_id=app.pk)
    return attachments_context(actor, rows, reverse("assistance:attachment_add", args=[app.pk]))


def _notice(app: Application) -> dict[str, Any] | None:
    """The application's latest 公示 (start, countdown) for its facts, None before one started."""
    from jingzhun.assistance.notice_board import notice_period
    from jingzhun.core.notice_sheet import countdown

    period = notice_period(app)
    if period is None:
        return None
    if app.status not in (ApplicationStatus.IN_NOTICE, ApplicationStatus.NOTICED):
        return {"start": period[0], "countdown": f"{period[0]:%Y-%m-%d} 至 {period[1]:%Y-%m-%d}"}
    return {"start": period[0], "countdown": countdown(period[1], workday.today())}


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    app = _get(actor, Application.objects.all(), pk, "申请")
    posted: StepForm | None = None
    refusal, status = "", 200
    if request.method == "POST":
        _writer(actor)
        form_class = STEP_FORMS.get(request.POST.get("step", ""))
        if form_class is None:
            raise Http404("未知的办理环节")
        posted = form_class(request.POST, application=app)
        if posted.is_valid():
            try:
                posted.run(actor, app)
            except PermissionDenied as exc:
                refusal, status = str(exc), 403
            except ValidationError as exc:
                refusal = action_refusal(posted, exc)
            else:
                messages.success(request, f"已记录「{posted.label}」。")
                return redirect("assistance:detail", pk=app.pk)
    can_write = actor.role not in READ_ONLY_ROLES
    forms_shown, waiting = [], []
    for step in next_steps(app):
        form_class = STEP_FORMS[step]
        if can_write and actor.role in form_class.roles:
            forms_shown.append(posted if posted and posted.step == step else form_class(application=app))
        else:
            waiting.append((form_class(application=app).label, "、".join(Role(r).label for r in form_class.roles)))
    steps = [(s, describe(s.data)) for s in app.steps.select_related("actor").order_by("id")]
    amount, decided = None, None
    if shows_amount(app) and app.status in AMOUNT_STATUSES:
        amount = approval_amount(app, wf.next_month(workday.today()))
    elif shows_amount(app) and app.status == ApplicationStatus.APPROVED:
        decided = app.decisions.order_by("id").first()
    context = {
        "app": app,
        "head": _heads([app.household_id]).get(app.household_id, ""),
        "steps": steps,
        "forms": forms_shown,
        "waiting": waiting,
        "refusal": refusal,
        "posted": posted if posted and posted.errors and posted not in forms_shown else None,
        "amount": amount,
        "decided": decided,
        "enrollments": Enrollment.objects.filter(Q(application=app) | Q(decisions__application=app)).distinct(),
        "notice": _notice(app),
        **_attachments(actor, app),
    }
    return render(request, "assistance/application_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def emergency_new(request: HttpRequest) -> HttpResponse:
    actor = _writer(Actor.for_user(request.user))
    wf.require_role(actor, wf.TOWNSHIP, "先行救助")
    form = EmergencyForm(request.POST or None, initial={"household_no": request.GET.get("household", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        household = _household(actor, d["household_no"])
        if household is None:
            form.add_error("household_no", f"未找到户编号 {d['household_no']}（或不在您的工作范围内）")
        else:
            try:
                app = actions.pay_emergency_first(
                    actor,
                    household,
                    amount_due_fen=to_fen(d["amount_due"]) or 0,
                    event_date=d["event_date"],
                    statement=d["statement"],
                    on=d["on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"已先行救助户 {household.household_no}：支付 {yuan(app.amount_approved_fen)} 元，"
                    f"请县级于 {app.after_review_due:%Y-%m-%d} 前补办审核。",
                )
                return redirect("assistance:detail", pk=app.pk)
    return render(request, "assistance/emergency_new.html", {"form": form})


@login_required
def enrollment_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.for_user(request.user)
    rows = _scoped(actor, Enrollment.objects.all())
    family, status, q = request.GET.get("family", ""), request.GET.get("status", "open"), request.GET.get("q", "")
    if family in FAMILIES:
        rows = rows.filter(family=family)
    if status == "open":
        rows = rows.filter(status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED])
    elif status in EnrollmentStatus.values:
        rows = rows.filter(status=status)
    rows = _by_household(rows, q)
    rows = rows.select_related("household__village__parent").order_by("household__household_no", "family", "-id")
    if list_export.wants_xlsx(request.GET):
        statuses = {"open": "在册和暂停", **dict(EnrollmentStatus.choices), "all": "全部"}
        words = [("救助类别", FAMILIES.get(family, "")), ("状态", statuses.get(status, "")), ("户编号/姓名", q.strip())]
        filters = list_export.filter_words(words)
        return list_export.response(actor, exports.enrollments(actor, rows, filters))
    page, query = _page(request, rows)
    heads = _heads([e.household_id for e in page])
    context = {
        "page": page,
        "query": query,
        "rows": [(e, heads.get(e.household_id, "")) for e in page],
        "family": family,
        "status": status,
        "q": q,
        "families": list(FAMILIES.items()),
        "statuses": [("open", "在册和暂停"), *EnrollmentStatus.choices, ("all", "全部")],
    }
    return render(request, "assistance/enrollment_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    enrollment = _get(actor, Enrollment.objects.all(), pk, "在册对象")
    posted_op, form, refusal, status = "", None, "", 200
    if request.method == "POST":
        _writer(actor)
        posted_op = request.POST.get("op", "")
        if posted_op not in (*ENROLLMENT_OPS, "recompute"):
            raise Http404("未知的操作")
        form = EnrollmentChangeForm(request.POST, op=posted_op)
        if form.is_valid():
            reason, month = form.cleaned_data["reason"], form.cleaned_data["month"]
            try:
                if posted_op == "recompute":
                    actions.record_change_of_circumstances(actor, enrollment.household, reason=reason, month=month)
                    done = "情况变化复核"
                else:
                    done, action, month_key = ENROLLMENT_OPS[posted_op]
                    enrollment = action(actor, enrollment, reason=reason, **{month_key: month})
            except PermissionDenied as exc:
                refusal, status = str(exc), 403
            except ValidationError as exc:
                refusal = action_refusal(form, exc)
            else:
                messages.success(request, f"已办理「{done}」。")
                return redirect("assistance:enrollment", pk=enrollment.pk)
    open_ = enrollment.status in (EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED)
    ops = []
    if actor.role in wf.COUNTY and actor.role not in READ_ONLY_ROLES:
        ops = [
            (op, label)
            for op, (label, _, _) in ENROLLMENT_OPS.items()
            if (op == "suspend" and enrollment.status == EnrollmentStatus.ACTIVE)
            or (op == "resume" and enrollment.status == EnrollmentStatus.SUSPENDED)
            or (op == "end" and open_)
        ]
        if open_:
            ops.append(("recompute", "情况变化复核（重新核算待遇）"))
    context = {
        "enrollment": enrollment,
        "head": _heads([enrollment.household_id]).get(enrollment.household_id, ""),
        "decisions": enrollment.decisions.order_by("id"),
        "ops": [(op, label, form if form and op == posted_op else EnrollmentChangeForm(op=op)) for op, label in ops],
        "refusal": refusal,
        "can_apply": actor.role in wf.APPLICATION_DESKS and open_,
    }
    return render(request, "assistance/enrollment_detail.html", context, status=status)


@login_required
def review_due(request: HttpRequest) -> HttpResponse:
    """待复核 (动态管理): the yearly review has fallen due, or the registry changed since the last decision."""
    actor = Actor.for_user(request.user)
    today = workday.today()
    rows = due_for_review(today, actor.scope)
    if actor.role == Role.ASSIGNED_CADRE:
        rows = rows.filter(household__assigned_cadre=actor.user)
    q = request.GET.get("q", "")
    rows = _by_household(rows, q)
    if list_export.wants_xlsx(request.GET):
        filters = list_export.filter_words([("截至", f"{today:%Y-%m-%d}"), ("户编号/姓名", q.strip())])
        return list_export.response(actor, exports.due(actor, rows, filters, today))
    page, query = _page(request, rows.select_related("household__village__parent"))
    heads = _heads([e.household_id for e in page])
    context = {
        "page": page,
        "query": query,
        "today": today,
        "q": q,
        "rows": [(e, heads.get(e.household_id, ""), e.next_review_due <= today) for e in page],
        "can_apply": actor.role in wf.APPLICATION_DESKS,
    }
    return render(request, "assistance/review_due.html", context)
