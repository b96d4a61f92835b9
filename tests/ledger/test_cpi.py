"""The county's monthly CPI table drives 价格临时补贴 in the month run; a change re-runs as a difference."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent, Role
from jingzhun.ledger.actions import set_cpi
from jingzhun.ledger.models import CpiMonth, PaymentLine
from jingzhun.ledger.runs import run_month
from jingzhun.policy.money import round_fen
from tests.ledger.cli import jingzhun

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)
S = Fraction(4853, 12)  # 离石区 rural 低保 standard in 2020, yuan a month (the 低保 line of these households)


def subsidy_fen(rate: str) -> int:
    return round_fen(S * Fraction(rate) / 100)


def price_lines(run_id: int | None = None) -> list[int]:
    lines = PaymentLine.objects.filter(program="price_subsidy", month=JUNE)
    if run_id is not None:
        lines = lines.filter(run_id=run_id)
    return sorted(lines.values_list("amount_fen", flat=True))


def test_without_cpi_there_is_no_price_subsidy(county: dict[str, Any], system: Any) -> None:
    run_month("2020-06", actor=system)
    assert price_lines() == []


def test_cpi_set_through_the_command_is_listed_and_audited(county: dict[str, Any]) -> None:
    result = jingzhun(
        "ledger", "cpi", "set", "2020-06", "--all-items", "5.20", "--food", "21.9", "--source", "市统计局"
    )
    assert result.exit_code == 0, result.stderr
    assert "5.20%" in result.stdout
    listed = jingzhun("ledger", "cpi", "list", "--format", "json")
    [entry] = json.loads(listed.stdout)
    assert {k: entry[k] for k in ("month", "all", "food", "source")} == {
        "month": "2020-06",
        "all": "5.2",
        "food": "21.9",
        "source": "市统计局",
    }
    assert entry["entered_by"].startswith("cli:")
    audit = AuditEvent.objects.get(action="set_cpi")
    assert audit.after["all"] == "5.20" and audit.before is None


def test_the_month_run_pays_the_subsidy_from_the_table_and_a_correction_writes_only_the_difference(
    county: dict[str, Any], system: Any
) -> None:
    set_cpi(system, JUNE, all_items="5.2", food="21.9", source="统计月报")
    first = run_month("2020-06", actor=system)
    assert price_lines() == [subsidy_fen("5.2")] * 4  # all-items ≥ 3.5: the all-items rise
    assert run_month("2020-06", actor=system).kind == "noop"
    set_cpi(system, JUNE, all_items="3.0", food="6.5", source="统计月报（更正）")  # below 3.5: the food rise
    corrected = run_month("2020-06", actor=system)
    added = PaymentLine.objects.filter(run_id=corrected.run_id)
    assert set(added.values_list("program", "kind")) == {("price_subsidy", "adjustment")}
    assert price_lines(corrected.run_id) == [subsidy_fen("6.5") - subsidy_fen("5.2")] * 4
    assert corrected.total_fen - first.total_fen == 4 * (subsidy_fen("6.5") - subsidy_fen("5.2"))
    set_cpi(system, JUNE, all_items="2.0", food="4.0", source="统计月报（再更正）")  # no longer triggered
    stopped = run_month("2020-06", actor=system)
    assert stopped.changes["stopped"] == 4
    assert sum(price_lines()) == 0
    assert CpiMonth.objects.count() == 3  # every entry stays on file


def test_an_explicit_cpi_argument_replaces_the_table(county: dict[str, Any], system: Any) -> None:
    set_cpi(system, JUNE, all_items="5.2", food="1", source="x")
    run_month("2020-06", actor=system, cpi={})
    assert price_lines() == []


def test_bad_cpi_input_is_refused_in_chinese_and_writes_nothing(county: dict[str, Any]) -> None:
    for args, message in (
        (["--all-items", "abc", "--food", "1"], "[--all-items]"),
        (["--all-items", "5.123", "--food", "1"], "最多两位小数"),
        (["--all-items", "5", "--food", "150"], "[--food]"),
        (["--all-items", "5", "--food", "1", "--source", " "], "[--source]"),
    ):
        full = ["ledger", "cpi", "set", "2020-06", *args]
        if "--source" not in args:
            full += ["--source", "x"]
        result = jingzhun(*full)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
    assert (
        jingzhun("ledger", "cpi", "set", "2020-13", "--all-items", "1", "--food", "1", "--source", "x").exit_code == 2
    )
    assert not CpiMonth.objects.exists() and not AuditEvent.objects.filter(action="set_cpi").exists()


@pytest.mark.parametrize("role", [Role.TOWNSHIP_OFFICER, Role.VILLAGE_CADRE, Role.AUDITOR])
def test_only_the_city_enters_cpi(county: dict[str, Any], role: str) -> None:
    actor = Actor(label="x", role=role, scope="141102001")
    with pytest.raises(PermissionDenied):
        set_cpi(actor, JUNE, all_items="5", food="5", source="x")
    county_officer = Actor(label="离石区民政局", role=Role.COUNTY_OFFICER, scope="141102")
    with pytest.raises(PermissionDenied, match="按市统一录入"):  # it would move every other county's payments
        set_cpi(county_officer, JUNE, all_items="5", food="5", source="x")
    city_officer = Actor(label="市民政局", role=Role.COUNTY_OFFICER, scope="1411")
    assert set_cpi(city_officer, JUNE, all_items="5", food="5", source="x").actor_label == "市民政局"
    with pytest.raises(ValidationError):
        set_cpi(city_officer, JUNE, all_items="NaN", food="5", source="x")
