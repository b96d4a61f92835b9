"""The exit workflow's actions: each step by its role, in its region, dated, audited; the check enforced."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingzhun.assistance.models import Enrollment
from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent, Role
from jingzhun.monitoring.exit import actions
from jingzhun.monitoring.models import ExitEntry, ExitList, ExitStage, ExitStep
from jingzhun.registry.models import Household, HouseholdStatusEvent

pytestmark = pytest.mark.django_db
YEAR = 2020
D = dt.date
SAFE = {
    "water_litres_per_day": Decimal("40"),
    "water_fetch_minutes": 10,
    "water_days_without": 0,
    "water_quality_ok": True,
    "water_dry_area": False,
}
VILLAGE, TOWNSHIP, COUNTY = "141102001001", "141102001", "141102"


def actor(role: str, scope: str) -> Actor:
    return Actor(label=f"{role}@{scope}", role=role, scope=scope)


CADRE = actor(Role.VILLAGE_CADRE, VILLAGE)
TOWNSHIP_OFFICER = actor(Role.TOWNSHIP_OFFICER, TOWNSHIP)
COUNTY_OFFICER = actor(Role.COUNTY_OFFICER, COUNTY)


@pytest.fixture
def passing(world: Any) -> Household:
    Household.objects.filter(pk=world["own_other"].pk).update(**SAFE)
    return Household.objects.select_related("village").get(pk=world["own_other"].pk)


def walk_to(stage: str, household: Household) -> ExitList:
    """The list of ``household``'s village brought to ``stage`` by the right roles."""
    exit_list = actions.propose(CADRE, VILLAGE, YEAR, [household], date=D(2020, 6, 1))
    steps: list[tuple[str, Callable[[], Any]]] = [
        (
            ExitStage.REVIEWED,
            lambda: actions.record_review(CADRE, exit_list, date=D(2020, 6, 3), note="到会 42 人，同意 40 人"),
        ),
        (
            ExitStage.VERIFIED,
            lambda: (
                actions.record_signature(CADRE, exit_list.entries.get(), date=D(2020, 6, 5), signed_by="孙有福"),
                actions.record_verification(CADRE, exit_list, date=D(2020, 6, 6)),
            ),
        ),
        (
            ExitStage.PUBLICIZED,
            lambda: actions.start_publicity(CADRE, exit_list, start=D(2020, 6, 7), end=D(2020, 6, 13)),
        ),
        (
            ExitStage.TOWNSHIP_VERIFIED,
            lambda: actions.township_verify(TOWNSHIP_OFFICER, exit_list, date=D(2020, 6, 14)),
        ),
        (ExitStage.ANNOUNCED, lambda: actions.announce(COUNTY_OFFICER, exit_list, date=D(2020, 6, 20))),
        (ExitStage.CLOSED, lambda: actions.close(COUNTY_OFFICER, exit_list, date=D(2020, 6, 30))),
    ]
    for name, step in steps:
        if exit_list.stage == stage:
            break
        step()
        exit_list.refresh_from_db()
        assert exit_list.stage == name
    return exit_list


def test_the_whole_walk_ends_with_the_household_exited_and_every_step_recorded(passing: Household) -> None:
    enrollments = Enrollment.objects.count()
    exit_list = walk_to(ExitStage.CLOSED, passing)
    passing.refresh_from_db()
    assert (passing.status, passing.status_date) == ("exited_supported", D(2020, 6, 30))
    event = HouseholdStatusEvent.objects.get(household=passing)
    assert event.status == "exited_supported" and "2020 年脱贫退出" in event.note
    assert list(ExitStep.objects.filter(exit_list=exit_list).values_list("stage", flat=True)) == [
        "proposed",
        "reviewed",
        "verified",
        "publicized",
        "township_verified",
        "announced",
        "closed",
    ]
    audited = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert audited == [
        "monitoring.exit.proposed",
        "monitoring.exit.reviewed",
        "monitoring.exit.signed",
        "monitoring.exit.verified",
        "monitoring.exit.publicized",
        "monitoring.exit.township_verified",
        "monitoring.exit.announced",
        "registry.set_exit_status",
        "monitoring.exit.closed",
    ]
    assert Enrollment.objects.count() == enrollments  # exit stops no payment


def test_a_household_that_fails_the_check_cannot_be_proposed_and_the_criteria_are_named(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.propose(CADRE, VILLAGE, YEAR, [world["own"]], date=D(2020, 6, 1))
    text = " ".join(refused.value.messages)
    assert "户 1411020010010001：未通过2020年度退出核查" in text and "收入（未填写：年收入）" in text
    assert not ExitList.objects.exists() and not AuditEvent.objects.exists()


def test_a_household_of_another_village_is_refused(passing: Household, world: Any) -> None:
    Household.objects.filter(pk=world["sibling_village"].pk).update(**SAFE)
    with pytest.raises(ValidationError, match="不在本村"):
        actions.propose(CADRE, VILLAGE, YEAR, [world["sibling_village"]], date=D(2020, 6, 1))


STEP_CALLS: dict[str, Callable[[Actor, ExitList], Any]] = {
    ExitStage.REVIEWED: lambda a, x: actions.record_review(a, x, date=D(2020, 6, 3), note="评议"),
    ExitStage.TOWNSHIP_VERIFIED: lambda a, x: actions.township_verify(a, x, date=D(2020, 6, 14)),
    ExitStage.ANNOUNCED: lambda a, x: actions.announce(a, x, date=D(2020, 6, 20)),
    ExitStage.CLOSED: lambda a, x: actions.close(a, x, date=D(2020, 6, 30)),
}
BEFORE = {
    ExitStage.REVIEWED: ExitStage.PROPOSED,
    ExitStage.TOWNSHIP_VERIFIED: ExitStage.PUBLICIZED,
    ExitStage.ANNOUNCED: ExitStage.TOWNSHIP_VERIFIED,
    ExitStage.CLOSED: ExitStage.ANNOUNCED,
}
WRONG = {
    "auditor": actor(Role.AUDITOR, "1411"),
    "cadre of another village": actor(Role.VILLAGE_CADRE, "141102001002"),
    "officer of another township": actor(Role.TOWNSHIP_OFFICER, "141102002"),
    "officer of another county": actor(Role.COUNTY_OFFICER, "141130"),
    "assigned cadre": actor(Role.ASSIGNED_CADRE, VILLAGE),
    "village cadre": CADRE,
    "township officer": TOWNSHIP_OFFICER,
    "county officer": COUNTY_OFFICER,
}
RIGHT = {
    ExitStage.REVIEWED: "village cadre",
    ExitStage.TOWNSHIP_VERIFIED: "township officer",
    ExitStage.ANNOUNCED: "county officer",
    ExitStage.CLOSED: "county officer",
}


@pytest.mark.parametrize(
    ("stage", "who"), [(stage, who) for stage in STEP_CALLS for who in WRONG if who != RIGHT[stage]]
)
def test_each_step_is_refused_to_every_other_role_and_region(passing: Household, stage: str, who: str) -> None:
    exit_list = walk_to(BEFORE[stage], passing)
    audits = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        STEP_CALLS[stage](WRONG[who], exit_list)
    exit_list.refresh_from_db()
    assert exit_list.stage == BEFORE[stage] and AuditEvent.objects.count() == audits


def test_proposing_is_refused_to_other_roles_and_regions(passing: Household) -> None:
    for who, a in WRONG.items():
        if who == "village cadre":
            continue
        with pytest.raises(PermissionDenied):
            actions.propose(a, VILLAGE, YEAR, [passing], date=D(2020, 6, 1))
    assert not ExitList.objects.exists()


def test_steps_go_in_order(passing: Household) -> None:
    exit_list = walk_to(ExitStage.PROPOSED, passing)
    with pytest.raises(ValidationError, match="须在「村公示」之后"):
        actions.township_verify(TOWNSHIP_OFFICER, exit_list, date=D(2020, 6, 14))


def test_verification_needs_every_signature(passing: Household) -> None:
    exit_list = walk_to(ExitStage.REVIEWED, passing)
    with pytest.raises(ValidationError, match="尚未签字确认：1411020010010002"):
        actions.record_verification(CADRE, exit_list, date=D(2020, 6, 6))


def test_publicity_is_at_least_seven_days_both_ends_counted(passing: Household) -> None:
    exit_list = walk_to(ExitStage.VERIFIED, passing)
    with pytest.raises(ValidationError, match="公示期不少于 7 天（首尾两天都计入），现为 6 天"):
        actions.start_publicity(CADRE, exit_list, start=D(2020, 6, 7), end=D(2020, 6, 12))


def test_the_township_verifies_only_after_the_publicity_has_ended(passing: Household) -> None:
    exit_list = walk_to(ExitStage.PUBLICIZED, passing)
    with pytest.raises(ValidationError, match="不能早于公示期满次日（2020-06-14）"):
        actions.township_verify(TOWNSHIP_OFFICER, exit_list, date=D(2020, 6, 13))


def test_a_household_that_no_longer_passes_stops_the_closing(passing: Household) -> None:
    exit_list = walk_to(ExitStage.ANNOUNCED, passing)
    Household.objects.filter(pk=passing.pk).update(water_quality_ok=False)
    with pytest.raises(ValidationError, match="饮水安全"):
        actions.close(COUNTY_OFFICER, exit_list, date=D(2020, 6, 30))
    passing.refresh_from_db()
    assert passing.status == "not_exited" and not HouseholdStatusEvent.objects.exists()


def test_the_review_takes_a_household_off_with_its_reason(passing: Household, world: Any) -> None:
    second = world["own"]
    Household.objects.filter(pk=second.pk).update(**SAFE)
    from jingzhun.registry.models import IncomeRecord, Person

    IncomeRecord.objects.create(person=Person.objects.filter(household=second).first(), year=2019, wages_fen=5_000_000)
    exit_list = actions.propose(CADRE, VILLAGE, YEAR, [passing, second], date=D(2020, 6, 1))
    entry = ExitEntry.objects.get(household=second)
    actions.record_review(CADRE, exit_list, date=D(2020, 6, 3), note="到会 40 人", removed={entry.pk: "收入不稳定"})
    entry.refresh_from_db()
    assert entry.removed and entry.removed_reason == "收入不稳定"
    assert AuditEvent.objects.get(action="monitoring.exit.reviewed").after["removed"] == [second.household_no]


def test_close_policies_is_a_county_step_after_exit(world: dict[str, Any]) -> None:
    from jingzhun.registry.exit_actions import close_policies

    home = world["own"]
    county, village = COUNTY_OFFICER, CADRE
    with pytest.raises(ValidationError, match="只有已脱贫（享受政策）的户可以办理"):
        close_policies(county, home, date=D(2021, 1, 1), reason="过渡期满")  # still 未脱贫
    Household.objects.filter(pk=home.pk).update(status="exited_supported", status_date=D(2019, 12, 1))
    with pytest.raises(PermissionDenied):
        close_policies(village, home, date=D(2021, 1, 1), reason="过渡期满")
    with pytest.raises(ValidationError, match="理由"):
        close_policies(county, home, date=D(2021, 1, 1), reason=" ")
    with pytest.raises(ValidationError, match="不能早于脱贫日期 2019-12-01"):
        close_policies(county, home, date=D(2019, 1, 1), reason="过渡期满")
    event = close_policies(county, home, date=D(2021, 1, 1), reason="过渡期满")
    home.refresh_from_db()
    assert (home.status, home.status_date, event.status) == ("exited_closed", D(2021, 1, 1), "exited_closed")
    assert AuditEvent.objects.get(action="registry.close_policies").reason == "过渡期满"
