"""A step taken out of order is refused, saying what the status is and what must come first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jingzhun.assistance import actions
from jingzhun.assistance.models import ApplicationStep
from jingzhun.core.models import AuditEvent

SUBMITTED = dt.date(2020, 5, 1)  # before every step of the walk (2020-05-04 on)

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(personas: dict[str, Any], household: Any, actor: Any) -> Any:
    return actions.create_application(actor(personas["victor"]), household("v11"), "dibao", on=SUBMITTED)


def refused(message: str, call: Any) -> None:
    steps, audits = ApplicationStep.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        call()
    assert message in info.value.messages[0], info.value.messages[0]
    assert (ApplicationStep.objects.count(), AuditEvent.objects.count()) == (steps, audits)


def test_democratic_review_before_survey_is_refused(app: Any, personas: dict[str, Any], actor: Any) -> None:
    refused(
        "当前状态为「已受理」，不能进行「民主评议」（需先完成「入户调查」）",
        lambda: actions.record_democratic_review(
            actor(personas["victor"]), app, held_on=dt.date(2020, 5, 1), attendees=10, votes_for=8, votes_against=0
        ),
    )


def test_notice_before_democratic_review_is_refused(app: Any, personas: dict[str, Any], actor: Any, walk: Any) -> None:
    app = walk(app, "survey")
    refused(
        "当前状态为「已入户调查」，不能进行「公示开始」（需先完成「民主评议」）",
        lambda: actions.start_public_notice(actor(personas["victor"]), app),
    )


def test_finishing_a_notice_that_never_started_is_refused(app: Any, personas: dict[str, Any], actor: Any) -> None:
    refused("（需先完成「公示开始」）", lambda: actions.finish_public_notice(actor(personas["victor"]), app))


def test_objection_outside_the_notice_is_refused(app: Any, personas: dict[str, Any], actor: Any) -> None:
    refused(
        "不能进行「公示异议」（需先完成「公示开始」）",
        lambda: actions.record_objection(actor(personas["victor"]), app, content="他家有车"),
    )


def test_township_review_before_notice_finished_is_refused(
    app: Any, personas: dict[str, Any], actor: Any, walk: Any
) -> None:
    app = walk(app, "notice_start")
    refused(
        "当前状态为「公示中」，不能进行「乡镇审核」（需先完成「公示结束」）",
        lambda: actions.township_review(actor(personas["tom"]), app, agree=True, opinion="同意"),
    )


def test_county_decision_before_township_review_is_refused(
    app: Any, personas: dict[str, Any], actor: Any, walk: Any
) -> None:
    app = walk(app, "notice_finish")
    refused(
        "当前状态为「公示结束」，不能进行「县级审批」（需先完成「乡镇审核」）",
        lambda: actions.county_decide(actor(personas["alice"]), app, approve=True),
    )


def test_a_step_already_taken_is_refused(app: Any, personas: dict[str, Any], actor: Any, walk: Any) -> None:
    app = walk(app, "democratic_review")
    refused(
        "不能进行「入户调查」（该环节已完成）",
        lambda: actions.record_survey(
            actor(personas["victor"]), app, annual_income_fen=0, income_verified=True, assets_ok=True, surveyors=["王"]
        ),
    )


def test_no_step_after_the_decision(app: Any, personas: dict[str, Any], actor: Any, walk: Any) -> None:
    app = walk(app, "township_review")
    app = actions.county_decide(actor(personas["alice"]), app, approve=False, reason="家庭收入超过低保标准")
    refused(
        "当前状态为「未批准」，不能进行「县级审批」（申请已办结）",
        lambda: actions.county_decide(actor(personas["alice"]), app, approve=True),
    )


def test_temporary_application_skips_democratic_review_and_notice(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    app = actions.create_application(
        actor(personas["victor"]),
        household("v11"),
        "temporary",
        kind="temporary",
        temporary_kind="expense",
        amount_due_fen=2_000_000,
        event_date=dt.date(2020, 4, 30),
        on=SUBMITTED,
    )
    app = walk(app, "survey")
    refused(
        "不能进行「民主评议」（临时救助申请不经过该环节）",
        lambda: actions.record_democratic_review(
            actor(personas["victor"]), app, held_on=dt.date(2020, 5, 1), attendees=10, votes_for=8, votes_against=0
        ),
    )
    app = walk(app, "county_decision")
    assert app.status == "approved"
    assert not app.enrollments.exists()
