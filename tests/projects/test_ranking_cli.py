"""`jingzhun projects rank | match` as typed: the ranking printed, a fund registered and matched once."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.core.models import AuditEvent
from jingzhun.projects import ranking_actions as ra
from jingzhun.projects.models import Fund, FundAllocation

runner = CliRunner()
pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_project: Any, system: Any) -> None:
    a = make_project("A", "141102001001", beneficiary_households=100)
    b = make_project("B", "141102002001", beneficiary_households=50)
    ra.set_ranking_facts(system, a, budget_fen=40_000_000, poor_households=80, readiness="approved")
    ra.set_ranking_facts(system, b, budget_fen=100_000_000, poor_households=50, readiness="design")


def test_rank_then_match_then_match_again(library: None) -> None:
    result = runner.invoke(app, ["projects", "rank", "--county", "141102", "--year", "2019"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["   1   94.00  A  A项目", "   2   69.17  B  B项目"]
    typed = [
        "projects",
        "match",
        "F1",
        "--county",
        "141102",
        "--year",
        "2019",
        "--source",
        "central",
        "--amount",
        "500000",
    ]
    result = runner.invoke(app, typed)
    assert result.exit_code == 0, result.stderr
    assert "第1名  A  400,000.00 元" in result.stdout and "第2名  B  100,000.00 元" in result.stdout
    assert "结余 0.00 元" in result.stdout
    again = runner.invoke(app, ["projects", "match", "F1"])
    assert again.exit_code == 0 and "本次分配 0 个项目" in again.stdout
    assert FundAllocation.objects.count() == 2
    assert AuditEvent.objects.filter(action="projects.match_fund").count() == 2


def test_bad_input_exits_one_and_writes_nothing(library: None) -> None:
    result = runner.invoke(app, ["projects", "match", "F1"])
    assert result.exit_code == 1 and "未登记" in result.stderr
    result = runner.invoke(
        app,
        ["projects", "match", "F1", "--county", "141102", "--year", "2019", "--source", "central", "--amount", "1.001"],
    )
    assert result.exit_code == 1 and "[amount]" in result.stderr
    result = runner.invoke(
        app,
        ["projects", "match", "F1", "--county", "141102", "--year", "2019", "--source", "central", "--amount", "100"],
    )
    assert result.exit_code == 1 and "请先进行入库排序" in result.stderr
    assert not FundAllocation.objects.exists() and not Fund.objects.exists()
