"""信息变更申请 on the pages: the bank account on the edit page, the pending list on the household page,
the 待审批变更 list and the decision — per persona (alice county, tom township, victor village, carl 帮扶)."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.registry.models import ChangeRequest
from tests.registry.test_views_edit import household_form
from tests.staff import approve

pytestmark = pytest.mark.django_db
OLD, NEW = "6228480000000001234", "6228480012345678901"


@pytest.fixture
def home(world: Any) -> Any:
    world["own"].bank_name, world["own"].bank_account = "农商银行", OLD
    world["own"].save()
    return world["own"]


@pytest.mark.parametrize(("persona", "full"), [("victor", False), ("carl", False), ("tom", True), ("alice", True)])
def test_the_edit_page_shows_the_whole_account_only_to_those_who_may_approve_its_change(
    login: Any, home: Any, persona: str, full: bool
) -> None:
    page = login(persona).get(f"/households/{home.pk}/edit/").content.decode()
    assert (OLD in page) == full
    assert ("**** 1234" in page) == (not full)


def test_a_new_account_typed_by_a_village_cadre_is_a_request_until_the_township_approves(login: Any, home: Any) -> None:
    form = household_form(home, bank_account=NEW, address="信义村二组 5 号")
    response = login("victor").post(f"/households/{home.pk}/edit/", form, follow=True)
    page = response.content.decode()
    assert "已提交银行账号变更申请（农商银行 账号尾号 8901）" in page and "pending-changes" in page
    home.refresh_from_db()
    assert (home.bank_account, home.address) == (OLD, "信义村二组 5 号")  # the address at once, the account not
    assert NEW not in page and "批准" not in page  # the proposer sees no approve button, only 撤回
    tom_page = login("tom").get(f"/households/{home.pk}/").content.decode()
    assert "农商银行 账号尾号 8901" in tom_page and 'value="approve"' in tom_page
    assert approve(login, "tom", home).status_code == 302
    home.refresh_from_db()
    assert home.bank_account == NEW


def test_a_masked_blank_account_keeps_the_old_one(login: Any, home: Any) -> None:
    login("victor").post(f"/households/{home.pk}/edit/", household_form(home, bank_account=""))
    home.refresh_from_db()
    assert home.bank_account == OLD and not ChangeRequest.objects.exists() and not AuditEvent.objects.exists()


def test_a_cadre_proposes_a_new_account_from_a_bank_only_form(login: Any, home: Any) -> None:
    client = login("carl")
    page = client.get(f"/households/{home.pk}/edit/").content.decode()
    assert "申请变更银行账号" in page and 'name="address"' not in page
    client.post(f"/households/{home.pk}/edit/", {"bank_name": "农商银行", "bank_account": NEW, "address": "别处"})
    home.refresh_from_db()
    assert home.bank_account == OLD and home.address != "别处"
    assert ChangeRequest.objects.get().proposer_role == "assigned_cadre"
    assert approve(login, "victor", home).status_code == 403  # a village cadre decides nothing
    assert approve(login, "tom", home).status_code == 302
    home.refresh_from_db()
    assert home.bank_account == NEW


def test_rejecting_needs_a_reason_and_the_proposer_sees_it(login: Any, home: Any) -> None:
    login("victor").post(f"/households/{home.pk}/edit/", household_form(home, bank_account=NEW))
    page = approve(login, "tom", home, decision="reject", reason="")
    assert page.status_code == 302 and ChangeRequest.objects.get().state == "pending"
    approve(login, "tom", home, decision="reject", reason="与存折不符")
    mine = login("victor").get("/households/changes/").content.decode()
    assert "已驳回" in mine and "与存折不符" in mine and "tom" in mine
    home.refresh_from_db()
    assert home.bank_account == OLD


def test_the_list_shows_what_each_persona_may_decide(login: Any, home: Any) -> None:
    login("victor").post(f"/households/{home.pk}/edit/", household_form(home, bank_account=NEW))
    for persona, sees in (("tom", True), ("alice", True), ("victor", False), ("carl", False), ("zoe", False)):
        page = login(persona).get("/households/changes/").content.decode()
        section = page[page.find("待我审批") : page.find("我提出的申请")]
        assert (home.household_no in section) == sees, persona


@pytest.mark.parametrize("persona", ["zoe", "audrey"])
def test_outsiders_and_auditors_cannot_decide(login: Any, home: Any, persona: str) -> None:
    login("victor").post(f"/households/{home.pk}/edit/", household_form(home, bank_account=NEW))
    assert approve(login, persona, home).status_code in {403, 404}
    home.refresh_from_db()
    assert home.bank_account == OLD and ChangeRequest.objects.get().state == "pending"


def test_the_proposer_withdraws_on_the_household_page(login: Any, home: Any) -> None:
    login("victor").post(f"/households/{home.pk}/edit/", household_form(home, bank_account=NEW))
    assert 'value="withdraw"' in login("victor").get(f"/households/{home.pk}/").content.decode()
    approve(login, "victor", home, decision="withdraw", reason="")
    assert ChangeRequest.objects.get().state == "withdrawn"
    assert "pending-changes" not in login("tom").get(f"/households/{home.pk}/").content.decode()


@pytest.mark.parametrize("path", ["head/", "merge/"])
def test_a_cadre_may_open_the_proposal_pages_of_their_household(login: Any, home: Any, path: str) -> None:
    assert login("carl").get(f"/households/{home.pk}/{path}").status_code == 200
