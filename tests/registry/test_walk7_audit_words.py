"""Walk 7: the audit search showed the apps' namespaced actions and payloads as raw codes
(``projects.earn_points``, ``PointsEntry 128``, ``household：2359；day：…``, ``monitoring.exit.proposed``).
They now read in words: the action, the object, each key, and a coded value by its choice label."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.actions import Actor, record_audit
from jingzhun.registry import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(world: Any) -> None:
    system = Actor.system("demo")
    record_audit(
        system,
        "projects.earn_points",
        object_type="PointsEntry",
        object_id=128,
        region_code="141102001001",
        after={"household": 2359, "day": "2020-06-12", "count": 1, "points": 5},
    )
    record_audit(
        system,
        "registry.set_exit_status",
        object_type="Household",
        object_id=world["own"].pk,
        region_code="141102001001",
        before={"status": "not_exited"},
        after={"status": "exited_supported"},
    )
    record_audit(
        system,
        "monitoring.exit.proposed",
        object_type="monitoring.ExitList",
        object_id=3,
        region_code="141102001001",
        after={"date": "2020-10-09", "households": 4, "year": 2020},
    )


def test_the_auditor_reads_the_apps_actions_in_words(recorded: None, login: Any) -> None:
    page = login("audrey").get("/audit/").content.decode()
    assert "爱心超市积分" in page and "积分记录 128" in page
    # each key in words (积分 by the model field's own name); PostgreSQL's jsonb keeps its own key order
    assert all(part in page for part in ("户：2359", "日期：2020-06-12", "次数：1", "积分（兑换为负）：5"))
    assert "退出状态变更" in page and "未脱贫" in page and "已脱贫（享受政策）" in page
    assert (
        "退出名单提出" in page
        and "退出名单 3" in page
        and all(part in page for part in ("日期：2020-10-09", "户：4", "退出年度：2020"))
    )
    table = page[page.index("<table") :]  # the 操作类型 choices carry the codes as their values
    for code in ("projects.earn_points", "PointsEntry", "household：", "not_exited", "monitoring.exit.proposed"):
        assert code not in table


def test_the_search_filters_by_a_namespaced_action(recorded: None, login: Any) -> None:
    page = login("audrey").get("/audit/?kind=monitoring.exit.proposed").content.decode()
    assert '<option value="monitoring.exit.proposed" selected' in page or "操作：退出名单提出" in page
    assert "退出名单 3" in page and "积分记录 128" not in page


def test_a_month_runs_programs_read_by_name(world: Any, login: Any) -> None:
    record_audit(
        Actor.system("demo"),
        "run_month",
        object_type="MonthRun",
        object_id=2,
        region_code="141102",
        after={"month": "2020-07", "by_program": {"dibao": "93258.52"}, "inputs": {"villages": 3}},
    )
    page = login("audrey").get("/audit/").content.decode()
    table = page[page.index("<table") :]
    assert "月度发放" in table and "低保补差：93258.52" in table and "dibao" not in table
    assert "村数：3" in table  # a nested payload's keys in words too


def test_an_unknown_action_still_shows_as_recorded() -> None:
    assert history.action_label("nobody.knows") == "nobody.knows"
    assert history.action_label("registry.update_household") == "修改户信息"
