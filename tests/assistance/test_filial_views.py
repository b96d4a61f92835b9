"""录入子女赡养费 page and the 孝亲敬老奖励 panel of the household page."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.assistance.filial_models import SupportPayment
from jingzhun.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(household: Any) -> str:
    return f"/assistance/households/{household.household_no}/support/"


def form(parent: Any, **overrides: str) -> dict[str, Any]:
    return {
        "parent": parent.pk,
        "payer_name": "刘建军",
        "payer_relation": "son",
        "payer_id_number": "",
        "paid_on": "2020-05-10",
        "amount": "1200.00",
        "period_from": "2020-01-01",
        "period_to": "2020-06-30",
        **overrides,
    }


def head(household: Any) -> Any:
    return household.persons.get(relation="head")


@pytest.mark.parametrize("persona", ["victor", "tom"])
def test_village_and_township_record_a_payment_and_see_the_reward(
    login: Any, world: dict[str, Any], persona: str, settings: Any
) -> None:
    settings.WORKING_MONTH = "2020-07"  # the county works in July 2020: October is still to come
    household = world["own"]  # 刘保平, born 1940: 80 at the 2020 Double Ninth
    client = login(persona)
    audits = AuditEvent.objects.count()
    response = client.post(url(household), form(head(household)), follow=True)
    page = response.content.decode()
    assert "已录入赡养费 1200.00 元（计入 2020 年重阳节评定）" in page
    row = SupportPayment.objects.get(household=household)
    assert (row.amount_fen, row.assessment_year, row.payer_name) == (120_000, 2020, "刘建军")
    assert AuditEvent.objects.count() == audits + 1
    assert AuditEvent.objects.latest("id").action == "support_payment_recorded"
    # the panel: 1200 paid → floor(1200 / 1000) × 200 = 200 元, due in the Double Ninth's month
    assert "2020 年重阳节（2020-10-25）评定" in page
    assert "200.00 元" in page and "将于 2020 年 10 月发放" in page
    assert "尚未获批：须申请孝亲敬老奖励并经县级审批" in page


@pytest.mark.parametrize("persona, status", [("carl", 403), ("audrey", 403), ("alice", 403), ("zoe", 404)])
def test_others_may_not_record(login: Any, world: dict[str, Any], persona: str, status: int) -> None:
    household = world["own"]
    response = login(persona).post(url(household), form(head(household)))
    assert response.status_code == status
    assert not SupportPayment.objects.exists()


def test_other_county_household_is_not_found_for_the_village(login: Any, world: dict[str, Any]) -> None:
    household = world["other_county"]
    assert login("victor").post(url(household), form(head(household))).status_code == 404
    assert not SupportPayment.objects.exists()


def test_bad_input_names_the_field_and_writes_nothing(login: Any, world: dict[str, Any]) -> None:
    household = world["own"]
    spouse = household.persons.get(relation="spouse")  # born 1981: far from 60
    client = login("victor")
    page = client.post(url(household), form(spouse, amount="0")).content.decode()
    assert "赡养费金额须大于 0 元" in page
    assert "未满 60 周岁，赡养费不计孝亲敬老奖励" in page
    page = client.post(url(household), form(head(household), paid_on="2030-01-01")).content.decode()
    assert "支付日期（2030-01-01）不能晚于今天" in page
    page = client.post(url(household), form(head(household), payer_id_number="141102194003020010")).content.decode()
    assert "身份证号校验码错误" in page
    assert not SupportPayment.objects.exists()


def test_the_auditor_sees_the_records_but_no_button(login: Any, world: dict[str, Any]) -> None:
    household = world["own"]
    login("victor").post(url(household), form(head(household)))
    page = login("audrey").get(f"/households/{household.pk}/").content.decode()
    assert "孝亲敬老奖励 · 子女赡养费" in page and "刘建军" in page
    assert url(household) not in page
    assert url(household) in login("victor").get(f"/households/{household.pk}/").content.decode()


def test_a_wrong_record_is_voided_with_a_reason_and_no_longer_counts(login: Any, world: dict[str, Any]) -> None:
    from jingzhun.assistance.filial import reward_fen

    household = world["own"]
    client = login("victor")
    client.post(url(household), form(head(household), amount="1500"))
    row = SupportPayment.objects.get()
    assert reward_fen(household, 2020) == 20_000
    page = client.post(f"/assistance/support/{row.pk}/void/", {"reason": ""}, follow=True).content.decode()
    assert "请填写作废原因" in page
    for persona, status in (("carl", 403), ("audrey", 403), ("zoe", 404)):
        assert login(persona).post(f"/assistance/support/{row.pk}/void/", {"reason": "x"}).status_code == status
    assert SupportPayment.objects.get().voided_at is None
    page = login("tom").post(f"/assistance/support/{row.pk}/void/", {"reason": "金额录错"}, follow=True)
    assert "已作废 刘建军 2020-05-10 的赡养费记录" in page.content.decode()
    assert "已作废：金额录错" in page.content.decode()
    assert reward_fen(household, 2020) == 0
    assert AuditEvent.objects.filter(action="support_payment_voided", reason="金额录错").count() == 1
