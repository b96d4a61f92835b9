"""The demo's 光伏收益, 公益岗位/护林员 and 爱心超市 for the synthetic county (``make demo``, called from
``demo_data.build_demo_projects``). Deterministic for a seed; every write goes through the actions.

* A station for each village with a 光伏扶贫 project (at most 12), sharing 离石's 2016 stations' figures to
  September 2018 — 66.2 万度, 21.7 万元 (issue #17's seed) — as their 2018 generation and revenue; each
  village's plan gives a PV-funded 光伏电站看护员 post a year's wage, small public works and 文明户 rewards.
* 生态护林员 in the county's villages (registered-poor members with labour), paid 2020-01 … 2020-06 at the
  county wage pro rata to attendance; the PV posts paid the same months. All in the ledger.
* 爱心超市 points for registered households of a few villages: earned in May and June 2020, goods taken.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from jingzhun.core.actions import Actor
from jingzhun.projects import points_actions as pts
from jingzhun.projects import post_actions as posts
from jingzhun.projects import pv_actions as pv
from jingzhun.projects.models import PostMonth, Project, PvStation, WelfarePost
from jingzhun.registry.models import Household, Person, Region

GENERATION_KWH = 662_000
REVENUE_FEN = 21_700_000
MONTHS = [dt.date(2020, m, 1) for m in range(1, 7)]
RANGERS = 24
POINT_HOUSEHOLDS = 30
PV_WAGE_FEN = 50_000  # 500 元 a month for the station's 看护员


@dataclass(frozen=True)
class DemoLivelihood:
    stations: int
    posts: int
    wage_months: int
    wage_fen: int
    point_households: int

    def message(self) -> str:
        return (
            f"光伏电站 {self.stations} 座（2018 年收益已分配）；公益岗位和护林员 {self.posts} 人，"
            f"核发工资 {self.wage_months} 人次、{self.wage_fen / 100:,.2f} 元；爱心超市积分 {self.point_households} 户"
        )


def _labour(county: str) -> list[Person]:
    return list(
        Person.objects.filter(
            household__village__code__startswith=county,
            household__active=True,
            household__registered_year__isnull=False,
            household__status__isnull=False,
            status="active",
            labour__in=posts.LABOUR_OK,
        )
        .select_related("household__village")
        .order_by("household__household_no", "id")
    )


def build_demo_livelihood(actor: Actor, county: str, seed: int) -> DemoLivelihood:
    rng = random.Random(seed * 31 + 7)
    if WelfarePost.objects.filter(village__code__startswith=county).exists():  # already there (demo re-run)
        paid = PostMonth.objects.filter(post__village__code__startswith=county)
        return DemoLivelihood(
            PvStation.objects.filter(village__code__startswith=county).count(),
            WelfarePost.objects.filter(village__code__startswith=county).count(),
            paid.count(),
            sum(paid.values_list("wage_fen", flat=True)),
            0,
        )
    pv_villages = list(
        Region.objects.filter(
            level="village", code__startswith=county, pk__in=Project.objects.filter(kind="pv").values("region_id")
        ).order_by("code")[:12]
    )
    labour = _labour(county)
    by_village: dict[int, list[Person]] = {}
    for person in labour:
        by_village.setdefault(person.household.village_id, []).append(person)
    used: set[int] = set()
    made: list[WelfarePost] = []
    stations = 0
    n = max(1, len(pv_villages))
    for i, village in enumerate(pv_villages):
        station = pv.create_station(
            actor,
            village_code=village.code,
            name=f"{village.name}光伏扶贫电站",
            capacity_kw=Decimal(rng.choice([100, 200, 300])),
            built_year=2016,
        )
        share = REVENUE_FEN // n + (REVENUE_FEN % n if i == 0 else 0)
        kwh = GENERATION_KWH // n + (GENERATION_KWH % n if i == 0 else 0)
        pv.record_year(actor, station, year=2018, generation_kwh=kwh, revenue_fen=share)
        stations += 1
        holder = next((p for p in by_village.get(village.pk, []) if p.pk not in used), None)
        lines: list[dict[str, object]] = []
        if holder is not None:
            used.add(holder.pk)
            post = posts.create_post(
                actor,
                village_code=village.code,
                kind="welfare",
                title="光伏电站看护员",
                holder_id_number=holder.id_number,
                start_month=MONTHS[0],
                month_wage_fen=PV_WAGE_FEN,
                funding="pv_revenue",
            )
            made.append(post)
            lines.append(
                {"use": "public_welfare_wages", "amount_fen": min(12 * PV_WAGE_FEN, share // 2), "post": post.pk}
            )
        left = share - sum(int(str(x["amount_fen"])) for x in lines)
        lines.append(
            {
                "use": "small_public_works",
                "amount_fen": left * 2 // 3,
                "payee": f"{village.name}村委会",
                "note": "村内道路和路灯维修",
            }
        )
        lines.append({"use": "rewards", "amount_fen": left - left * 2 // 3, "condition": "文明户、孝亲敬老评选奖励"})
        pv.distribute(
            actor, village_code=village.code, year=2018, lines=[x for x in lines if int(str(x["amount_fen"])) > 0]
        )
    rangers = [p for p in labour if p.pk not in used]
    for person in rng.sample(rangers, min(RANGERS, len(rangers))):
        used.add(person.pk)
        made.append(
            posts.create_post(
                actor,
                village_code=person.household.village.code,
                kind="forest_ranger",
                title="生态护林员",
                holder_id_number=person.id_number,
                start_month=MONTHS[0],
            )
        )
    wage_months, wage_fen = 0, 0
    for post in made:
        for month in MONTHS:
            required = 22
            worked = required - rng.choice([0, 0, 0, 1, 2, 4])
            wage_fen += posts.pay_post_month(
                actor, post, month=month, days_worked=worked, days_required=required
            ).wage_fen
            wage_months += 1
    households = list(
        Household.objects.filter(village__code__startswith=county, active=True, registered_year__isnull=False)
        .select_related("village")
        .order_by("household_no")[: POINT_HOUSEHOLDS * 3]
    )
    chosen = rng.sample(households, min(POINT_HOUSEHOLDS, len(households)))
    for home in chosen:
        pts.earn(actor, home, day=dt.date(2020, 5, 8), activity="policy_talk")
        pts.earn(actor, home, day=dt.date(2020, 5, 22), activity="sanitation", count=rng.randint(1, 3))
        if rng.random() < 0.3:
            pts.earn(actor, home, day=dt.date(2020, 6, 1), activity="model_household")
        pts.earn(actor, home, day=dt.date(2020, 6, 12), activity="sanitation")
        balance = pts.balance(home)
        if balance >= 10:
            pts.redeem(
                actor,
                home,
                day=dt.date(2020, 6, 20),
                points=rng.randint(5, balance),
                goods=rng.choice(["食用油", "洗衣粉", "大米", "毛巾"]),
            )
    return DemoLivelihood(stations, len(made), wage_months, wage_fen, len(chosen))
