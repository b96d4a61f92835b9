"""Dates on the assistance pages: refused in Chinese under the field, nothing written, never a 500.

Reviewer findings H4 (a start month before a member's birth was a 500) and M5 (a submission in 2099, a
step dated before the submission, a 先行救助 event after its application were accepted).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance import actions
from jingzhun.assistance.models import Application, ApplicationStep, Enrollment
from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from tests.staff import make_household

pytestmark = pytest.mark.django_db


def step(name: str, **fields: Any) -> dict[str, Any]:
    return {"step": name, **{f"{name}-{key}": value for key, value in fields.items()}}


@pytest.fixture
def at_county(world: dict[str, Any], regions: dict[str, Any], personas: dict[str, Any]) -> Application:
    """A 低保 application of 信义村 waiting for 县级审批; the household has a child born 2020-06-15."""
    # 周强 (working age, no income) is the 低保 member in 2020-06: an approval of 0.00 is refused (issue #15)
    home = make_household(regions["v11"], "1411020010010003", "周明", others=("周丽", "周强"))
    home.persons.filter(relation="spouse").update(birth_date=dt.date(2020, 6, 15), relation="child")
    victor, tom = (Actor.for_user(personas[n]) for n in ("victor", "tom"))
    app = actions.create_application(victor, home, "dibao", on=dt.date(2020, 5, 1))
    app = actions.record_survey(
        victor, app, annual_income_fen=0, income_verified=True, assets_ok=True, surveyors=["王"], on=dt.date(2020, 5, 4)
    )
    app = actions.record_democratic_review(
        victor, app, held_on=dt.date(2020, 5, 4), attendees=9, votes_for=9, votes_against=0
    )
    app = actions.start_public_notice(victor, app, start=dt.date(2020, 5, 6))
    app = actions.finish_public_notice(victor, app, on=dt.date(2020, 5, 13))
    return actions.township_review(tom, app, agree=True, opinion="属实", on=dt.date(2020, 5, 14))


def decide(start_month: str, on: str = "2020-05-25") -> dict[str, Any]:
    return step("county_decision", approve="True", reason="", start_month=start_month, on=on)


def written(app: Application) -> tuple[int, int, int]:
    return (
        ApplicationStep.objects.filter(application=app).count(),
        AuditEvent.objects.count(),
        Enrollment.objects.filter(household=app.household).count(),
    )


def test_a_start_month_before_a_members_birth_is_shown_on_the_form_and_nothing_is_written(
    login: Any, at_county: Application
) -> None:
    alice, url, before = login("alice"), f"/assistance/{at_county.pk}/", written(at_county)
    page = alice.post(url, decide("2020-05"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "无法计算该户 2020-05 的待遇" in html and "出生日期" in html
    assert written(at_county) == before
    assert Application.objects.get(pk=at_county.pk).status == "township_approved"
    assert alice.post(url, decide("2020-06")).status_code == 302
    assert Enrollment.objects.get(household=at_county.household).start_month == dt.date(2020, 6, 1)


def test_the_start_month_and_the_decision_date_are_bounded(login: Any, at_county: Application) -> None:
    alice, url, before = login("alice"), f"/assistance/{at_county.pk}/", written(at_county)
    for fields, text in [
        (decide("1990-01"), "享受起始月份（1990-01）不能早于申请月份（2020-05）"),
        (decide("2020-08"), "享受起始月份（2020-08）不能晚于审批日期的下一个月（2020-06）"),
        (decide("", on="2020-05-10"), "审批日期（2020-05-10）不能早于「乡镇审核」日期（2020-05-14）"),
        (decide("", on="2099-01-01"), "审批日期（2099-01-01）不能晚于今天"),
    ]:
        page = alice.post(url, fields)
        assert page.status_code == 200 and text in page.content.decode(), text
    assert written(at_county) == before


def test_an_application_dated_2099_or_with_its_event_after_it_is_refused(
    login: Any, world: dict[str, Any], regions: dict[str, Any]
) -> None:
    home = make_household(regions["v11"], "1411020010010004", "吴强")
    victor = login("victor")
    base = {"household_no": home.household_no, "kind": "new"}
    page = victor.post("/assistance/new/", {**base, "family": "dibao", "submitted_on": "2099-01-01"})
    assert page.status_code == 200 and "申请日期（2099-01-01）不能晚于今天" in page.content.decode()
    temporary = {**base, "family": "temporary", "temporary_kind": "expense", "amount_due": "100"}
    page = victor.post("/assistance/new/", {**temporary, "submitted_on": "2020-01-05", "event_date": "2099-01-01"})
    assert "事由发生日期（2099-01-01）不能晚于今天" in page.content.decode()
    page = victor.post("/assistance/new/", {**temporary, "submitted_on": "2020-01-05", "event_date": "2020-01-06"})
    assert "事由发生日期（2020-01-06）不能晚于申请日期（2020-01-05）" in page.content.decode()
    assert not Application.objects.filter(household=home).exists()


def test_a_paid_first_event_after_its_application_date_is_refused(
    login: Any, world: dict[str, Any], regions: dict[str, Any]
) -> None:
    home = make_household(regions["v11"], "1411020010010005", "郑华")
    tom = login("tom")
    fields = {"household_no": home.household_no, "amount_due": "500", "statement": "房屋失火", "on": "2020-01-05"}
    page = tom.post("/assistance/emergency/", {**fields, "event_date": "2099-01-01"})
    assert page.status_code == 200 and "事由发生日期（2099-01-01）" in page.content.decode()
    page = tom.post("/assistance/emergency/", {**fields, "event_date": "2020-01-06"})
    assert "事由发生日期（2020-01-06）不能晚于办理日期（2020-01-05）" in page.content.decode()
    assert not Application.objects.filter(household=home).exists()
    assert tom.post("/assistance/emergency/", {**fields, "event_date": "2020-01-04"}).status_code == 302
