"""The demo's 低保名册 (民政's roll) from the county's own enrolled 低保 households, for 数据比对.

Built here, in the front door, because it reads the enrollments (assistance) and the month's 低保 paid (ledger)
for the monitoring part's list (walk: a random 150-row sample read "52 应保未保, 104 不一致"). One row per
enrolled household (its head), with a few realistic discrepancies drawn by the seed: ``ROLL_LEFT_OFF`` 建档立卡
households left off (应保未保), ``ROLL_EXTRA`` low-income households neither 建档立卡 nor enrolled added (漏评
candidates) and ``ROLL_WRONG`` rows with a wrong 保障人数 or (every other one) a neighbouring 村代码.
"""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

ROLL_LEFT_OFF = 3  # [default]
ROLL_EXTRA = 2  # [default]
ROLL_WRONG = 4  # [default]
ROLL_COLUMNS = ("姓名", "身份证号", "出生日期", "村代码", "低保证号", "保障人数", "月保障金（元）")


def enrolled_roll(county: str, as_of: dt.date, seed: int) -> pl.DataFrame:
    """民政's 低保名册 as of ``as_of``: the county's households with an active 低保 enrollment, one row each (the
    head: 姓名, 身份证号, 出生日期, 村代码, 低保证号, 保障人数 = active members, 月保障金 = the month's 低保 paid),
    with the module docstring's discrepancies drawn by ``seed``. Empty when nothing is enrolled."""
    from django.db.models import Count, F, Q, Sum

    from jingzhun.assistance.models import Enrollment, EnrollmentStatus
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.policy.money import fen_to_str
    from jingzhun.registry.models import Household, IncomeRecord, Person, PersonStatus

    rng = random.Random(seed * 7 + as_of.year)
    enrolled = set(
        Enrollment.objects.filter(
            family="dibao", status=EnrollmentStatus.ACTIVE, household__village__code__startswith=county
        ).values_list("household_id", flat=True)
    )
    if not enrolled:
        return pl.DataFrame(schema=dict.fromkeys(ROLL_COLUMNS, pl.String))
    households = Household.objects.filter(village__code__startswith=county, active=True).annotate(
        size=Count("persons", filter=Q(persons__status=PersonStatus.ACTIVE))
    )
    sizes = dict(households.values_list("pk", "size"))
    poor = sorted(households.filter(pk__in=enrolled, registered_year__isnull=False).values_list("pk", flat=True))
    left_off = set(rng.sample(poor, min(ROLL_LEFT_OFF, len(poor))))
    # 漏评 candidates: the households neither 建档立卡 nor enrolled with the lowest income a member last year
    income = dict(
        IncomeRecord.objects.filter(
            person__household__village__code__startswith=county,
            person__status=PersonStatus.ACTIVE,
            year=as_of.year - 1,
        )
        .values("person__household_id")
        .annotate(
            total=Sum(F("wages_fen") + F("farming_fen") + F("business_fen") + F("property_fen") + F("transfer_fen"))
        )
        .values_list("person__household_id", "total")
    )
    outside = households.filter(registered_year__isnull=True, size__gt=0).exclude(pk__in=enrolled)
    lowest = sorted(outside.values_list("pk", flat=True), key=lambda pk: (income.get(pk, 0) / sizes[pk], pk))
    extra = set(lowest[:ROLL_EXTRA])
    on_roll = sorted((enrolled - left_off) | extra)
    paid = dict(
        PaymentLine.objects.filter(household_id__in=on_roll, program="dibao", month=as_of.replace(day=1))
        .values("household_id")
        .annotate(fen=Sum("amount_fen"))
        .values_list("household_id", "fen")
    )
    heads = {
        p.household_id: p
        for p in Person.objects.filter(household_id__in=on_roll, status=PersonStatus.ACTIVE, relation="head")
        .select_related("household__village")
        .order_by("household_id", "pk")
    }
    rows = [pk for pk in on_roll if pk in heads]
    wrong = rng.sample([pk for pk in rows if pk not in extra], min(ROLL_WRONG, len(rows)))
    villages = sorted({p.household.village.code for p in heads.values()})
    out: list[tuple[str, ...]] = []
    for pk in rows:
        head = heads[pk]
        village, size = head.household.village.code, sizes.get(pk, 1)
        if pk in wrong[1::2]:  # every other wrong row: a neighbouring village of the township
            village = next((v for v in villages if v[:9] == village[:9] and v != village), village)
        elif pk in wrong:
            size += 1
        birth = head.birth_date.isoformat() if head.birth_date else ""
        number = f"LB{pk:06d}"
        out.append((head.name, head.id_number, birth, village, number, str(size), fen_to_str(paid.get(pk) or 0)))
    return pl.DataFrame(out, schema=dict.fromkeys(ROLL_COLUMNS, pl.String), orient="row")
