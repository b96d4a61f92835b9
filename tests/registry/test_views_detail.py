"""The household page: members, history, this month's entitlements explained, payments, assistance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.staff import without_csrf

pytestmark = pytest.mark.django_db


def detail(client: Any, household: Any, **params: str) -> str:
    response = client.get(f"/households/{household.pk}/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_household_page_shows_members_and_help(login: Any, world: Any) -> None:
    page = detail(login("victor"), world["own"])
    assert "户主 刘保平" in page and "王秀英" in page
    assert "陈玲容" in page and "carl" in page  # 帮扶责任人 and the cadre's account


def test_county_officer_sees_the_whole_id_number_on_the_detail_page(login: Any, world: Any) -> None:
    number = world["own"].persons.get(relation="head").id_number
    assert number in detail(login("alice"), world["own"])


@pytest.mark.parametrize("persona", ["tom", "victor", "carl", "audrey"])
def test_everyone_else_sees_the_id_number_masked(login: Any, world: Any, persona: str) -> None:
    number = world["own"].persons.get(relation="head").id_number
    page = detail(login(persona), world["own"])
    assert number not in page
    assert f"{number[:4]}**********{number[-4:]}" in page


def test_bank_account_is_masked_for_all_but_county_officers(login: Any, world: Any) -> None:
    world["own"].bank_account = "6228480012345678901"
    world["own"].save()
    assert "6228480012345678901" in detail(login("alice"), world["own"])
    page = detail(login("victor"), world["own"])
    assert "6228480012345678901" not in page and "**** 8901" in page


def test_entitlements_of_the_month_are_explained_in_chinese(login: Any, world: Any) -> None:
    page = detail(login("victor"), world["own"], month="2020-06")
    assert "2020-06 应享待遇" in page
    assert "特困人员基本生活费" in page and "548.08" in page  # 6577 / 12, 吕梁市 2020 rural home standard
    assert "低保补差" in page and "404.42" in page  # (4853 / 12 − 0) × 1 for the spouse
    assert "农村低保标准（每人每年）" in page and "4853 元/年" in page
    assert "2020-01-01 起" in page and "吕梁市（市级）" in page
    assert "月低保标准 S（元）" in page and "不计入低保家庭的特困人员" in page


def test_lines_say_whether_the_household_is_enrolled_to_be_paid(login: Any, world: Any) -> None:
    page = detail(login("victor"), world["own"], month="2020-06")
    assert "已在册，可发放" in page  # 低保 enrolled
    assert "未在册：需经特困人员救助供养审批后发放" in page


def test_a_default_parameter_is_flagged_for_local_confirmation(login: Any, world: Any) -> None:
    page = detail(login("victor"), world["own"], month="2020-06")
    assert "默认值，请按本地文件核定" in page  # 特困 care fee is a [default] city-wide value


def test_a_bad_month_falls_back_to_this_month_with_a_message(login: Any, world: Any) -> None:
    page = detail(login("victor"), world["own"], month="2020-13")
    assert "YYYY-MM" in page


def test_history_lists_status_changes_and_member_events(login: Any, world: Any) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.registry.actions import change_household_status, record_death

    household = world["own"]
    day = dt.date(2019, 12, 1)
    change_household_status(Actor.system("t"), household, "exited_supported", date=day, note="人均收入达标")
    record_death(Actor.system("t"), household.persons.get(relation="spouse"), date=dt.date(2020, 2, 3))
    page = detail(login("victor"), household)
    assert "户状态：已脱贫" in page and "人均收入达标" in page
    assert "王秀英：死亡" in page and "2020-02-03" in page


def test_enrollments_and_applications_are_listed(login: Any, world: Any) -> None:
    page = detail(login("victor"), world["own"])
    assert "最低生活保障（低保）" in page and "存量迁入" in page


def test_payment_history_comes_from_the_ledger(login: Any, world: Any) -> None:
    from jingzhun.ledger.models import PaymentLine

    PaymentLine.objects.create(
        household=world["own"],
        program="dibao",
        month=dt.date(2020, 6, 1),
        amount_fen=40442,
        kind="payment",
        actor_label="test",
    )
    page = detail(login("victor"), world["own"])
    assert "2020-06" in page and "404.42" in page and "发放" in page
    assert f'href="/ledger/household/{world["own"].household_no}/"' in page


def test_incomes_are_shown_by_year(login: Any, world: Any) -> None:
    page = detail(login("victor"), world["own_other"])
    assert "2019" in page and "40,000.00" in page


def test_a_household_outside_the_scope_is_not_found(login: Any, world: Any) -> None:
    response = login("victor").get(f"/households/{world['sibling_village'].pk}/")
    assert response.status_code == 404
    assert "不存在，或不在您的工作范围内" in response.content.decode()


def test_an_unknown_household_is_the_same_404(login: Any, world: Any) -> None:
    client = login("victor")
    missing = client.get("/households/999999/")
    outside = client.get(f"/households/{world['other_county'].pk}/")
    assert missing.status_code == outside.status_code == 404
    assert without_csrf(missing.content.decode()) == without_csrf(outside.content.decode())


def test_auditor_sees_no_edit_links(login: Any, world: Any) -> None:
    page = detail(login("audrey"), world["own"])
    assert "修改基本信息" not in page and f"/households/{world['own'].pk}/edit/" not in page


def test_the_status_badge_and_the_monitoring_mark(login: Any, world: Any) -> None:
    from jingzhun.registry.models import Household

    household = world["own"]
    page = login("alice").get(f"/households/{household.pk}/").content.decode()
    assert '<span class="badge">未脱贫</span>' in page and "监测对象" not in page
    Household.objects.filter(pk=household.pk).update(status="exited_supported", monitored=True)
    page = login("alice").get(f"/households/{household.pk}/").content.decode()
    assert '<span class="badge">已脱贫（享受政策）</span> <span class="badge warn">监测对象</span>' in page
