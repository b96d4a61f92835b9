"""Dates of an application and its steps: in the past, in order, and a start month the engine can compute.

Reviewer findings H4 and M5: a start month before a member's birth was a 500 (the engine's DocumentError),
and a submission in 2099, steps dated before the submission or before the step before them, and a
先行救助 whose event came after its application were all accepted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jingzhun.assistance import actions
from jingzhun.assistance.models import Application, ApplicationStep, Enrollment
from jingzhun.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SUBMITTED = dt.date(2020, 5, 1)


def refused(key: str, text: str, call: Any) -> None:
    """``call`` raises a ValidationError keyed ``key`` whose message contains ``text``, and writes nothing."""
    steps, audits = ApplicationStep.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        call()
    assert key in caught.value.message_dict, caught.value
    assert any(text in m for m in caught.value.message_dict[key]), caught.value.message_dict
    assert (ApplicationStep.objects.count(), AuditEvent.objects.count()) == (steps, audits)


@pytest.fixture
def victor(personas: dict[str, Any], actor: Any) -> Any:
    return actor(personas["victor"])


def test_a_start_month_before_a_members_birth_is_a_chinese_refusal_not_a_crash(
    household: Any, victor: Any, county: Any, walk: Any
) -> None:
    home = household("v11", members=[{}, {"birth_date": dt.date(2020, 6, 15), "labour": "none"}])
    app = walk(actions.create_application(victor, home, "dibao", on=SUBMITTED), "township_review")
    refused(
        "start_month",
        "无法计算该户 2020-05 的待遇",
        lambda: actions.county_decide(
            county, app, approve=True, start_month=dt.date(2020, 5, 1), on=dt.date(2020, 5, 20)
        ),
    )
    assert Application.objects.get(pk=app.pk).status == "township_approved"
    assert not Enrollment.objects.filter(household=home).exists()
    done = actions.county_decide(county, app, approve=True, start_month=dt.date(2020, 6, 1), on=dt.date(2020, 5, 20))
    assert done.status == "approved"


def test_the_start_month_lies_between_the_submission_month_and_the_month_after_the_decision(
    household: Any, victor: Any, county: Any, walk: Any
) -> None:
    app = walk(actions.create_application(victor, household("v11"), "dibao", on=SUBMITTED), "township_review")
    decide = actions.county_decide
    refused(
        "start_month",
        "享受起始月份（1990-01）不能早于申请月份（2020-05）",
        lambda: decide(county, app, approve=True, start_month=dt.date(1990, 1, 1), on=dt.date(2020, 5, 20)),
    )
    refused(
        "start_month",
        "享受起始月份（2020-07）不能晚于审批日期的下一个月（2020-06）",
        lambda: decide(county, app, approve=True, start_month=dt.date(2020, 7, 1), on=dt.date(2020, 5, 20)),
    )
    assert not Enrollment.objects.exists()
    app = decide(county, app, approve=True, start_month=dt.date(2020, 5, 1), on=dt.date(2020, 5, 20))
    assert Enrollment.objects.get(application=app).start_month == dt.date(2020, 5, 1)


def test_an_application_cannot_be_dated_in_the_future_or_before_2014(household: Any, victor: Any) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    home = household("v11")
    with pytest.raises(ValidationError, match=r"申请日期（2099-01-01）不能晚于今天"):
        actions.create_application(victor, home, "dibao", on=dt.date(2099, 1, 1))
    with pytest.raises(ValidationError, match=r"申请日期.*不能晚于今天") as caught:
        actions.create_application(victor, home, "dibao", on=tomorrow)
    assert "submitted_on" in caught.value.message_dict
    with pytest.raises(ValidationError, match=r"申请日期（2013-12-31）不能早于 2014-01-01"):
        actions.create_application(victor, home, "dibao", on=dt.date(2013, 12, 31))
    assert not Application.objects.exists()
    assert actions.create_application(victor, home, "dibao").submitted_on == timezone.localdate()


def test_a_temporary_event_cannot_come_after_its_application(household: Any, victor: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_application(
            victor,
            household("v11"),
            "temporary",
            kind="temporary",
            temporary_kind="expense",
            amount_due_fen=100_000,
            event_date=dt.date(2020, 5, 2),
            on=SUBMITTED,
        )
    assert caught.value.message_dict == {
        "event_date": ["事由发生日期（2020-05-02）不能晚于申请日期（2020-05-01）[event_date]"]
    }
    assert not Application.objects.exists()


def test_no_step_is_dated_before_the_submission_or_the_step_before_it(
    household: Any, victor: Any, personas: dict[str, Any], actor: Any
) -> None:
    app = actions.create_application(victor, household("v11"), "dibao", on=SUBMITTED)
    survey = {"annual_income_fen": 0, "income_verified": True, "assets_ok": True, "surveyors": ["王"]}
    refused(
        "on",
        "调查日期（2020-04-30）不能早于申请日期（2020-05-01）",
        lambda: actions.record_survey(victor, app, **survey, on=dt.date(2020, 4, 30)),
    )
    refused(
        "on",
        "调查日期（2099-01-01）不能晚于今天",
        lambda: actions.record_survey(victor, app, **survey, on=dt.date(2099, 1, 1)),
    )
    app = actions.record_survey(victor, app, **survey, on=dt.date(2020, 5, 5))
    votes = {"attendees": 9, "votes_for": 9, "votes_against": 0}
    refused(
        "held_on",
        "评议日期（2020-05-04）不能早于「入户调查」日期（2020-05-05）",
        lambda: actions.record_democratic_review(victor, app, held_on=dt.date(2020, 5, 4), **votes),
    )
    app = actions.record_democratic_review(victor, app, held_on=dt.date(2020, 5, 5), **votes)
    refused(
        "start",
        "公示开始日期（2020-05-01）不能早于「民主评议」日期（2020-05-05）",
        lambda: actions.start_public_notice(victor, app, start=dt.date(2020, 5, 1)),
    )
    app = actions.start_public_notice(victor, app, start=dt.date(2020, 5, 6))
    refused(
        "on",
        "收到日期（2020-05-05）不能早于「公示开始」日期（2020-05-06）",
        lambda: actions.record_objection(victor, app, content="有车", on=dt.date(2020, 5, 5)),
    )
    objection = actions.record_objection(victor, app, content="有车", on=dt.date(2020, 5, 8))
    refused(
        "on",
        "处理日期（2020-05-07）不能早于「公示异议」日期（2020-05-08）",
        lambda: actions.resolve_objection(
            victor, app, objection, resolution="农用车", upheld=False, on=dt.date(2020, 5, 7)
        ),
    )
    actions.resolve_objection(victor, app, objection, resolution="农用车", upheld=False, on=dt.date(2020, 5, 9))
    app = actions.finish_public_notice(victor, app, on=dt.date(2020, 5, 13))
    tom = actor(personas["tom"])
    refused(
        "on",
        "审核日期（2020-05-12）不能早于「公示结束」日期（2020-05-13）",
        lambda: actions.township_review(tom, app, agree=True, opinion="属实", on=dt.date(2020, 5, 12)),
    )
    app = actions.township_review(tom, app, agree=True, opinion="属实", on=dt.date(2020, 5, 13))
    alice = actor(personas["alice"])
    refused(
        "on",
        "审批日期（2020-05-10）不能早于「乡镇审核」日期（2020-05-13）",
        lambda: actions.county_decide(alice, app, approve=True, on=dt.date(2020, 5, 10)),
    )
    app = actions.county_decide(alice, app, approve=True, on=dt.date(2020, 5, 13))
    assert app.status == "approved"


def test_a_paid_first_event_cannot_come_after_its_payment_and_the_review_follows_it(
    household: Any, personas: dict[str, Any], actor: Any
) -> None:
    tom, alice = actor(personas["tom"]), actor(personas["alice"])
    home = household("v11")
    pay = actions.pay_emergency_first
    with pytest.raises(ValidationError) as caught:
        pay(tom, home, amount_due_fen=100_000, event_date=dt.date(2099, 1, 1), statement="失火", on=SUBMITTED)
    assert "event_date" in caught.value.message_dict
    with pytest.raises(ValidationError, match=r"事由发生日期（2020-05-02）不能晚于办理日期（2020-05-01）"):
        pay(tom, home, amount_due_fen=100_000, event_date=dt.date(2020, 5, 2), statement="失火", on=SUBMITTED)
    with pytest.raises(ValidationError, match=r"办理日期（2099-01-01）不能晚于今天"):
        pay(tom, home, amount_due_fen=100_000, event_date=SUBMITTED, statement="失火", on=dt.date(2099, 1, 1))
    assert not Application.objects.exists()
    app = pay(tom, home, amount_due_fen=100_000, event_date=dt.date(2020, 4, 30), statement="失火", on=SUBMITTED)
    refused(
        "on",
        "审核日期（2020-04-30）不能早于「先行救助」日期（2020-05-01）",
        lambda: actions.review_after_payment(alice, app, confirmed=True, opinion="属实", on=dt.date(2020, 4, 30)),
    )
    assert actions.review_after_payment(alice, app, confirmed=True, opinion="属实", on=SUBMITTED).after_reviewed_at
