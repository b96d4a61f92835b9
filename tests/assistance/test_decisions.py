"""乡镇审核 and 县级审批: a refusal always carries its reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jingzhun.assistance import actions
from jingzhun.assistance.models import Enrollment
from tests.policy.trees import use_no_urban_standard

SUBMITTED = dt.date(2020, 5, 1)  # before every step of the walk (2020-05-04 on)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(personas: dict[str, Any], household: Any, actor: Any, walk: Any) -> Any:
    app = actions.create_application(actor(personas["victor"]), household("v11"), "dibao", on=SUBMITTED)
    return walk(app, "township_review")


def test_rejection_without_a_reason_is_refused(reviewed: Any, personas: dict[str, Any], actor: Any) -> None:
    with pytest.raises(ValidationError, match=r"不予批准的理由不能为空 \[reason\]"):
        actions.county_decide(actor(personas["alice"]), reviewed, approve=False, reason=" ")
    reviewed.refresh_from_db()
    assert reviewed.status == "township_approved"


def test_rejection_with_a_reason_closes_the_application_without_enrollment(
    reviewed: Any, personas: dict[str, Any], actor: Any
) -> None:
    app = actions.county_decide(actor(personas["alice"]), reviewed, approve=False, reason="家庭人均收入高于低保标准")
    assert (app.status, app.reason) == ("rejected", "家庭人均收入高于低保标准")
    assert app.steps.get(step="county_decision").data["reason"] == "家庭人均收入高于低保标准"
    assert not Enrollment.objects.exists()


def test_township_disagreement_rejects_with_its_opinion(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    app = walk(
        actions.create_application(actor(personas["victor"]), household("v11"), "dibao", on=SUBMITTED), "notice_finish"
    )
    app = actions.township_review(actor(personas["tom"]), app, agree=False, opinion="家有小轿车一辆")
    assert (app.status, app.reason) == ("rejected", "家有小轿车一辆")


def test_township_review_needs_an_opinion(personas: dict[str, Any], household: Any, actor: Any, walk: Any) -> None:
    app = walk(
        actions.create_application(actor(personas["victor"]), household("v11"), "dibao", on=SUBMITTED), "notice_finish"
    )
    with pytest.raises(ValidationError, match=r"乡镇审核意见不能为空 \[opinion\]"):
        actions.township_review(actor(personas["tom"]), app, agree=True, opinion="")


def test_the_audit_row_of_a_rejection_says_rejected(reviewed: Any, personas: dict[str, Any], actor: Any) -> None:
    from jingzhun.core.models import AuditEvent

    actions.county_decide(actor(personas["alice"]), reviewed, approve=False, reason="有商品房")
    audit = AuditEvent.objects.get(action="application_county_decision", object_id=str(reviewed.pk))
    assert (audit.before, audit.after["status"], audit.reason) == (
        {"status": "township_approved"},
        "rejected",
        "有商品房",
    )


def test_approval_is_refused_when_the_engine_has_no_parameter_for_the_household(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any, monkeypatch: Any
) -> None:
    use_no_urban_standard(monkeypatch)
    urban = household("v11", area="urban")  # parameters without an urban 低保 standard
    app = walk(actions.create_application(actor(personas["victor"]), urban, "dibao", on=SUBMITTED), "township_review")
    with pytest.raises(ValidationError, match=r"无法计算该户 2020-06 的待遇：缺少参数：城市低保标准"):
        actions.county_decide(actor(personas["alice"]), app, approve=True, on=dt.date(2020, 5, 20))
    assert not Enrollment.objects.exists()
