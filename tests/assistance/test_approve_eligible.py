"""存量迁入: one bulk run enrols the households the batch engine finds eligible, and only those, once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jingzhun.assistance.actions import approve_eligible
from jingzhun.assistance.models import Enrollment
from jingzhun.core.models import AuditEvent
from tests.policy.trees import use_no_urban_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def roll(household: Any, poor: Any, well_off: Any) -> dict[str, Any]:
    return {
        "dibao": poor("v11"),
        "rich": well_off("v12"),
        "tekun": household("v21", members=[{"birth_date": dt.date(1940, 3, 2), "labour": "none"}]),
        "care": household(
            "v21",
            income_fen=10_000_000,
            members=[{"disability_grade": 1, "needs_long_term_care": True, "disability_category": "physical"}],
        ),
        "elsewhere": poor("v91"),
    }


def families(home: Any) -> list[str]:
    return sorted(Enrollment.objects.filter(household=home).values_list("family", flat=True))


def test_enrols_each_household_in_the_families_it_has_non_zero_lines_for(roll: dict[str, Any], county: Any) -> None:
    counts = approve_eligible(county, "2020-06")
    assert counts == {"dibao": 1, "tekun": 1, "disability_care": 1}
    assert families(roll["dibao"]) == ["dibao"]
    assert families(roll["tekun"]) == ["tekun"]
    assert families(roll["care"]) == ["disability_care"]
    assert families(roll["rich"]) == []
    enrollment = Enrollment.objects.get(household=roll["dibao"])
    assert (enrollment.source, enrollment.status, enrollment.start_month) == (
        "initial_roll",
        "active",
        dt.date(2020, 6, 1),
    )
    decision = enrollment.decisions.get()
    assert decision.kind == "initial_roll" and decision.monthly_fen == sum(decision.entitlement.values()) > 0


def test_stays_inside_the_actors_county(roll: dict[str, Any], county: Any) -> None:
    approve_eligible(county, "2020-06")
    assert families(roll["elsewhere"]) == []


def test_region_prefix_narrows_the_run(roll: dict[str, Any], county: Any) -> None:
    counts = approve_eligible(county, "2020-06", "141102002")
    assert counts == {"dibao": 0, "tekun": 1, "disability_care": 1}


def test_re_running_adds_nothing_and_writes_one_audit_row_per_run(roll: dict[str, Any], county: Any) -> None:
    approve_eligible(county, "2020-06")
    before = Enrollment.objects.count()
    assert approve_eligible(county, "2020-07") == {"dibao": 0, "tekun": 0, "disability_care": 0}
    assert Enrollment.objects.count() == before
    audits = AuditEvent.objects.filter(action="enrollment_initial_roll").order_by("id")
    assert [a.after["counts"] for a in audits] == [
        {"dibao": 1, "tekun": 1, "disability_care": 1},
        {"dibao": 0, "tekun": 0, "disability_care": 0},
    ]


def test_other_county_is_refused(roll: dict[str, Any], personas: dict[str, Any], actor: Any) -> None:
    with pytest.raises(PermissionDenied):
        approve_eligible(actor(personas["zoe"]), "2020-06", "141102")


def test_only_the_county_runs_it(roll: dict[str, Any], personas: dict[str, Any], actor: Any) -> None:
    with pytest.raises(PermissionDenied, match="「乡镇干部」不能进行「存量迁入」"):
        approve_eligible(actor(personas["tom"]), "2020-06")
    with pytest.raises(PermissionDenied, match="审计账号为只读"):
        approve_eligible(actor(personas["audrey"]), "2020-06")


def test_household_the_engine_cannot_compute_is_left_out_and_named(poor: Any, county: Any, monkeypatch: Any) -> None:
    use_no_urban_standard(monkeypatch)
    urban = poor("v11", area="urban")  # parameters without an urban 低保 standard: 无参数
    assert approve_eligible(county, "2020-06") == {"dibao": 0, "tekun": 0, "disability_care": 0}
    audit = AuditEvent.objects.get(action="enrollment_initial_roll")
    assert audit.after["not_computed"] == [urban.household_no]
