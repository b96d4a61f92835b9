"""`jingzhun ledger totals YYYY-MM --format json` prints exactly the DESIGN.md shape, net of reversals."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jingzhun.ledger.actions import reverse_payment
from jingzhun.ledger.models import PaymentLine
from tests.ledger.cli import jingzhun

pytestmark = pytest.mark.django_db


def test_totals_json_has_exactly_the_contract_shape(county: dict[str, Any]) -> None:
    assert jingzhun("run-month", "2020-06").exit_code == 0
    result = jingzhun("ledger", "totals", "2020-06", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "lines": 12,
        "households": 4,
        "amount": "2061.20",
        "by_program": {"dibao": "1617.68", "dibao_classified": "323.52", "elderly_allowance": "120.00"},
    }
    assert list(json.loads(result.stdout)) == ["lines", "households", "amount", "by_program"]


def test_totals_are_net_of_reversals(county: dict[str, Any], system: Any) -> None:
    jingzhun("run-month", "2020-06")
    for line in PaymentLine.objects.filter(household=county["households"][0]):
        reverse_payment(system, line.pk, "误发")
    data = json.loads(jingzhun("ledger", "totals", "2020-06", "--format", "json").stdout)
    assert (data["lines"], data["households"], data["amount"]) == (15, 3, "1545.90")
    assert data["by_program"]["elderly_allowance"] == "90.00"


def test_an_empty_month_has_zero_totals(county: dict[str, Any]) -> None:
    data = json.loads(jingzhun("ledger", "totals", "2019-01", "--format", "json").stdout)
    assert data == {"lines": 0, "households": 0, "amount": "0.00", "by_program": {}}


def test_a_malformed_month_is_refused_in_chinese() -> None:
    result = jingzhun("ledger", "totals", "2020-13", "--format", "json")
    assert result.exit_code == 2
    assert "YYYY-MM" in result.stderr


def test_run_month_prints_a_chinese_summary_and_is_idempotent(county: dict[str, Any]) -> None:
    first = jingzhun("run-month", "2020-06", "--region", "141102")
    assert first.exit_code == 0
    assert "首次发放" in first.stdout and "低保补差" in first.stdout and "2061.20" in first.stdout
    again = jingzhun("run-month", "2020-06", "--region", "141102")
    assert again.exit_code == 0
    assert "本月已发放，无变化" in again.stdout


def test_run_month_dry_run_writes_nothing(county: dict[str, Any]) -> None:
    result = jingzhun("run-month", "2020-06", "--dry-run")
    assert result.exit_code == 0 and "试算" in result.stdout
    assert not PaymentLine.objects.exists()


def test_run_month_refuses_an_unknown_region() -> None:
    result = jingzhun("run-month", "2020-06", "--region", "141199")
    assert result.exit_code == 2
    assert "不存在" in result.stderr
