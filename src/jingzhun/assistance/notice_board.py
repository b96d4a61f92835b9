"""The printable 公示 of a village's batch: the applications whose 公示 started on one day in one village.

What the village posts on its board (民发〔2012〕220号: 公示 the 拟保障对象 with family size and amount): the
head's name masked as on the 一码清 pages, 家庭人口, 救助类别 and 申请类型, the monthly amount the approval
would give (``approval_amount``; a 临时救助's amount asked), the 申请日期, the 公示期, and where to object —
the village, the township and the county's 监督举报电话. Read-only; the batches of a village are the distinct
start days of its applications' 公示开始 steps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet

from jingzhun.assistance import workflow as wf
from jingzhun.assistance.approval_amount import approval_amount, shows_amount
from jingzhun.assistance.models import Application, ApplicationKind, ApplicationStep, StepName
from jingzhun.core import workday
from jingzhun.core.masking import mask_name
from jingzhun.core.notice_sheet import Cell, Column, NoticeSheet, countdown
from jingzhun.policy.money import fen_to_grouped
from jingzhun.registry.models import Person, PersonStatus, Region
from jingzhun.registry.public_contact import contact_of

COLUMNS = [
    Column("序号"),
    Column("户主"),
    Column("家庭人口"),
    Column("救助类别"),
    Column("申请类型"),
    Column("月救助金额（元）", money=True),
    Column("申请日期"),
]


def notice_period(application: Application) -> tuple[dt.date, dt.date] | None:
    """(first, last day) of the application's latest 公示, or None before it started."""
    step = application.steps.filter(step=StepName.NOTICE_START).order_by("-id").first()
    if step is None:
        return None
    return dt.date.fromisoformat(step.data["start_date"]), dt.date.fromisoformat(step.data["end_date"])


def _starts(village: Region) -> QuerySet[ApplicationStep]:
    return ApplicationStep.objects.filter(step=StepName.NOTICE_START, application__household__village=village)


def batches(village: Region) -> list[tuple[dt.date, int]]:
    """The village's 公示 batches, newest first: (start day, number of applications)."""
    rows = _starts(village).values("data__start_date").annotate(n=Count("application", distinct=True))
    out = [(dt.date.fromisoformat(r["data__start_date"]), int(r["n"])) for r in rows if r["data__start_date"]]
    return sorted(out, reverse=True)


def _amount(app: Application, start: dt.date) -> str:
    if app.kind == ApplicationKind.TEMPORARY:
        fen = app.amount_approved_fen if app.amount_approved_fen is not None else app.amount_due_fen
        return f"{fen_to_grouped(fen)}（一次性）" if fen is not None else "—"
    if not shows_amount(app):
        return "—"
    amount = approval_amount(app, wf.next_month(start))
    return fen_to_grouped(amount.monthly_fen) if amount.monthly_fen is not None else "待核定"


def sheet(village: Region, start: dt.date) -> NoticeSheet | None:
    """The printable 公示 of ``village``'s batch started on ``start``, or None when there is no such batch."""
    steps = list(
        _starts(village)
        .filter(data__start_date=start.isoformat())
        .select_related("application__household")
        .order_by("application__household__household_no", "application_id", "id")
    )
    if not steps:
        return None
    apps: dict[int, tuple[Application, dict[str, Any]]] = {}
    for step in steps:
        apps.setdefault(step.application_id, (step.application, step.data))
    household_ids = [app.household_id for app, _ in apps.values()]
    heads: dict[int, str] = {}
    sizes: dict[int, int] = {}
    persons = Person.objects.filter(household_id__in=household_ids, status=PersonStatus.ACTIVE).order_by("id")
    for household_id, name, relation in persons.values_list("household_id", "name", "relation"):
        sizes[household_id] = sizes.get(household_id, 0) + 1
        if relation == "head":
            heads.setdefault(household_id, name)
    end = max(dt.date.fromisoformat(data["end_date"]) for _, data in apps.values())
    place = next((data.get("place", "") for _, data in apps.values() if data.get("place")), "")
    township = village.parent
    office, phone = contact_of(village.code)
    rows = [
        [
            Cell(str(i)),
            Cell(mask_name(heads.get(app.household_id, ""))),
            Cell(f"{sizes.get(app.household_id, 0)} 人"),
            Cell(app.get_family_display()),
            Cell(app.get_kind_display()),
            Cell(_amount(app, start), money=True),
            Cell(f"{app.submitted_on:%Y-%m-%d}"),
        ]
        for i, (app, _) in enumerate(apps.values(), start=1)
    ]
    town = township.name if township is not None else ""
    return NoticeSheet(
        title=f"{village.name}社会救助对象公示",
        intro=(
            f"经本人申请、入户调查和民主评议，以下 {len(rows)} 户拟纳入（或调整）社会救助，现予公示，接受群众监督。"
        ),
        start=start,
        end=end,
        signer=f"{town}{village.name}村民委员会",
        office=f"{office} · {town}人民政府" if town else office,
        phone=phone,
        columns=COLUMNS,
        rows=rows,
        place=place,
        countdown=countdown(end, workday.today()),
    )
