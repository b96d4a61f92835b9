"""精准退出 pages: the household's exit facts, the villages' 预退出 lists and their steps, the 公示,
village and county exit.

Thin: every read is region-scoped (a household or list outside the user's region is a 404), every write
is an action of :mod:`jingzhun.registry.exit_actions` or :mod:`jingzhun.monitoring.exit.actions`, whose
Chinese refusal is shown on the page with nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.masking import mask_name
from jingzhun.core.models import Role
from jingzhun.core.notice_sheet import Cell, Column, NoticeSheet, countdown
from jingzhun.core.text import without_key
from jingzhun.monitoring.exit import actions
from jingzhun.monitoring.exit.actions import PUBLICITY_DAYS, STEPS, may_record
from jingzhun.monitoring.exit.check import check_households
from jingzhun.monitoring.exit.forms import ExitFactsForm
from jingzhun.monitoring.exit.queries import county_figures, lists_for, not_exited, township_totals, village_rows
from jingzhun.monitoring.models import ExitEntry, ExitList, ExitStage, SampleCheck, SurveyCount
from jingzhun.policy.exit_rates import percent, thresholds
from jingzhun.registry.actions import check_writer
from jingzhun.registry.exit_actions import close_policies, update_exit_facts
from jingzhun.registry.forms import apply_errors
from jingzhun.registry.models import Household, Region
from jingzhun.registry.public_contact import contact_of
from jingzhun.registry.queries import get_household_for


@login_required
@require_http_methods(["GET", "POST"])
def facts_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    household = get_household_for(actor, pk)  # 404 outside the scope
    check_writer(actor, household.village.code)  # 403: auditors, 帮扶 cadres
    back = reverse("registry:detail", args=[household.pk]) + "#exit-check"
    form = ExitFactsForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            update_exit_facts(actor, household, **form.action_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存户 {household.household_no} 的退出核查信息。")
            return redirect(back)
    context = {"household": household, "form": form, "title": "退出核查信息", "back": back, "submit": "保存"}
    return render(request, "monitoring/exit/form.html", context)


@login_required
@require_POST
def close_policies_view(request: HttpRequest, pk: int) -> HttpResponse:
    """已脱贫（享受政策） → 已脱贫（不再享受政策）: the county officer's dated, reasoned decision from the
    household page's exit panel (``registry.exit_actions.close_policies``; other roles get its 403)."""
    actor = Actor.for_user(request.user)
    household = get_household_for(actor, pk)  # 404 outside the scope
    back = reverse("registry:detail", args=[household.pk]) + "#exit-check"
    reason = (request.POST.get("reason") or "").strip()

    def run() -> str:
        close_policies(actor, household, date=_posted_date(request), reason=reason)
        return f"户 {household.household_no} 已认定为“已脱贫（不再享受政策）”；已在册的待遇不因此停发。"

    return _done(request, back, run)


# --- 预退出名单 and its steps -------------------------------------------------------------------------

SAMPLE_WORDS = {"准确": "correct", "错退": "wrongly_exited", "漏评": "wrongly_missed"}


def _year(value: str | None, default: int) -> int:
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if 2014 <= year <= 2100 else default


def _posted_date(request: HttpRequest, name: str = "date") -> dt.date:
    text = (request.POST.get(name) or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"日期「{text or '（空）'}」格式应为 YYYY-MM-DD，例如 2020-06-01") from None


def _region_for(actor: Actor, code: str, level: str) -> Region:
    region = Region.objects.filter(code=code, level=level).select_related("parent").first()
    if region is None or not actor.can_see(code):
        raise Http404("未找到该区域")
    return region


def _default_year(actor: Actor) -> int:
    latest = lists_for(actor).order_by("-year").values_list("year", flat=True).first()
    return latest or workday.today().year


@login_required
def exit_index(request: HttpRequest) -> HttpResponse:
    """村退出: incidence per village and township, what blocks each village, its list's stage."""
    actor = Actor.for_user(request.user)
    year = _year(request.GET.get("year"), _default_year(actor))
    prefix = actor.scope or "14"
    county = actor.scope[:6] if len(actor.scope) >= 6 else "141102"
    t = thresholds(county, year)
    rows = village_rows(prefix, year, t)
    context = {
        "year": year,
        "rows": [{"row": r, "incidence": percent(r.incidence, t.incidence_max), "blocks": r.blocks(t)} for r in rows],
        "townships": [{**x, "incidence_text": percent(x["incidence"], t.incidence_max)} for x in township_totals(rows)],
        "limit": percent(t.incidence_max),
        "county": county,
        "show_county": len(actor.scope) <= 6,
        "stages": dict(ExitStage.choices),
    }
    return render(request, "monitoring/exit/index.html", context)


@login_required
def village_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    village = _region_for(actor, code, "village")
    exit_list = ExitList.objects.filter(village=village, year=year).first()
    candidates = list(not_exited(code).order_by("household_no").prefetch_related("persons"))
    results = check_households([h.pk for h in candidates], year)
    entries = (
        list(exit_list.entries.select_related("household").order_by("household__household_no")) if exit_list else []
    )
    on_list = {e.household_id for e in entries}
    today = workday.today()
    context = {
        "village": village,
        "year": year,
        "exit_list": exit_list,
        "entries": [{"entry": e, "head": _head(e.household)} for e in entries],
        "steps": list(exit_list.steps.order_by("id")) if exit_list else [],
        "candidates": [
            {"household": h, "head": _head(h), "result": results[h.pk], "on_list": h.pk in on_list}
            for h in candidates
            if h.pk not in on_list
        ],
        "can": {stage: may_record(actor, stage) and actor.role != Role.AUDITOR for stage in STEPS},
        "today": today,
        "publicity_days": PUBLICITY_DAYS,
        # the 公示 form's defaults: from the working day, the shortest period allowed (both ends counted)
        "publicity_end": today + dt.timedelta(days=PUBLICITY_DAYS - 1),
    }
    return render(request, "monitoring/exit/village.html", context)


def _head(household: Household) -> str:
    heads = [p.name for p in household.persons.all() if p.relation == "head" and p.status == "active"]
    return heads[0] if heads else "—"


def _done(request: HttpRequest, url: str, run: Callable[[], str]) -> HttpResponse:
    """Run an action; its success sentence or its Chinese refusal as a message; back to ``url``. A role or
    region refusal (PermissionDenied) is the site's 403 page with its Chinese sentence, nothing written."""
    try:
        said = run()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, without_key(message))
    else:
        messages.success(request, said)
    return redirect(url)


def _village_url(exit_list: ExitList) -> str:
    return reverse("monitoring:exit:village", args=[exit_list.village.code, exit_list.year])


@login_required
@require_POST
def propose_view(request: HttpRequest, code: str, year: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    village = _region_for(actor, code, "village")
    chosen = [int(pk) for pk in request.POST.getlist("household") if pk.isdigit()]
    households = list(not_exited(code).filter(pk__in=chosen))
    url = reverse("monitoring:exit:village", args=[code, year])

    def run() -> str:
        actions.propose(actor, village.code, year, households, date=_posted_date(request))
        return f"已将 {len(households)} 户列入 {village.name} {year} 年预退出名单。"

    return _done(request, url, run)


STEP_VIEWS = ("review", "verify", "publicize", "township", "announce", "close")


@login_required
@require_POST
def step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    exit_list = lists_for(actor).filter(pk=pk).first()
    if exit_list is None or step not in STEP_VIEWS:
        raise Http404("未找到该名单")
    note = (request.POST.get("note") or "").strip()

    def run() -> str:
        if step == "review":
            removed = {
                int(k.removeprefix("remove_")): (request.POST.get(f"reason_{k.removeprefix('remove_')}") or "")
                for k in request.POST
                if k.startswith("remove_") and k.removeprefix("remove_").isdigit()
            }
            actions.record_review(actor, exit_list, date=_posted_date(request), note=note, removed=removed)
            return "已登记民主评议。"
        if step == "verify":
            actions.record_verification(actor, exit_list, date=_posted_date(request), note=note)
            return "已登记入户核实。"
        if step == "publicize":
            start, end = _posted_date(request, "start"), _posted_date(request, "end")
            actions.start_publicity(actor, exit_list, start=start, end=end)
            return f"已登记村公示（{start} 至 {end}）。"
        if step == "township":
            actions.township_verify(actor, exit_list, date=_posted_date(request), note=note)
            return "已登记乡镇核实。"
        if step == "announce":
            actions.announce(actor, exit_list, date=_posted_date(request), note=note)
            return "已登记县级公告。"
        actions.close(actor, exit_list, date=_posted_date(request), note=note)
        return "已销号：名单中的户状态已变为“已脱贫（享受政策）”，各项待遇照常发放。"

    return _done(request, _village_url(exit_list), run)


@login_required
@require_POST
def sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    entry = ExitEntry.objects.filter(pk=pk, exit_list__in=lists_for(actor)).select_related("exit_list__village").first()
    if entry is None:
        raise Http404("未找到该户")
    signed_by = (request.POST.get("signed_by") or "").strip()

    def run() -> str:
        actions.record_signature(actor, entry, date=_posted_date(request), signed_by=signed_by)
        return f"已记录户签字确认（{signed_by}）。"

    return _done(request, _village_url(entry.exit_list), run)


@login_required
def notice_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable 公示: names masked as on the public pages, no ID number, no income, no criterion."""
    actor = Actor.for_user(request.user)
    exit_list = lists_for(actor).filter(pk=pk).first()
    if exit_list is None or exit_list.publicity_start is None:
        raise Http404("该名单尚未公示")
    entries = exit_list.entries.filter(removed=False).select_related("household").order_by("household__household_no")
    rows = [
        [
            Cell(str(i)),
            Cell(mask_name(_head(e.household))),
            Cell(f"{e.household.persons.filter(status='active').count()} 人"),
        ]
        for i, e in enumerate(entries.prefetch_related("household__persons"), start=1)
    ]
    village, year = exit_list.village, exit_list.year
    assert exit_list.publicity_end is not None
    township = village.parent.name if village.parent else ""
    office, phone = contact_of(village.code)
    sheet = NoticeSheet(
        title=f"{village.name} {year} 年拟退出贫困户公示",
        intro=(
            f"经本人申请（签字确认）、村民主评议、村委会和驻村工作队入户核实，以下 {len(rows)} 户达到脱贫退出标准，"
            f"拟于 {year} 年退出，现予公示。"
        ),
        start=exit_list.publicity_start,
        end=exit_list.publicity_end,
        signer=f"{township}{village.name}村民委员会",
        office=f"{office} · {township}人民政府" if township else office,
        phone=phone,
        columns=[Column("序号"), Column("户主"), Column("家庭人口")],
        rows=rows,
        countdown=countdown(exit_list.publicity_end, workday.today()),
    )
    context = {
        "notice": sheet,
        "printed_at": timezone.localtime(),
        "back": reverse("monitoring:exit:village", args=[village.code, year]),
    }
    return render(request, "jingzhun/notice_print.html", context)


# --- 县退出：三率一度 -------------------------------------------------------------------------------------


COUNTY_FIELDS = ("date", "findings", "note", "asked", "approving")  # the county page's two forms, kept on a refusal


@login_required
@require_http_methods(["GET", "POST"])
def county_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    actor = Actor.for_user(request.user)
    county = _region_for(actor, code, "county") if actor.scope else Region.objects.get(code=code, level="county")
    url = reverse("monitoring:exit:county", args=[code, year])
    if request.method == "POST":
        what = request.POST.get("what")

        def run() -> str:
            if what == "survey":
                try:
                    asked, approving = int(request.POST.get("asked", "")), int(request.POST.get("approving", ""))
                except ValueError:
                    raise ValidationError("调查人数、认可人数应为整数") from None
                actions.record_survey(actor, code, year, date=_posted_date(request), asked=asked, approving=approving)
                return f"已录入认可度调查：{approving}/{asked}。"
            findings = []
            for line in (request.POST.get("findings") or "").splitlines():
                parts = line.replace("，", ",").replace(",", " ").split()
                if parts:
                    word = parts[1] if len(parts) > 1 else ""
                    findings.append((parts[0], SAMPLE_WORDS.get(word, word)))
            sample = actions.record_sample_check(
                actor, code, year, date=_posted_date(request), findings=findings, note=request.POST.get("note", "")
            )
            return f"已录入抽样核查（{sample.findings.count()} 户）。"

        try:
            said = run()
        except ValidationError as exc:  # shown beside what was typed (walk8: the forms came back empty)
            for message in exc.messages:
                messages.error(request, without_key(message))
            posted = {"what": what, **{k: request.POST.get(k, "") for k in COUNTY_FIELDS}}
        else:
            messages.success(request, said)
            return redirect(url)
    else:
        posted = {}
    figures = county_figures(county, year)
    context = {
        "f": figures,
        "year": year,
        "rates": [
            (
                "贫困发生率",
                percent(figures.incidence, figures.thresholds.incidence_max),
                f"< {percent(figures.thresholds.incidence_max)}",
                f"{figures.poor}/{figures.population} 人",
            ),
            (
                "错退率",
                percent(figures.wrong_exit, figures.thresholds.wrong_exit_max),
                f"< {percent(figures.thresholds.wrong_exit_max)}",
                f"{figures.wrongly_exited}/{figures.exited_sampled} 户",
            ),
            (
                "漏评率",
                percent(figures.missed, figures.thresholds.missed_max),
                f"< {percent(figures.thresholds.missed_max)}",
                f"{figures.wrongly_missed}/{figures.other_sampled} 户",
            ),
            (
                "群众认可度",
                percent(figures.approval, figures.thresholds.approval_min),
                f"≥ {percent(figures.thresholds.approval_min)}",
                f"{figures.approving}/{figures.asked} 人",
            ),
        ],
        "can_enter": actor.role in (Role.COUNTY_OFFICER, Role.ADMIN),
        "sample": posted if posted.get("what") == "sample" else {},
        "survey": posted if posted.get("what") == "survey" else {},
        "samples": SampleCheck.objects.filter(county=county, year=year).annotate(n=Count("findings")),
        "surveys": SurveyCount.objects.filter(county=county, year=year),
    }
    return render(request, "monitoring/exit/county.html", context)
