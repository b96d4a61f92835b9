"""返贫预警's 公示: the printable list of a village's cases whose 评议公示 started on one day.

Names masked as on the 一码清 pages; no flag, level, income or health fact (a neighbour learns that the
household is proposed for 防返贫监测 and nothing of why). Region-scoped; a 帮扶 cadre has none.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from jingzhun.core import workday
from jingzhun.core.actions import Actor
from jingzhun.core.masking import mask_name
from jingzhun.core.models import Role
from jingzhun.core.notice_sheet import Cell, Column, NoticeSheet, countdown
from jingzhun.monitoring.cases.actions import NOTICE_DAYS
from jingzhun.monitoring.models import Case
from jingzhun.registry.models import Person, PersonStatus, Region, RegionLevel
from jingzhun.registry.public_contact import contact_of


def notice_end(start: dt.date) -> dt.date:
    """The last day of a case's 公示 (乡镇审核 from the next day on: ``actions.township_review``)."""
    return start + dt.timedelta(days=NOTICE_DAYS - 1)


@login_required
@require_safe
def case_notice(request: HttpRequest, code: str, start: str) -> HttpResponse:
    actor = Actor.for_user(request.user)
    village = Region.objects.filter(code=code, level=RegionLevel.VILLAGE).select_related("parent").first()
    if village is None or not actor.can_see(code) or actor.role == Role.ASSIGNED_CADRE:
        raise Http404("未找到该村")
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        raise Http404("公示开始日期应为 YYYY-MM-DD") from None
    cases = list(Case.objects.filter(household__village=village, notice_start=day).order_by("household__household_no"))
    if not cases:
        raise Http404(f"{village.name}没有 {day.isoformat()} 开始的监测对象公示")
    ids = [c.household_id for c in cases]
    heads: dict[int, str] = {}
    sizes: dict[int, int] = {}
    persons = Person.objects.filter(household_id__in=ids, status=PersonStatus.ACTIVE).order_by("id")
    for household_id, name, relation in persons.values_list("household_id", "name", "relation"):
        sizes[household_id] = sizes.get(household_id, 0) + 1
        if relation == "head":
            heads.setdefault(household_id, name)
    township = village.parent.name if village.parent else ""
    office, phone = contact_of(village.code)
    end = notice_end(day)
    sheet = NoticeSheet(
        title=f"{village.name}防止返贫监测对象公示",
        intro=f"经农户申报或排查、入户核实和村民主评议，以下 {len(cases)} 户拟纳入防止返贫监测，现予公示。",
        start=day,
        end=end,
        signer=f"{township}{village.name}村民委员会",
        office=f"{office} · {township}人民政府" if township else office,
        phone=phone,
        columns=[Column("序号"), Column("户主"), Column("家庭人口")],
        rows=[
            [Cell(str(i)), Cell(mask_name(heads.get(c.household_id, ""))), Cell(f"{sizes.get(c.household_id, 0)} 人")]
            for i, c in enumerate(cases, start=1)
        ],
        countdown=countdown(end, workday.today()),
    )
    return render(request, "jingzhun/notice_print.html", {"notice": sheet, "printed_at": timezone.localtime()})
