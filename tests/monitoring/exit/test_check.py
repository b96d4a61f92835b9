"""The exit check over the database agrees with the pure `jingzhun exit check` on the same households."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.actions import Actor
from jingzhun.monitoring.exit.check import check_household_db, check_households
from jingzhun.registry.importer import import_file
from jingzhun.registry.models import Household, IncomeRecord
from jingzhun.synth.generate import generate_county

pytestmark = pytest.mark.django_db
YEAR = 2020


def exit_document(households: list[Household], year: int) -> dict[str, Any]:
    """The POLICY.md §8 document of the households, written by hand from the registry rows."""
    docs = []
    for h in households:
        members = list(h.persons.filter(status="active").order_by("id"))
        incomes = IncomeRecord.objects.filter(person__in=members, year__lte=year)
        latest = max(r.year for r in incomes)
        fen = sum(r.total_fen for r in incomes if r.year == latest)
        docs.append(
            {
                "id": str(h.pk),
                "region": h.village.code[:6],
                "annual_income": f"{fen // 100}.{fen % 100:02d}",
                "housing_grade": h.housing_grade,
                "relocated_keys": bool(h.relocated_keys),
                "water": {
                    "litres_per_day": str(h.water_litres_per_day),
                    "fetch_minutes": h.water_fetch_minutes,
                    "days_without_water": h.water_days_without,
                    "quality_ok": h.water_quality_ok,
                    "dry_area": h.water_dry_area,
                },
                "members": [
                    {
                        "id": f"P{m.pk}",
                        "birth_date": m.birth_date.isoformat(),
                        "in_school": m.student != "none" and not m.dropout,
                        "school_exempt_health": m.school_exempt_health,
                        "medical_insured": m.medical_insurance,
                    }
                    for m in members
                ],
            }
        )
    return {"households": docs}


@pytest.fixture
def county(tmp_path: Path) -> list[Household]:
    synth = generate_county("141102", 1500, 7, tmp_path)
    actor = Actor.system("test")
    assert import_file(synth.regions_path, actor=actor).written
    assert import_file(synth.households_path, actor=actor).written
    return list(Household.objects.filter(registered_year__isnull=False).select_related("village"))


def test_the_database_check_agrees_with_the_pure_command(county: list[Household], tmp_path: Path) -> None:
    doc = tmp_path / "exit.json"
    doc.write_text(json.dumps(exit_document(county, YEAR), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "jingzhun", "exit", "check", str(doc), "--year", str(YEAR), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pure = {h["id"]: tuple(h["failed"]) for h in json.loads(done.stdout)["households"]}
    db = check_households(Household.objects.filter(registered_year__isnull=False), YEAR)
    assert {str(k): v.failed for k, v in db.items()} == pure
    assert len(pure) > 20
    # most registered households pass, and some fail: the synthetic county exercises both
    passing = sum(1 for failed in pure.values() if not failed)
    assert 0 < passing < len(pure)


def test_unknown_facts_fail_the_criterion_they_decide_with_the_missing_fields_named(county: list[Household]) -> None:
    household = next(h for h in county if h.housing_grade in "AB")
    Household.objects.filter(pk=household.pk).update(water_quality_ok=None, water_fetch_minutes=None)
    result = check_household_db(household, YEAR)
    assert "water" in result.failed and not result.exit_ok
    assert "饮水安全（未填写：往返取水时间、水质达标）" in result.failed_zh()
    # before 2019 water is no criterion: the unknown water facts do not matter
    assert "water" not in check_household_db(household, 2018).failed


def test_the_command_checks_the_database_as_typed(county: list[Household], tmp_path: Path) -> None:
    from django.conf import settings
    from typer.testing import CliRunner

    from jingzhun.cli import app

    assert settings.DATABASES  # the command runs in this test's database (CliRunner, same process)
    result = CliRunner().invoke(app, ["exit-db", "check", "--year", str(YEAR), "--all-registered"])
    assert result.exit_code == 0, result.output
    shown = {h["id"]: tuple(h["failed"]) for h in json.loads(result.output)["households"]}
    db = check_households(Household.objects.filter(registered_year__isnull=False), YEAR)
    numbers = dict(Household.objects.values_list("id", "household_no"))
    assert shown == {numbers[k]: v.failed for k, v in db.items()}
    bad = CliRunner().invoke(app, ["exit-db", "check", "--year", "1999"])
    assert bad.exit_code == 2 and "评估年度 1999 不合理 [--year]" in bad.output


def test_the_command_takes_a_township_code_like_every_other_command(county: list[Household]) -> None:
    from typer.testing import CliRunner

    from jingzhun.cli import app

    village = county[0].village
    township = village.parent
    assert township is not None
    args = ["exit-db", "check", "--year", str(YEAR), "--all-registered", "--region"]
    shown = json.loads(CliRunner().invoke(app, [*args, township.code]).output)["households"]
    expected = sorted(h.household_no for h in county if h.village.code.startswith(township.code[:9]))
    assert sorted(h["id"] for h in shown) == expected  # was empty: the 12-digit code used as a prefix
    by_village = json.loads(CliRunner().invoke(app, [*args, village.code]).output)["households"]
    assert {h["id"] for h in by_village} == {h.household_no for h in county if h.village_id == village.pk}
    unknown = CliRunner().invoke(app, [*args, "141102999999"])
    assert unknown.exit_code == 2 and "区域代码 [--region] 不存在：141102999999" in unknown.output
