"""Issue #15: an approval shows its amount — the surveyed income counts (an audited registry change), the
township and county screens show the monthly amount with its explanation, a 0.00 is refused with the
reason, and the county's reason is kept on the enrolment's decision record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from jingzhun.assistance import actions
from jingzhun.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SUBMITTED, SURVEYED = dt.date(2020, 5, 1), dt.date(2020, 5, 4)
REGISTERED = 4_845_900  # 48 459 元 a year, registered for 2019: no 低保 on that
SURVEY = 240_000  # 2 400 元 a year found by the 入户调查


@pytest.fixture(autouse=True)
def _june_2020(settings: Any) -> None:
    settings.WORKING_MONTH = "2020-06"


def _surveyed(personas: dict[str, Any], household: Any, actor: Any, *, income: int, verified: bool = True) -> Any:
    home = household("v11", income_fen=REGISTERED)
    victor = actor(personas["victor"])
    app = actions.create_application(victor, home, "dibao", statement="丈夫病故", on=SUBMITTED)
    return actions.record_survey(
        victor, app, annual_income_fen=income, income_verified=verified, assets_ok=True, surveyors=["王村"], on=SURVEYED
    )


def test_verified_survey_income_becomes_the_households_income_audited(
    personas: dict[str, Any], household: Any, actor: Any
) -> None:
    from jingzhun.registry.models import IncomeRecord

    app = _surveyed(personas, household, actor, income=SURVEY)
    rows = IncomeRecord.objects.filter(person__household=app.household)
    assert {r.year: r.total_fen for r in rows} == {2019: REGISTERED, 2020: SURVEY}
    audit = AuditEvent.objects.get(action="registry.set_person_income")
    assert audit.actor == personas["victor"] and audit.region_code == app.household.village.code
    registry = app.steps.get(step="survey").data["income_check"]["registry"]
    assert registry == {"year": 2020, "before_year": 2019, "before_fen": REGISTERED, "after_fen": SURVEY, "rows": 1}


def test_unverified_or_refused_survey_changes_nothing_in_the_registry(
    personas: dict[str, Any], household: Any, actor: Any
) -> None:
    from jingzhun.registry.models import IncomeRecord

    _surveyed(personas, household, actor, income=SURVEY, verified=False)
    assert not IncomeRecord.objects.filter(year=2020).exists()
    home = household("v11", income_fen=REGISTERED)
    app = actions.create_application(actor(personas["victor"]), home, "dibao", on=SUBMITTED)
    with pytest.raises(ValidationError, match="不能晚于今天"):  # a survey dated after the working day
        actions.record_survey(
            actor(personas["victor"]), app, annual_income_fen=SURVEY, income_verified=True, assets_ok=True,
            surveyors=["王村"], on=dt.date(2020, 7, 20),
        )  # fmt: skip
    assert not IncomeRecord.objects.filter(year=2020).exists()


def test_the_approval_pays_the_surveyed_income_and_keeps_the_countys_reason(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    app = walk(_surveyed(personas, household, actor, income=SURVEY), "township_review")
    app = actions.county_decide(
        actor(personas["alice"]), app, approve=True, reason="入户核实收入低于标准", on=dt.date(2020, 5, 20)
    )
    decision = app.decisions.get()
    # 离石区 rural standard 4 853 元/年 → 404.42 a month; 2 400 元/年 → 200.00 a month
    assert decision.entitlement["dibao"] == 20_442
    assert decision.reason == "入户核实收入低于标准"


def test_approving_a_zero_is_refused_with_the_reason_and_nothing_written(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    from jingzhun.assistance.models import Enrollment

    app = walk(_surveyed(personas, household, actor, income=REGISTERED), "township_review")
    with pytest.raises(ValidationError) as refused:
        actions.county_decide(actor(personas["alice"]), app, approve=True, on=dt.date(2020, 5, 20))
    text = " ".join(refused.value.messages)
    assert "月发放金额为 0.00 元" in text and "不能批准" in text
    assert "月人均收入 4,038.25 元" in text and "月低保标准 404.42 元" in text
    app.refresh_from_db()
    assert app.status == "township_approved" and not Enrollment.objects.exists()


def _page(client: Client, user: Any, app: Any) -> tuple[int, str]:
    client.force_login(user)
    answer = client.get(reverse("assistance:detail", args=[app.pk]))
    return answer.status_code, answer.content.decode()


def test_township_and_county_screens_show_the_monthly_amount_with_its_explanation(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    app = walk(_surveyed(personas, household, actor, income=SURVEY), "notice_finish")
    status, page = _page(Client(), personas["tom"], app)  # the township reviews now
    assert status == 200 and "204.42 元/月" in page and "低保补差 = (404.42 − 200.00) × 1 人 = 204.42 元" in page
    app = walk(app, "township_review")
    status, page = _page(Client(), personas["alice"], app)
    assert status == 200 and "204.42 元/月" in page and "2020-07" in page
    status, page = _page(Client(), personas["audrey"], app)  # the auditor reads it, without a form
    assert status == 200 and "204.42 元/月" in page and "提交审批决定" not in page
    status, _ = _page(Client(), personas["zoe"], app)  # another county's officer
    assert status == 404


def test_county_screen_refuses_a_zero_approval_in_chinese(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    app = walk(_surveyed(personas, household, actor, income=REGISTERED), "township_review")
    client = Client()
    _, page = _page(client, personas["alice"], app)
    assert "0.00 元/月" in page and "县级不能批准" in page
    answer = client.post(
        reverse("assistance:detail", args=[app.pk]),
        {"step": "county_decision", "county_decision-approve": "True", "county_decision-on": "2020-05-20"},
    )
    body = answer.content.decode()
    assert answer.status_code == 200 and "月发放金额为 0.00 元" in body and "不能批准" in body
    app.refresh_from_db()
    assert app.status == "township_approved"
