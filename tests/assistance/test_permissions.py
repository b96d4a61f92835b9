"""Who may take which step: scope by region, role by step, auditors never write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jingzhun.assistance import actions
from jingzhun.core.models import AuditEvent

SUBMITTED = dt.date(2020, 5, 1)  # before every step of the walk (2020-05-04 on)

pytestmark = pytest.mark.django_db


def test_village_cadre_cannot_apply_for_another_village(personas: dict[str, Any], household: Any, actor: Any) -> None:
    with pytest.raises(PermissionDenied, match="无权操作该区域的数据"):
        actions.create_application(actor(personas["victor"]), household("v12"), "dibao", on=SUBMITTED)


def test_county_officer_of_another_county_is_refused(personas: dict[str, Any], household: Any, actor: Any) -> None:
    with pytest.raises(PermissionDenied, match="无权操作该区域的数据"):
        actions.create_application(actor(personas["zoe"]), household("v11"), "dibao", on=SUBMITTED)


def test_auditor_never_writes(personas: dict[str, Any], household: Any, actor: Any) -> None:
    with pytest.raises(PermissionDenied, match="审计账号为只读"):
        actions.create_application(actor(personas["audrey"]), household("v11"), "dibao", on=SUBMITTED)
    assert not AuditEvent.objects.filter(action__startswith="application").exists()


def test_auditor_cannot_decide(personas: dict[str, Any], household: Any, actor: Any, walk: Any) -> None:
    app = walk(
        actions.create_application(actor(personas["victor"]), household("v11"), "dibao", on=SUBMITTED),
        "township_review",
    )
    with pytest.raises(PermissionDenied, match="审计账号为只读"):
        actions.county_decide(actor(personas["audrey"]), app, approve=True)


def test_assigned_cadre_cannot_take_applications(personas: dict[str, Any], household: Any, actor: Any) -> None:
    with pytest.raises(PermissionDenied, match="「帮扶干部」不能进行「受理申请」"):
        actions.create_application(actor(personas["carl"]), household("v11"), "dibao", on=SUBMITTED)


def test_village_cadre_cannot_decide_at_county_level(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    app = walk(
        actions.create_application(actor(personas["victor"]), household("v11"), "dibao", on=SUBMITTED),
        "township_review",
    )
    with pytest.raises(PermissionDenied, match="「村干部」不能进行「县级审批」"):
        actions.county_decide(actor(personas["victor"]), app, approve=True)


def test_village_cadre_cannot_do_the_township_review(
    personas: dict[str, Any], household: Any, actor: Any, walk: Any
) -> None:
    app = walk(
        actions.create_application(actor(personas["victor"]), household("v11"), "dibao", on=SUBMITTED), "notice_finish"
    )
    with pytest.raises(PermissionDenied, match="「村干部」不能进行「乡镇审核」"):
        actions.township_review(actor(personas["victor"]), app, agree=True, opinion="同意")


def test_township_officer_of_another_township_is_refused(personas: dict[str, Any], household: Any, actor: Any) -> None:
    app = actions.create_application(actor(personas["alice"]), household("v21"), "dibao", on=SUBMITTED)
    with pytest.raises(PermissionDenied, match="无权操作该区域的数据"):
        actions.record_survey(
            actor(personas["tom"]), app, annual_income_fen=0, income_verified=True, assets_ok=True, surveyors=["王"]
        )
