"""Application pages: a 低保 application from 受理 to 县级审批 through the web, and every refusal on the way.

Each step is a form on the application page calling the existing action; a step out of order, by the
wrong role, by an auditor or on another region's application writes nothing.
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
    """The POST of one step form (its fields carry the step's prefix)."""
    return {"step": name, **{f"{name}-{key}": value for key, value in fields.items()}}


def survey(**changes: Any) -> dict[str, Any]:
    fields = {
        "on": "2020-05-04",
        "annual_income": "0",
        "income_verified": "True",
        "assets_ok": "True",
        "surveyors": "王村、李镇",
        "note": "",
    }
    return step("survey", **{**fields, **changes})


def review() -> dict[str, Any]:
    return step("democratic_review", held_on="2020-05-04", attendees="21", votes_for="19", votes_against="1")


def audit_actions(app: Application) -> list[str]:
    rows = AuditEvent.objects.filter(object_type="application", object_id=str(app.pk)).order_by("id")
    return list(rows.values_list("action", flat=True))


@pytest.fixture
def applicant(world: dict[str, Any], regions: dict[str, Any]) -> Any:
    """周明 and 周丽 of 信义村, no income, not yet on any roll (周丽 is the 低保 household: 周明 is 特困)."""
    return make_household(regions["v11"], "1411020010010003", "周明", others=("周丽",))


@pytest.fixture
def submitted(applicant: Any, personas: dict[str, Any]) -> Application:
    victor = Actor.for_user(personas["victor"])
    return actions.create_application(victor, applicant, "dibao", on=dt.date(2020, 5, 1))


def test_a_dibao_application_walks_from_the_village_to_an_enrollment_through_the_pages(
    login: Any, applicant: Any
) -> None:
    victor = login("victor")
    form = victor.get(f"/assistance/new/?household={applicant.household_no}")
    assert form.status_code == 200 and applicant.household_no in form.content.decode()
    created = victor.post(
        "/assistance/new/",
        {"household_no": applicant.household_no, "family": "dibao", "kind": "new", "submitted_on": "2020-05-01"},
    )
    app = Application.objects.get(household=applicant)
    assert created.status_code == 302 and created["Location"] == f"/assistance/{app.pk}/"
    url = created["Location"]

    assert victor.post(url, survey()).status_code == 302
    assert victor.post(url, review()).status_code == 302
    assert victor.post(url, step("notice_start", start="2020-05-06", place="村务公开栏")).status_code == 302
    objection = {"content": "该户有一辆货车", "raised_by": "", "on": "2020-05-07"}
    assert victor.post(url, step("objection", **objection)).status_code == 302
    early = victor.post(url, step("notice_finish", on="2020-05-13"))
    assert "有 1 条公示异议尚未处理，不能结束公示" in early.content.decode()
    raised = ApplicationStep.objects.get(application=app, step="objection")
    resolution = {"objection": raised.pk, "resolution": "货车已于 2019 年转卖", "upheld": "False", "on": "2020-05-08"}
    assert victor.post(url, step("objection_resolved", **resolution)).status_code == 302
    assert victor.post(url, step("notice_finish", on="2020-05-13")).status_code == 302

    tom = login("tom")
    assert tom.post(url, step("township_review", agree="True", opinion="情况属实", on="2020-05-15")).status_code == 302
    alice = login("alice")
    decision = step("county_decision", approve="True", reason="", start_month="", on="2020-05-20")
    assert alice.post(url, decision).status_code == 302

    app.refresh_from_db()
    assert app.status == "approved"
    enrollment = Enrollment.objects.get(household=applicant, family="dibao")
    assert (enrollment.status, enrollment.start_month, enrollment.application) == ("active", dt.date(2020, 6, 1), app)
    assert enrollment.decisions.get().monthly_fen > 0
    assert audit_actions(app) == [
        "application_created",
        "application_survey",
        "application_democratic_review",
        "application_notice_start",
        "application_objection",
        "application_objection_resolved",
        "application_notice_finish",
        "application_township_review",
        "application_county_decision",
    ]
    page = alice.get(url).content.decode()
    for shown in ("已批准", "王村、李镇", "货车已于 2019 年转卖", "情况属实", "tom", "alice", "该申请已办结"):
        assert shown in page, shown
    assert f"/assistance/enrollments/{enrollment.pk}/" in page


def test_the_detail_page_offers_only_the_next_step_to_the_role_that_takes_it(
    login: Any, submitted: Application
) -> None:
    url = f"/assistance/{submitted.pk}/"
    victor_page = login("victor").get(url).content.decode()
    assert 'name="step" value="survey"' in victor_page
    assert 'value="democratic_review"' not in victor_page and 'value="township_review"' not in victor_page
    alice_page = login("alice").get(url).content.decode()
    assert 'name="step"' not in alice_page
    assert "待办理：「入户调查」" in alice_page


def test_a_step_out_of_order_shows_the_refusal_and_writes_nothing(login: Any, submitted: Application) -> None:
    before = audit_actions(submitted)
    response = login("victor").post(f"/assistance/{submitted.pk}/", review())
    assert response.status_code == 200
    assert "当前状态为「已受理」，不能进行「民主评议」（需先完成「入户调查」）" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert list(submitted.steps.values_list("step", flat=True)) == ["created"]
    assert audit_actions(submitted) == before


def test_a_step_by_the_wrong_role_is_refused_with_the_actions_message(
    login: Any, submitted: Application, personas: dict[str, Any]
) -> None:
    url = f"/assistance/{submitted.pk}/"
    response = login("alice").post(url, survey())
    assert response.status_code == 403
    assert "「县级（民政/扶贫办）」不能进行「入户调查」。" in response.content.decode()
    victor = Actor.for_user(personas["victor"])
    app = actions.record_survey(
        victor, submitted, annual_income_fen=0, income_verified=True, assets_ok=True, surveyors=["王村"]
    )
    response = login("victor").post(url, step("county_decision", approve="True", on="2020-05-20"))
    assert response.status_code == 403 and "「村干部」不能进行「县级审批」。" in response.content.decode()
    app.refresh_from_db()
    assert app.status == "surveyed" and audit_actions(app) == ["application_created", "application_survey"]


def test_an_invalid_form_names_the_field_and_writes_nothing(login: Any, submitted: Application) -> None:
    response = login("victor").post(f"/assistance/{submitted.pk}/", survey(annual_income="-5", surveyors=""))
    page = response.content.decode()
    assert "金额不能为负数" in page and "这个字段是必填项" in page
    assert submitted.steps.count() == 1


@pytest.mark.parametrize("persona", ["zoe", "carl"])
def test_another_regions_application_is_missing(login: Any, submitted: Application, persona: str) -> None:
    client = login(persona)
    url = f"/assistance/{submitted.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, survey()).status_code == 404
    assert str(submitted.household.household_no) not in client.get("/assistance/").content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_sibling_townships_officer_does_not_see_the_application(
    login: Any, world: dict[str, Any], personas: dict[str, Any]
) -> None:
    alice = Actor.for_user(personas["alice"])
    elsewhere = actions.create_application(alice, world["sibling_township"], "tekun", on=dt.date(2020, 5, 1))
    tom = login("tom")
    assert tom.get(f"/assistance/{elsewhere.pk}/").status_code == 404
    assert login("alice").get(f"/assistance/{elsewhere.pk}/").status_code == 200


def test_the_auditor_reads_but_cannot_write(login: Any, submitted: Application, applicant: Any) -> None:
    audrey = login("audrey")
    page = audrey.get(f"/assistance/{submitted.pk}/")
    assert page.status_code == 200 and 'name="step"' not in page.content.decode()
    refused = audrey.post(f"/assistance/{submitted.pk}/", survey())
    assert refused.status_code == 403 and "审计账号为只读" in refused.content.decode()
    assert audrey.get("/assistance/new/").status_code == 403
    new = {"household_no": applicant.household_no, "family": "tekun", "kind": "new", "submitted_on": "2020-05-01"}
    assert audrey.post("/assistance/new/", new).status_code == 403
    assert Application.objects.count() == 1 and submitted.steps.count() == 1


def test_a_new_application_for_an_unknown_or_out_of_scope_household_is_refused(
    login: Any, world: dict[str, Any]
) -> None:
    victor = login("victor")
    for household_no in ("9999", world["sibling_village"].household_no):
        data = {"household_no": household_no, "family": "dibao", "kind": "new", "submitted_on": "2020-05-01"}
        response = victor.post("/assistance/new/", data)
        assert f"未找到户编号 {household_no}（或不在您的工作范围内）" in response.content.decode()
    assert not Application.objects.exists()


def test_a_temporary_application_needs_its_amount_and_the_actions_refusals_are_shown(
    login: Any, applicant: Any, world: dict[str, Any]
) -> None:
    victor = login("victor")
    base = {"household_no": applicant.household_no, "kind": "new", "submitted_on": "2020-05-01"}
    missing = victor.post("/assistance/new/", {**base, "family": "temporary", "temporary_kind": "emergency"})
    assert "临时救助须填写大于零的申请金额" in missing.content.decode()
    assert "[amount_due_fen]" not in missing.content.decode()  # the field key is not shown on the page
    enrolled = victor.post("/assistance/new/", {**base, "household_no": world["own"].household_no, "family": "dibao"})
    assert "该户已是最低生活保障（低保）在册对象，请提交复核或变更申请" in enrolled.content.decode()
    assert not Application.objects.exists()
    temporary = {**base, "family": "temporary", "temporary_kind": "expense", "amount_due": "1200.50"}
    made = victor.post("/assistance/new/", {**temporary, "event_date": "2020-04-20"})
    app = Application.objects.get()
    assert made.status_code == 302
    assert (app.kind, app.amount_due_fen, app.event_date) == ("temporary", 120050, dt.date(2020, 4, 20))


def test_the_queue_shows_each_role_its_own_steps(login: Any, submitted: Application, personas: dict[str, Any]) -> None:
    def queued(persona: str) -> bool:
        return f"/assistance/{submitted.pk}/" in login(persona).get("/assistance/?view=mine").content.decode()

    assert (queued("victor"), queued("tom"), queued("alice")) == (True, False, False)
    victor, tom = (Actor.for_user(personas[n]) for n in ("victor", "tom"))
    app = actions.record_survey(
        victor,
        submitted,
        annual_income_fen=0,
        income_verified=True,
        assets_ok=True,
        surveyors=["王"],
        on=dt.date(2020, 5, 2),
    )
    app = actions.record_democratic_review(
        victor, app, held_on=dt.date(2020, 5, 4), attendees=9, votes_for=9, votes_against=0
    )
    app = actions.start_public_notice(victor, app, start=dt.date(2020, 5, 6))
    app = actions.finish_public_notice(victor, app, on=dt.date(2020, 5, 13))
    assert (queued("victor"), queued("tom"), queued("alice")) == (False, True, False)
    actions.township_review(tom, app, agree=True, opinion="属实", on=dt.date(2020, 5, 14))
    assert (queued("victor"), queued("tom"), queued("alice")) == (False, False, True)
    assert queued("audrey") is False


def test_the_list_filters_by_program_and_status(login: Any, submitted: Application) -> None:
    alice = login("alice")
    href = f"/assistance/{submitted.pk}/"
    assert href in alice.get("/assistance/?family=dibao&status=submitted").content.decode()
    assert href not in alice.get("/assistance/?family=tekun").content.decode()
    assert href not in alice.get("/assistance/?status=approved").content.decode()
    assert href in alice.get("/assistance/?status=open&q=141102001001").content.decode()
