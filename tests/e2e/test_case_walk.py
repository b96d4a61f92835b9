"""A county officer decides a 返贫预警 case in the browser after the village and township steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.staff import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


@pytest.fixture
def walked_case(regions: Any, personas: Any) -> Any:
    """An exited household of 信义村 (2 persons, 5 000 a year) flagged 20 days ago, verified, reviewed with
    its 公示 begun, and approved by the township 5 days later — waiting for the county."""
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.cases import actions
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import Case
    from jingzhun.registry.actions import create_household
    from jingzhun.registry.idnumber import make_id_number

    village = regions["v11"]
    members = [
        {
            "id_number": make_id_number("141102", dt.date(1968 + i, 3, 1), 900 + i, "M"),
            "name": name,
            "relation": "head" if i == 0 else "spouse",
            "self_care": "full",
            "labour": "full",
            "student": "none",
            **({"incomes": [{"year": 2019, "wages_fen": 500_000}]} if i == 0 else {}),
        }
        for i, name in enumerate(["穆小军", "刘桂花"])
    ]
    h = create_household(
        Actor.system("test"),
        household_no="1411020010019001",
        village_code=village.code,
        members=members,
        address="信义村一组",
        area="rural",
        housing_grade="B",
        registered_year=2015,
        status="exited_supported",
    )
    start = timezone.localdate() - dt.timedelta(days=20)
    run_assessment(start.replace(day=1), actor=Actor.system("test"), region_prefix="141102", on=start)
    case = Case.objects.get(household=h)
    victor, tom = Actor.for_user(personas["victor"]), Actor.for_user(personas["tom"])
    actions.verify(victor, case, finding="两口人，务工中断，收入属实", on=start + dt.timedelta(days=1))
    actions.review_and_notice(victor, case, result="评议同意，村内公示", on=start + dt.timedelta(days=2))
    actions.township_review(tom, case, opinion="同意上报", on=start + dt.timedelta(days=7))
    return case


def test_a_county_officer_decides_a_case(live_server: Any, page: Any, screenshot: Any, walked_case: Any) -> None:
    from jingzhun.monitoring.models.cases import Case

    browser_login(page, live_server.url, "alice")
    page.locator("nav").get_by_role("link", name="返贫预警").click()
    page.wait_for_selector("h1:has-text('我的待办')")
    row = page.locator("tr", has_text="1411020010019001")
    assert row.count() == 1 and "已超期" in row.inner_text() and "县级认定" in row.inner_text()
    assert "overdue" in (row.get_attribute("class") or "")
    screenshot("todo-overdue")
    row.get_by_role("link").first.click()
    page.wait_for_selector("h3:has-text('县级认定')")
    for step in ("识别", "入户核实", "民主评议并公示", "乡镇审核"):
        assert page.locator("table.case-steps").get_by_text(step, exact=True).count() == 1
    screenshot("before-decision")
    page.get_by_label("认定结果").select_option(label="认定返贫")
    page.get_by_label("认定理由").fill("人均收入 2500 元低于扶贫标准，认定返贫，落实帮扶")
    page.get_by_role("button", name="作出认定").click()
    page.wait_for_selector("text=已记录「县级认定」。")
    page.wait_for_selector("h3:has-text('登记帮扶措施')")
    screenshot("decided")

    case = Case.objects.select_related("household").get(pk=walked_case.pk)
    assert (case.state, case.decision) == ("decided", "returned")
    assert case.household.status == "returned"
    assert case.steps.filter(step="county_decision", actor_label="alice").count() == 1
