"""The demo county's 帮扶记录: one to three per registered-poor household in 2019–2020, deterministic.

The measures and their sizes follow the 吕梁 reporting ([seed] ../shared/seeds/, see ``HelpKind``):
护林员 at 800 元 a month and 雨露计划 at 2 000 元 a student (002), 香菇菌棒 and 核桃林 (003), 5 万元
three-year 小额信贷 (002, 003), 危房改造 and 易地搬迁 (003, 004), 家庭医生签约 and 先诊疗后付费 (002, 004),
New-Year 走访慰问 with 米面油 (002, 003). Written through :func:`helprecords.add_help_records` (one
transaction, one audit row per record) as the system actor ``demo``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from jingzhun.core.actions import Actor
from jingzhun.helping.actions import add_help_records
from jingzhun.helping.models import HelpKind
from jingzhun.registry.models import Household, HouseholdStatus

FIRST, LAST = dt.date(2019, 1, 1), dt.date(2020, 6, 30)  # up to the demo's last run month (2020-06)
PRIVATE_SHARE = 0.1  # records a cadre keeps off the public page
# (content, public text, value in 元 or None), drawn with the household's generator
Measure = tuple[str, str, int | None]


def _visit(r: random.Random) -> Measure:
    return r.choice(
        [
            ("春节前入户走访慰问，送去米面油，询问取暖和看病情况", "春节走访慰问，送米面油", r.choice([200, 300, 400])),
            ("入户宣讲“两不愁三保障”政策，核对家庭人口和收入，户主无新增困难", "入户走访、政策宣讲", None),
            ("中秋节入户慰问，送月饼和慰问金，了解子女上学情况", "中秋走访慰问", r.choice([200, 300])),
        ]
    )


def _industry(r: random.Random) -> Measure:
    trees, sticks, sheep = r.choice([100, 150, 200, 300]), r.choice([1000, 2000, 3000]), r.randint(3, 8)
    return r.choice(
        [
            (f"发放核桃苗 {trees} 株，现场讲解嫁接和病虫害防治", f"发放核桃苗 {trees} 株", trees * 5),
            (f"发放香菇菌棒 {sticks} 棒，联系合作社订单收购", f"发放香菇菌棒 {sticks} 棒", sticks * 3),
            (f"落实养羊产业奖补 {sheep} 只，联系兽医站上门防疫", f"养羊产业奖补 {sheep} 只", sheep * 500),
            ("村级光伏扶贫电站收益分配到户", "光伏扶贫收益分配", r.choice([600, 800, 1000])),
            ("发放小杂粮良种和化肥，指导春播", "发放良种和化肥", r.choice([150, 200, 300])),
        ]
    )


def _employment(r: random.Random) -> Measure:
    return r.choice(
        [
            ("安排生态护林员公益岗位，月工资 800 元，负责本村管护片区", "安排护林员公益岗位", 9600),
            ("安排村内保洁公益岗位，月工资 500 元", "安排保洁公益岗位", 6000),
            ("推荐参加县劳动技能培训基地焊工培训，已结业取证", "参加焊工技能培训", None),
            ("联系转移就业到太原建筑工地务工，落实一次性交通补贴", "转移就业，发放交通补贴", 300),
        ]
    )


def _education(r: random.Random) -> Measure:
    return r.choice(
        [
            ("子女就读中职，落实雨露计划补助", "雨露计划补助 2000 元", 2000),
            ("义务教育阶段子女落实教育资助（寄宿生生活补助）", "义务教育阶段学生资助", r.choice([500, 625, 1000])),
        ]
    )


def _health(r: random.Random) -> Measure:
    return r.choice(
        [
            ("家庭医生签约服务，入户随访，测量血压并调整用药", "家庭医生签约服务", None),
            ("住院治疗落实先诊疗后付费和“一站式”结算", "先诊疗后付费“一站式”结算", None),
            ("协助办理慢性病门诊补充医疗保险报销", "慢性病门诊报销", r.choice([300, 500, 800])),
        ]
    )


def _housing(r: random.Random) -> Measure:
    return r.choice(
        [
            ("农村危房改造竣工验收，补助资金已拨付", "农村危房改造", r.choice([12000, 14000, 16000])),
            ("易地扶贫搬迁入住集中安置点，协调搬迁后就业", "易地扶贫搬迁入住", None),
        ]
    )


def _finance(r: random.Random) -> Measure:
    amount = r.choice([20000, 30000, 50000])
    return (
        f"办理扶贫小额信贷 {amount // 10000} 万元（三年期，财政贴息），用于养殖",
        f"扶贫小额信贷 {amount // 10000} 万元",
        amount,
    )


def _other(r: random.Random) -> Measure:
    jin = r.choice([50, 100, 200])
    return r.choice(
        [
            ("协助办理残疾证和残疾人两项补贴申请", "协助办理补贴申请", None),
            (f"消费扶贫：帮助销售小杂粮 {jin} 斤", f"消费扶贫，帮销小杂粮 {jin} 斤", jin * 4),
        ]
    )


KINDS: list[tuple[str, float, Callable[[random.Random], Measure]]] = [
    (HelpKind.VISIT, 0.30, _visit),
    (HelpKind.INDUSTRY, 0.22, _industry),
    (HelpKind.EMPLOYMENT, 0.15, _employment),
    (HelpKind.HEALTH, 0.10, _health),
    (HelpKind.FINANCE, 0.08, _finance),
    (HelpKind.EDUCATION, 0.07, _education),
    (HelpKind.HOUSING, 0.04, _housing),
    (HelpKind.OTHER, 0.04, _other),
]


def plan(households: list[Household], seed: int) -> list[tuple[Household, dict[str, Any]]]:
    """The records, in household order; the same households and seed give the same records."""
    kinds, weights, makers = zip(*KINDS, strict=True)
    rows: list[tuple[Household, dict[str, Any]]] = []
    for household in households:
        r = random.Random(f"{seed}:{household.household_no}")
        start = max(FIRST, dt.date(household.registered_year or FIRST.year, 1, 1))
        if start > LAST:
            continue
        span = (LAST - start).days
        for _ in range(r.choices([1, 2, 3], weights=[0.3, 0.45, 0.25])[0]):
            i = r.choices(range(len(kinds)), weights=weights)[0]
            content, public_text, yuan = makers[i](r)
            fields = {
                "date": start + dt.timedelta(days=r.randint(0, span)),
                "kind": kinds[i],
                "content": content,
                "value_fen": None if yuan is None else yuan * 100,
                "public": r.random() >= PRIVATE_SHARE,
                "public_text": public_text,
            }
            rows.append((household, fields))
    return rows


def add_demo_help_records(actor: Actor, county: str, seed: int) -> int:
    """帮扶记录 for every open registered-poor household of ``county``; returns how many were written."""
    households = list(
        Household.objects.filter(
            village__code__startswith=county,
            registered_year__isnull=False,
            status__in=HouseholdStatus.values,
            active=True,
        )
        .select_related("village")
        .order_by("household_no")
    )
    return add_help_records(actor, plan(households, seed))
