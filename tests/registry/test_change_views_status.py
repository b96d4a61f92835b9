"""户状态变更 page: 识别 → 帮扶 → 已脱贫 → 监测, proposed as a 信息变更申请 and applied on approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from jingzhun.core.models import AuditEvent
from jingzhun.registry.models import HouseholdStatusEvent
from tests.staff import approve

pytestmark = pytest.mark.django_db


def status_form(
    status: str = "exited", date: str = "2020-05-01", note: str = "人均纯收入超过当年标准"
) -> dict[str, str]:
    return {"status": status, "date": date, "note": note}


def test_village_cadre_proposes_an_exit_and_the_county_approves_it(login: Any, world: Any) -> None:
    household = world["own"]
    response = login("victor").post(f"/households/{household.pk}/status/", status_form())
    assert response.status_code == 302 and response["Location"] == f"/households/{household.pk}/"
    household.refresh_from_db()
    assert household.status == "helped" and not HouseholdStatusEvent.objects.exists()  # nobody changes it alone
    assert approve(login, "tom", household).status_code == 403  # an exit needs the county
    assert approve(login, "alice", household).status_code == 302
    household.refresh_from_db()
    assert household.status == "exited" and household.status_date == dt.date(2020, 5, 1)
    event = HouseholdStatusEvent.objects.get(household=household)
    assert (event.status, event.note) == ("exited", "人均纯收入超过当年标准")
    rows = list(AuditEvent.objects.order_by("id").values_list("action", "actor_label"))
    assert rows == [
        ("registry.propose_change", "victor"),
        ("registry.change_household_status", "alice"),
        ("registry.approve_change", "alice"),
    ]
    audit = AuditEvent.objects.get(action="registry.change_household_status")
    assert audit.before == {"status": "helped", "status_date": None}
    assert audit.reason == "人均纯收入超过当年标准"


def test_the_success_message_is_shown_on_the_household_page(login: Any, world: Any) -> None:
    client = login("victor")
    response = client.post(f"/households/{world['own'].pk}/status/", status_form(), follow=True)
    page = response.content.decode()
    assert "已提交户状态变更申请（户状态：帮扶 → 已脱贫（2020-05-01 起））" in page and "pending-changes" in page


def test_a_transition_the_action_refuses_is_shown_in_chinese_and_nothing_is_written(login: Any, world: Any) -> None:
    household = world["own"]  # 帮扶: may only go on to 已脱贫
    response = login("victor").post(f"/households/{household.pk}/status/", status_form(status="identified"))
    assert response.status_code == 200
    assert "户状态不能从「帮扶」变为「识别」" in response.content.decode()
    household.refresh_from_db()
    assert household.status == "helped"
    assert not HouseholdStatusEvent.objects.exists() and not AuditEvent.objects.exists()


def test_the_page_says_which_statuses_may_follow(login: Any, world: Any) -> None:
    client = login("victor")
    assert f"/households/{world['own'].pk}/status/" in client.get(f"/households/{world['own'].pk}/").content.decode()
    page = client.get(f"/households/{world['own'].pk}/status/").content.decode()
    assert "当前状态下可变更为：已脱贫" in page and "户状态变更" in page


@pytest.mark.parametrize(
    ("date", "message"),
    [("2020-13-01", "日期格式应为 YYYY-MM-DD"), ("", "这个字段是必填项"), ("2999-01-01", "日期不能晚于今天")],
)
def test_a_bad_date_is_refused_in_chinese(login: Any, world: Any, date: str, message: str) -> None:
    response = login("victor").post(f"/households/{world['own'].pk}/status/", status_form(date=date))
    assert message in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_a_date_before_the_current_status_date_is_refused(login: Any, world: Any) -> None:
    household = world["own"]
    household.status_date = dt.date(2019, 6, 1)
    household.save()
    page = login("victor").post(f"/households/{household.pk}/status/", status_form(date="2019-01-01"))
    assert "变更日期不能早于当前状态的日期（2019-06-01）" in page.content.decode()
    assert not HouseholdStatusEvent.objects.exists()


@pytest.mark.parametrize("where", ["sibling_village", "sibling_township", "other_county"])
def test_a_household_outside_the_village_is_not_found(login: Any, world: Any, where: str) -> None:
    household = world[where]
    client = login("victor")
    assert client.get(f"/households/{household.pk}/status/").status_code == 404
    assert client.post(f"/households/{household.pk}/status/", status_form()).status_code == 404
    household.refresh_from_db()
    assert household.status == "helped" and not AuditEvent.objects.exists()


def test_auditor_sees_no_button_and_may_not_post(login: Any, world: Any) -> None:
    household = world["own"]
    client = login("audrey")
    assert f"/households/{household.pk}/status/" not in client.get(f"/households/{household.pk}/").content.decode()
    assert client.get(f"/households/{household.pk}/status/").status_code == 403
    response = client.post(f"/households/{household.pk}/status/", status_form())
    assert response.status_code == 403 and "只读" in response.content.decode()
    household.refresh_from_db()
    assert household.status == "helped" and not AuditEvent.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="victor", password="pw-12345678")
    response = client.post(f"/households/{world['own'].pk}/status/", status_form())
    assert response.status_code == 403
    world["own"].refresh_from_db()
    assert world["own"].status == "helped"


def test_a_closed_household_cannot_change_status(login: Any, world: Any) -> None:
    household = world["own"]
    household.active = False
    household.save()
    page = login("victor").post(f"/households/{household.pk}/status/", status_form()).content.decode()
    assert "该户已销户，不能变更户状态" in page
    assert not AuditEvent.objects.exists()
