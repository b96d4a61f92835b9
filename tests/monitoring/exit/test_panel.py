"""The 脱贫退出核查 panel on the staff household page, and its facts form, as each role sees them."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.registry.models import Household

pytestmark = pytest.mark.django_db
FACTS = {
    "relocated_keys": "",
    "water_litres_per_day": "40",
    "water_fetch_minutes": "10",
    "water_days_without": "0",
    "water_quality_ok": "true",
    "water_dry_area": "false",
}


def test_the_panel_names_every_failed_criterion_and_the_facts_not_yet_filled(login: Any, world: Any) -> None:
    page = login("victor").get(f"/households/{world['own'].pk}/").content.decode()
    assert "脱贫退出核查" in page and "未达到退出标准" in page
    assert "收入（未填写：年收入）" in page  # no income recorded
    assert "饮水安全（未填写：每人每日可用水量、往返取水时间、年缺水天数、水质达标、干旱缺水地区）" in page
    assert f"/monitoring/exit/households/{world['own'].pk}/facts/" in page


def test_a_village_cadre_fills_the_facts_and_the_household_then_passes(login: Any, world: Any) -> None:
    household = world["own_other"]  # income 40 000 yuan, two members: well above the line
    client = login("victor")
    response = client.post(f"/monitoring/exit/households/{household.pk}/facts/", FACTS)
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.water_quality_ok is True and household.water_fetch_minutes == 10
    assert AuditEvent.objects.filter(action="registry.update_exit_facts", actor_label="victor").count() == 1
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert "达到退出标准" in page and "未达到退出标准" not in page


def test_a_bad_value_is_shown_in_chinese_and_nothing_is_written(login: Any, world: Any) -> None:
    household = world["own_other"]
    page = login("victor").post(
        f"/monitoring/exit/households/{household.pk}/facts/", {**FACTS, "water_litres_per_day": "abc"}
    )
    assert page.status_code == 200 and "请输入数字" in page.content.decode()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("persona", "where", "status"),
    [
        ("victor", "sibling_village", 404),
        ("tom", "sibling_township", 404),
        ("zoe", "own", 404),
        ("audrey", "own", 403),
        ("carl", "own", 403),
    ],
)
def test_the_facts_form_is_refused_outside_the_region_and_to_read_only_roles(
    login: Any, world: Any, persona: str, where: str, status: int
) -> None:
    household = world[where]
    response = login(persona).post(f"/monitoring/exit/households/{household.pk}/facts/", FACTS)
    assert response.status_code == status
    assert not AuditEvent.objects.exists()
    assert Household.objects.get(pk=household.pk).water_quality_ok is None


def test_an_auditor_sees_the_panel_but_no_edit_button(login: Any, world: Any) -> None:
    page = login("audrey").get(f"/households/{world['own'].pk}/").content.decode()
    assert "脱贫退出核查" in page and "/facts/" not in page


def test_the_county_officer_closes_policies_from_the_panel_and_no_one_else_may(login: Any, world: Any) -> None:
    household = world["own"]
    url = f"/monitoring/exit/households/{household.pk}/close-policies/"
    posted = {"date": "2021-01-04", "reason": "过渡期已满"}
    # only once exited with policies kept, and only the county officer sees the form
    assert "认定不再享受政策" not in login("alice").get(f"/households/{household.pk}/").content.decode()
    Household.objects.filter(pk=household.pk).update(status="exited_supported", status_date="2019-12-01")
    assert "认定不再享受政策" in login("alice").get(f"/households/{household.pk}/").content.decode()
    assert "认定不再享受政策" not in login("victor").get(f"/households/{household.pk}/").content.decode()
    assert login("victor").post(url, posted).status_code == 403  # a village cadre
    assert login("tom").post(url, posted).status_code == 403  # a township officer
    assert login("zoe").post(url, posted).status_code == 404  # another county
    client = login("alice")
    refused = client.post(url, {"date": "2021-01-04", "reason": " "}, follow=True).content.decode()
    assert "请填写不再享受政策的理由" in refused
    household.refresh_from_db()
    assert household.status == "exited_supported"
    done = client.post(url, posted, follow=True).content.decode()
    assert "已认定为“已脱贫（不再享受政策）”" in done
    household.refresh_from_db()
    assert (household.status, str(household.status_date)) == ("exited_closed", "2021-01-04")
    assert AuditEvent.objects.get(action="registry.close_policies").actor_label == "alice"
