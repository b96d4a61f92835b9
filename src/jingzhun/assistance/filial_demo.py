"""The demo's 孝亲敬老奖励: 子女赡养费 for a handful of elders of the logins' village, through the action.

The demo's month (2020-06) is not the Double Ninth's (2020-10-25), so nothing is paid: the household
page shows the reward the engine computes and "将于 2020 年 10 月发放". The amounts walk the rule's steps
(under one step, one step, two, the cap).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from jingzhun.assistance.filial import double_ninth, payment_month, reward_fen
from jingzhun.assistance.filial_actions import PARENT_MIN_AGE, record_support_payment
from jingzhun.core.actions import Actor
from jingzhun.policy.context import age_on
from jingzhun.policy.money import fen_to_grouped

YEAR = 2020
ELDERS = 6
# yuan per payment for each elder in turn: 600 → 0 元, 1200 → 200, 1000 + 1000 → 400, 2500 → 400 (cap) …
PLANS: tuple[tuple[int, ...], ...] = ((600,), (1200,), (1000, 1000), (2500,), (800, 900), (3600,))
GIVEN = ("建军", "秀梅", "志强", "海燕", "国庆", "丽娟", "卫东", "春梅")


def add_demo_support(actor: Actor, village_code: str, seed: int) -> str:
    from jingzhun.registry.models import Person

    first = payment_month(YEAR)
    rng = random.Random(seed)
    people = Person.objects.filter(
        household__village__code__startswith=village_code, household__active=True, status="active"
    ).select_related("household")
    elders = [
        p for p in people.order_by("household__household_no", "pk") if age_on(p.birth_date, first) >= PARENT_MIN_AGE
    ]
    chosen: list[Any] = []
    for person in elders:  # one elder per household, so each household's reward shows one plan
        if person.household_id not in {c.household_id for c in chosen}:
            chosen.append(person)
        if len(chosen) == ELDERS:
            break
    households = []
    payments = 0
    for index, (elder, plan) in enumerate(zip(chosen, PLANS, strict=False)):
        for n, yuan in enumerate(plan):
            day = dt.date(YEAR, 1 + 2 * n + index % 2, 10 + index)
            record_support_payment(
                actor,
                elder.household,
                parent=elder,
                payer_name=elder.name[0] + rng.choice(GIVEN),
                payer_relation="son" if (index + n) % 2 == 0 else "daughter",
                paid_on=day,
                amount_fen=yuan * 100,
                period_from=day.replace(day=1),
                period_to=day.replace(month=min(day.month + 2, 12), day=28),
            )
            payments += 1
        households.append(elder.household)
    total = sum(reward_fen(h, YEAR) or 0 for h in households)
    return (
        f"孝亲敬老奖励：已录入 {len(chosen)} 位老人的子女赡养费 {payments} 笔（{village_code}），"
        f"{YEAR} 年重阳节（{double_ninth(YEAR).isoformat()}）评定，计算奖励合计 {fen_to_grouped(total)} 元，"
        f"将于 {first:%Y-%m} 发放（须申请并获批；演示月份不发放）"
    )
