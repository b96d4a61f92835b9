"""The demo's 子女赡养费: recorded through the action for elders of one village, reward shown, not paid."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance.filial import reward_fen
from jingzhun.assistance.filial_demo import add_demo_support
from jingzhun.assistance.filial_models import SupportPayment
from jingzhun.core.actions import Actor
from tests.ledger.factories import make_household

pytestmark = pytest.mark.django_db


def test_demo_support_walks_the_steps_of_the_rule(regions: dict[str, Any]) -> None:
    homes = [make_household(regions["v11"], f"D{n}", families=()) for n in range(7)]  # heads born 1950
    young = make_household(regions["v11"], "A0", families=(), members=[{"birth_date": dt.date(1975, 1, 1)}])
    message = add_demo_support(Actor.system("demo"), regions["v11"].code, seed=7)
    assert not SupportPayment.objects.filter(household=young).exists()
    assert SupportPayment.objects.values("household").distinct().count() == 6
    # plans 600, 1200, 1000 + 1000, 2500, 800 + 900, 3600 → 0, 200, 400, 400, 200, 400 元
    assert [reward_fen(h, 2020) for h in homes[:6]] == [0, 20_000, 40_000, 40_000, 20_000, 40_000]
    assert "计算奖励合计 1,600.00 元，将于 2020-10 发放" in message
