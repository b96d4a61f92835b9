"""The monthly 返贫预警 over the database agrees with the pure `monitor assess`, and re-running is safe."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db
JUNE = dt.date(2020, 6, 1)
KID = {"birth_date": dt.date(2010, 3, 1), "relation": "child", "labour": "none"}


@pytest.fixture
def county(household: Any) -> dict[str, Any]:
    """One household per situation, all in 离石区."""
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.models.cases import ReportedEvent

    out = {
        # 2 persons, 5 000 a year: below the monitoring line (6 000) and the poverty line (4 000) → red
        "poor": household(members=[{}, {}], incomes={2019: 500_000}),
        # 1 person, 30 000 in 2019, 6 000 in 2020 → 12 months = 5/12·6 000 + 7/12·30 000 = 20 000 < 0.7 × 30 000
        "drop": household(incomes={2019: 3_000_000, 2020: 600_000}),
        # marginal, comfortable income, but a C-grade house → housing → red
        "marginal_house": household("v12", status=None, marginal=True, incomes={2019: 2_000_000}, housing_grade="C"),
        # exited with a child out of school, income fine → schooling (red)
        "dropout": household(members=[{}, {**KID, "student": "none"}], incomes={2019: 5_000_000}),
        # registered (not yet exited): no flags whatever its income
        "registered": household(status="not_exited", incomes={2019: 100_000}),
        # ordinary household: sudden hardship not assessed before 2021
        "other": household("v21", status=None, incomes={2019: 100_000}),
        # exited, fine income, a disaster reported by a cadre in March → disaster (yellow)
        "disaster": household("v21", incomes={2019: 5_000_000}),
        # exited, fine: no flag
        "fine": household(incomes={2019: 5_000_000}),
    }
    ReportedEvent.objects.create(
        household=out["disaster"],
        kind="disaster",
        date=dt.date(2020, 3, 2),
        origin="cadre_check",
        actor_label="test",
        note="冰雹",
    )
    ReportedEvent.objects.create(
        household=out["other"],
        kind="sudden_hardship",
        date=dt.date(2020, 3, 2),
        origin="self_report",
        actor_label="test",
        note="车祸",
    )
    out["actor"] = Actor.system("test")
    return out


def _flags() -> dict[int, tuple[list[str], str]]:
    from jingzhun.monitoring.models.cases import RiskFlag

    return {f.household_id: (f.flags, f.level) for f in RiskFlag.objects.filter(month=JUNE)}


def test_flags_and_levels_as_policy_says(county: dict[str, Any]) -> None:
    from jingzhun.monitoring.cases.assess import run_assessment

    result = run_assessment(JUNE, actor=county["actor"], region_prefix="141102", on=dt.date(2020, 6, 2))
    flags = _flags()
    assert flags[county["poor"].pk] == (["income_low"], "red")
    assert flags[county["drop"].pk] == (["income_drop"], "yellow")
    assert flags[county["marginal_house"].pk] == (["housing"], "red")
    assert flags[county["dropout"].pk] == (["schooling"], "red")
    assert flags[county["disaster"].pk] == (["disaster"], "yellow")
    for quiet in ("registered", "other", "fine"):
        assert county[quiet].pk not in flags, quiet
    assert result.flagged == 5 and result.cases_opened == 5
    assert result.levels == {"red": 3, "yellow": 2}


def test_other_household_flagged_for_sudden_hardship_from_2021(county: dict[str, Any]) -> None:
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import ReportedEvent, RiskFlag

    ReportedEvent.objects.filter(household=county["other"]).update(date=dt.date(2021, 2, 1))
    run_assessment(dt.date(2021, 3, 1), actor=county["actor"], region_prefix="141102", on=dt.date(2021, 3, 2))
    flag = RiskFlag.objects.get(household=county["other"], month=dt.date(2021, 3, 1))
    assert (flag.flags, flag.level, flag.category) == (["sudden_hardship"], "red", "other")


def test_database_documents_agree_with_the_pure_command(county: dict[str, Any], tmp_path: Path) -> None:
    """The documents the run builds, fed to `jingzhun monitor assess` as typed, give the run's flags."""
    from jingzhun.cli import app
    from jingzhun.monitoring.cases.assess import as_document, build_documents, run_assessment
    from jingzhun.policy.monitoring import monitoring_rules
    from jingzhun.policy.params import load_parameters

    run_assessment(JUNE, actor=county["actor"], region_prefix="141102", on=dt.date(2020, 6, 2))
    docs = build_documents("141102", JUNE, monitoring_rules(load_parameters(), JUNE))
    assert len(docs) == 8
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(as_document(docs), ensure_ascii=False), encoding="utf-8")
    out = CliRunner().invoke(app, ["monitor", "assess", str(doc), "--month", "2020-06"])
    assert out.exit_code == 0, out.output
    pure = {int(h["id"]): (h["flags"], h["level"]) for h in json.loads(out.stdout)["households"] if h["flags"]}
    assert pure == _flags()
    drop = next(d for d in as_document(docs)["households"] if d["id"] == str(county["drop"].pk))
    assert (drop["income_12m"], drop["income_prev_year"]) == ("20000.00", "30000.00")


def test_rerun_is_idempotent_and_keeps_what_a_person_acted_on(
    county: dict[str, Any], actor: Any, personas: Any
) -> None:
    from jingzhun.core.models import AuditEvent
    from jingzhun.monitoring.cases import actions
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.models.cases import Case, CaseStep, RiskFlag
    from jingzhun.registry.models import Household, IncomeRecord

    first = run_assessment(JUNE, actor=county["actor"], region_prefix="141102", on=dt.date(2020, 6, 2))
    before = (RiskFlag.objects.count(), Case.objects.count(), CaseStep.objects.count())
    again = run_assessment(JUNE, actor=county["actor"], region_prefix="141102", on=dt.date(2020, 6, 3))
    assert (RiskFlag.objects.count(), Case.objects.count(), CaseStep.objects.count()) == before
    assert (again.flags_new, again.flags_updated, again.cases_opened, again.flagged) == (0, 0, 0, first.flagged)
    assert AuditEvent.objects.filter(action="monitoring.run_assessment").count() == 2
    # A cadre verifies the poor household's case; then both poor and dropout households' data change.
    poor = Case.objects.get(household=county["poor"])
    actions.verify(actor(personas["victor"]), poor, finding="家中两人，收入属实", on=dt.date(2020, 6, 4))
    IncomeRecord.objects.filter(person__household=county["poor"]).update(wages_fen=700_000)  # 3 500/人: still red
    Household.objects.filter(pk=county["dropout"].pk).update(housing_grade="D")
    third = run_assessment(JUNE, actor=county["actor"], region_prefix="141102", on=dt.date(2020, 6, 5))
    assert (third.flags_kept, third.flags_updated, third.cases_opened) == (1, 1, 0)
    assert RiskFlag.objects.get(household=county["poor"], month=JUNE).income_12m_fen == 500_000  # kept as acted on
    assert RiskFlag.objects.get(household=county["dropout"], month=JUNE).flags == ["schooling", "housing"]
    assert Case.objects.get(household=county["dropout"]).flags == ["schooling", "housing"]


def test_cost_sources_and_emergency_assistance_count(county: dict[str, Any], household: Any) -> None:
    """支出型 临时救助 is a rigid cost; 急难型 a sudden_hardship event; a registered medical source adds OOP."""
    import polars as pl

    from jingzhun.assistance.models import Application
    from jingzhun.core import monitoring_sources
    from jingzhun.monitoring.cases.assess import run_assessment

    h = household(incomes={2019: 1_000_000, 2020: 1_000_000})  # 10 000 a year, 1 person: fine
    common = {"household": h, "family": "temporary", "kind": "temporary", "created_via": "village"}
    Application.objects.create(
        **common,
        submitted_on=dt.date(2020, 2, 1),
        temporary_kind="expense",
        amount_due_fen=1_200_000,
        event_date=dt.date(2020, 1, 15),
        created_by_label="t",
    )
    Application.objects.create(
        **common,
        submitted_on=dt.date(2020, 4, 1),
        temporary_kind="emergency",
        amount_due_fen=500_000,
        event_date=dt.date(2020, 3, 30),
        created_by_label="t",
    )

    def medical(prefix: str, start: dt.date, end: dt.date) -> pl.DataFrame:
        return pl.DataFrame({"household_id": [h.pk], "rigid_costs_fen": [0], "hospital_oop_fen": [1_500_000]})

    monitoring_sources.register_costs("test_medical", medical)
    try:
        run_assessment(JUNE, actor=county["actor"], region_prefix="141102", on=dt.date(2020, 6, 2))
    finally:
        monitoring_sources.unregister("test_medical")
    assert _flags()[h.pk] == (["rigid_costs", "hospital_oop", "sudden_hardship"], "red")


def test_cli_monitor_run_twice(county: dict[str, Any]) -> None:
    from jingzhun.cli import app

    runner = CliRunner()
    first = runner.invoke(app, ["monitor", "run", "2020-06", "--region", "141102", "--format", "json"])
    assert first.exit_code == 0, first.output
    body = json.loads(first.stdout)
    assert (body["flagged"], body["cases_opened"], body["share"]["limit"]) == (5, 5, "0.05")
    second = runner.invoke(app, ["monitor", "run", "2020-06", "--region", "141102", "--format", "json"])
    assert json.loads(second.stdout)["cases_opened"] == 0
    early = runner.invoke(app, ["monitor", "run", "2019-12"])
    assert early.exit_code == 1 and "无监测参数" in early.stderr
    bad = runner.invoke(app, ["monitor", "run", "2020-13"])
    assert bad.exit_code == 2
