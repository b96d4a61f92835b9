"""工作台 per role: this month's figures and my to-dos, each with its count and link."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.dashboard.conftest import add_activity
from tests.staff import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(regions: dict[str, Any], personas: dict[str, Any]) -> dict[str, Any]:
    """The dashboard world plus an application in 公示 ending tomorrow and one awaiting the township."""
    from django.utils import timezone

    from jingzhun.assistance.models import Application, ApplicationStep

    world = build_world(regions, personas)
    add_activity(world)
    today = timezone.localdate()
    notice = Application.objects.create(
        household=world["own_other"],
        family="dibao",
        status="in_notice",
        created_via="village",
        created_by_label="t",
        submitted_on=today,
    )
    ApplicationStep.objects.create(
        application=notice,
        step="notice_start",
        actor_label="t",
        data={
            "start_date": (today - dt.timedelta(days=5)).isoformat(),
            "end_date": (today + dt.timedelta(days=1)).isoformat(),
        },
    )
    Application.objects.create(
        household=world["sibling_village"],
        family="dibao",
        status="noticed",
        created_via="village",
        created_by_label="t",
        submitted_on=today,
    )
    return world


def todos(html: str) -> dict[str, tuple[int, str]]:
    section = html[html.index("我的待办") :]
    found = re.findall(r'<td><a href="([^"]+)">([^<]+)</a></td><td>(?:<span class="badge warn">)?(\d+)', section)
    return {label: (int(n), url) for url, label, n in found}


def test_county_officer_sees_the_month_and_the_to_dos(login: Any, busy: Any) -> None:
    html = login("alice").get("/").content.decode()
    assert "2020-06 发放（元）" in html and "1,104.42" in html  # 低保 404.42 + 特困 700.00
    assert "2 户；上月（2020-05）400.00 元，增减 704.42 元" in html
    assert "1 / 2" in html  # 刘保平's household: one enrolled household of two persons
    t = todos(html)
    assert t["公示即将期满"] == (1, "/assistance/?status=in_notice")
    assert t["待我审批"] == (0, "/assistance/?view=mine")  # nothing has reached the county yet
    assert t["走访逾期"][0] == 4  # today is years after the 2020 visit: every registered household
    assert "待复核" in t and "待审批变更" in t


def test_township_officer_has_the_township_review_to_do(login: Any, busy: Any) -> None:
    t = todos(login("tom").get("/").content.decode())
    assert t["待我审批"] == (1, "/assistance/?view=mine")  # the application in 歧道村 finished its 公示
    assert t["走访逾期"][0] == 3  # 信义镇's three registered households


def test_other_county_sees_none_of_it(login: Any, busy: Any) -> None:
    html = login("zoe").get("/").content.decode()
    t = todos(html)
    assert t["公示即将期满"][0] == 0 and t["走访逾期"][0] == 1
    assert "999.00" in html  # 交口县's own June line


def test_assigned_cadre_sees_their_households(login: Any, busy: Any) -> None:
    html = login("carl").get("/").content.decode()
    t = todos(html)
    assert t["我帮扶的户走访逾期"][0] == 1
    assert "待审批变更" not in t
    assert "打开一张图" not in html


def test_auditor_reads_figures_and_has_no_to_dos(login: Any, busy: Any) -> None:
    html = login("audrey").get("/").content.decode()
    assert todos(html) == {}
    assert "审计账号只读" in html


def test_a_provider_registered_later_appears_without_the_home_importing_it(login: Any, busy: Any) -> None:
    from jingzhun.core import todos as registry
    from jingzhun.core.todos import Todo

    registry.register("monitoring-test", 50, lambda actor, today: [Todo("疑点待核查", 7, "/monitoring/")])
    try:
        assert todos(login("alice").get("/").content.decode())["疑点待核查"] == (7, "/monitoring/")
    finally:
        registry._providers.pop("monitoring-test")


def test_overdue_visits_count_from_the_working_month(login: Any, busy: Any, settings: Any) -> None:
    """走访逾期 counts 90 days back from the working day, not the wall clock: in working month 2020-07 the
    June 2020 visit of 刘保平's household is recent, so one fewer household is overdue than in 2026."""
    calendar = todos(login("alice").get("/").content.decode())["走访逾期"][0]
    settings.WORKING_MONTH = "2020-07"
    working = todos(login("alice").get("/").content.decode())["走访逾期"][0]
    assert (calendar, working) == (4, 3)
    settings.WORKING_MONTH = "2020-12"  # more than 90 days after 2020-06-10 (any day of December)
    assert todos(login("alice").get("/").content.decode())["走访逾期"][0] == 4
