"""月度发放 refuses a month before 2014-01 or after next month, in Chinese, before any job is queued."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance.run_months import latest_run_month
from jingzhun.core.models import BackgroundJob

pytestmark = pytest.mark.django_db


def after(first: dt.date) -> str:
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return f"{nxt:%Y-%m}"


@pytest.mark.parametrize("action", ["preview", "run"])
@pytest.mark.parametrize(
    ("month", "says"),
    [
        ("2099-12", "发放月份最晚只能是下个月"),
        ("after-next", "发放月份最晚只能是下个月"),
        ("1999-01", "发放月份不能早于 2014-01（建档立卡开始）"),
        ("2013-12", "发放月份不能早于 2014-01"),
        ("2020-13", "发放月份应为 YYYY-MM"),
    ],
)
def test_out_of_range_months_are_refused_on_the_form(
    login: Any, world: Any, month: str, says: str, action: str
) -> None:
    if month == "after-next":
        month = after(latest_run_month())
    response = login("alice").post("/runs/", {"month": month, "action": action})
    assert response.status_code == 200
    page = response.content.decode()
    assert says in page and "[month]" not in page
    assert not BackgroundJob.objects.exists()


def test_next_month_may_be_previewed(login: Any, world: Any) -> None:
    month = f"{latest_run_month():%Y-%m}"
    page = login("alice").post("/runs/", {"month": month, "action": "preview"}, follow=True).content.decode()
    assert "试算，未写入台账" in page
    assert BackgroundJob.objects.get().params == {"month": month}


def test_the_month_input_carries_the_range(login: Any, world: Any) -> None:
    page = login("alice").get("/runs/").content.decode()
    assert f'min="2014-01" max="{latest_run_month():%Y-%m}"' in page
