"""公示: seven days, objections recorded and resolved before it can finish."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jingzhun.assistance import actions

SUBMITTED = dt.date(2020, 5, 1)  # before every step of the walk (2020-05-04 on)

pytestmark = pytest.mark.django_db


@pytest.fixture
def noticed(personas: dict[str, Any], household: Any, actor: Any, walk: Any) -> Any:
    """An application whose notice runs 2020-05-06 to 2020-05-12."""
    app = actions.create_application(actor(personas["victor"]), household("v11"), "dibao", on=SUBMITTED)
    return walk(app, "notice_start")


def test_notice_cannot_finish_on_its_seventh_day(noticed: Any, personas: dict[str, Any], actor: Any) -> None:
    with pytest.raises(ValidationError, match="公示期未满 7 天（2020-05-06 至 2020-05-12），2020-05-13 起方可结束公示"):
        actions.finish_public_notice(actor(personas["victor"]), noticed, on=dt.date(2020, 5, 12))


def test_notice_finishes_once_seven_days_have_passed(noticed: Any, personas: dict[str, Any], actor: Any) -> None:
    app = actions.finish_public_notice(actor(personas["victor"]), noticed, on=dt.date(2020, 5, 13))
    assert app.status == "noticed"
    assert app.steps.get(step="notice_finish").data["objections"] == []


def test_objection_must_be_resolved_before_the_notice_finishes(
    noticed: Any, personas: dict[str, Any], actor: Any
) -> None:
    victor = actor(personas["victor"])
    objection = actions.record_objection(
        victor, noticed, content="该户儿子在县城有商品房", raised_by="村民张某", on=dt.date(2020, 5, 8)
    )
    with pytest.raises(ValidationError, match="有 1 条公示异议尚未处理"):
        actions.finish_public_notice(victor, noticed, on=dt.date(2020, 5, 14))

    resolution = "经核实房产属已分户的儿子"
    actions.resolve_objection(victor, noticed, objection, resolution=resolution, upheld=False, on=dt.date(2020, 5, 11))
    app = actions.finish_public_notice(victor, noticed, on=dt.date(2020, 5, 14))
    [recorded] = app.steps.get(step="notice_finish").data["objections"]
    assert recorded["content"] == "该户儿子在县城有商品房"
    assert recorded["raised_by"] == "村民张某"
    assert recorded["resolution"]["resolution"] == "经核实房产属已分户的儿子"
    assert recorded["resolution"]["upheld"] is False


def test_an_objection_is_resolved_only_once(noticed: Any, personas: dict[str, Any], actor: Any) -> None:
    victor = actor(personas["victor"])
    objection = actions.record_objection(victor, noticed, content="有车")
    actions.resolve_objection(victor, noticed, objection, resolution="农用三轮车，不属车辆", upheld=False)
    with pytest.raises(ValidationError, match="该异议已处理"):
        actions.resolve_objection(victor, noticed, objection, resolution="再议", upheld=True)


def test_objection_needs_its_content(noticed: Any, personas: dict[str, Any], actor: Any) -> None:
    with pytest.raises(ValidationError, match=r"异议内容不能为空 \[content\]"):
        actions.record_objection(actor(personas["victor"]), noticed, content="  ")
