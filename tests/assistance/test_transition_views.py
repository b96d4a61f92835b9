"""脱贫不脱政策 page: a county officer keeps an exited household's enrollments up to a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.assistance.models import Enrollment
from jingzhun.assistance.queries import active_enrollments
from jingzhun.core.models import AuditEvent
from jingzhun.registry.models import HouseholdStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def exited(world: dict[str, Any]) -> Any:
    """刘保平's household (低保 since 2019-01) exited poverty in 2020-03."""
    household = world["own"]
    type(household).objects.filter(pk=household.pk).update(
        status=HouseholdStatus.EXITED_SUPPORTED, status_date=dt.date(2020, 3, 1)
    )
    household.refresh_from_db()
    return household


def url(household: Any) -> str:
    return f"/assistance/households/{household.household_no}/transition/"


def paid(household: Any, month: str) -> bool:
    return household.household_no in active_enrollments(month)["household_no"].to_list()


def test_the_county_keeps_the_programs_until_the_end_of_the_transition(login: Any, exited: Any) -> None:
    assert paid(exited, "2021-03")  # exit alone never stops a payment
    alice = login("alice")
    page = alice.get(f"/households/{exited.pk}/").content.decode()
    assert url(exited) in page  # the household page offers it for an exited household
    audits = AuditEvent.objects.count()
    response = alice.post(url(exited), {"until": "2020-12-31", "reason": "过渡期至年底"}, follow=True)
    assert "已登记脱贫不脱政策：1 项救助保留至 2020-12-31" in response.content.decode()
    assert Enrollment.objects.get(household=exited, family="dibao").transition_until == dt.date(2020, 12, 31)
    assert AuditEvent.objects.count() == audits + 1
    assert paid(exited, "2020-12") and not paid(exited, "2021-01")


def test_a_household_not_exited_is_refused_with_the_reason(login: Any, world: dict[str, Any]) -> None:
    page = login("alice").post(url(world["own"]), {"until": "2020-12-31", "reason": "x"}).content.decode()
    assert "不是已脱贫（享受政策），不适用脱贫不脱政策" in page
    assert Enrollment.objects.get(household=world["own"], family="dibao").transition_until is None


@pytest.mark.parametrize("persona, status", [("victor", 403), ("tom", 403), ("audrey", 403), ("zoe", 404)])
def test_only_the_county_of_the_household_may_register_it(login: Any, exited: Any, persona: str, status: int) -> None:
    response = login(persona).post(url(exited), {"until": "2020-12-31", "reason": "过渡期"})
    assert response.status_code == status
    assert Enrollment.objects.get(household=exited, family="dibao").transition_until is None


def test_a_missing_date_and_reason_are_named(login: Any, exited: Any) -> None:
    page = login("alice").post(url(exited), {"until": "", "reason": ""}).content.decode()
    assert "请填写保留政策的截止日期" in page and "请填写依据" in page


@pytest.mark.parametrize("persona, status", [("victor", 403), ("tom", 403), ("audrey", 403), ("zoe", 404)])
def test_the_form_is_refused_on_get_to_whoever_may_not_submit_it(
    login: Any, exited: Any, persona: str, status: int
) -> None:
    """Reviewer L5: a village cadre was shown the form and refused only when submitting it."""
    response = login(persona).get(url(exited))
    assert response.status_code == status
    assert 'name="until"' not in response.content.decode()
    if persona == "victor":
        assert "「村干部」不能进行「脱贫不脱政策」" in response.content.decode()
    assert login("alice").get(url(exited)).status_code == 200


def test_a_date_after_the_transition_period_is_named_on_the_form(login: Any, exited: Any) -> None:
    page = login("alice").post(url(exited), {"until": "2099-12-31", "reason": "过渡期"}).content.decode()
    assert "保留政策至（2099-12-31）不能晚于脱贫（2020 年）后 5 年过渡期的末日（2025-12-31）" in page
    assert Enrollment.objects.get(household=exited, family="dibao").transition_until is None
