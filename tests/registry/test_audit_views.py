"""修改记录 on the household page and the auditors' audit search (issue #15 "Who did what"): who by name,
when in 北京时间, which field, old → new, the reason; Excel exports; role × region."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jingzhun.core.models import AuditEvent
from tests.registry.test_views_edit import household_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(world: Any, personas: Any, login: Any) -> Any:
    """alice (named 王丽 on her staff record) corrects the address of carl's household on the edit page."""
    personas["alice"].staff.name = "王丽"
    personas["alice"].staff.save()
    household = world["own"]
    client = login("alice")
    response = client.post(f"/households/{household.pk}/edit/", household_form(household, address="信义村二组 8 号"))
    assert response.status_code == 302
    return household


def test_an_auditor_reads_who_changed_which_field_from_what_to_what(changed: Any, login: Any) -> None:
    event = AuditEvent.objects.get(action="registry.update_household", object_id=str(changed.pk))
    page = login("audrey").get(f"/households/{changed.pk}/changes/").content.decode()
    assert "修改记录" in page and "王丽" in page and "修改户信息" in page
    assert "地址" in page and "信义村一组" in page and "信义村二组 8 号" in page
    beijing = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")
    assert beijing in page and event.at.utcoffset() is not None
    assert str(timezone.localtime(event.at).utcoffset()) == "8:00:00"  # 北京时间


def test_the_household_page_links_its_changes_tab(changed: Any, login: Any) -> None:
    page = login("audrey").get(f"/households/{changed.pk}/").content.decode()
    assert f'href="/households/{changed.pk}/changes/"' in page and "修改记录" in page


def test_the_changes_download_as_excel_with_the_household_in_the_title(changed: Any, login: Any) -> None:
    response = login("audrey").get(f"/households/{changed.pk}/changes/?format=xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert changed.household_no in rows[0][0]
    assert rows[1][:3] == ["时间（北京时间）", "操作人", "操作"]
    assert ["王丽", "修改户信息", "地址", "信义村一组", "信义村二组 8 号"] in [
        [r[1], r[2], r[4], r[5], r[6]] for r in rows
    ]


def test_an_income_change_shows_its_field_label_and_yuan(world: Any, login: Any) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.registry.actions import set_person_income

    person = world["own_other"].persons.get(relation="head")
    set_person_income(Actor.system("import"), person, 2019, wages_fen=4_123_456)
    page = login("audrey").get(f"/households/{world['own_other'].pk}/changes/").content.decode()
    assert "年度收入" in page and "41,234.56" in page and "4123456" not in page


def test_another_countys_officer_cannot_open_the_changes(changed: Any, login: Any) -> None:
    assert login("zoe").get(f"/households/{changed.pk}/changes/").status_code == 404


def test_a_reason_given_on_an_approval_is_shown(world: Any, personas: Any, login: Any) -> None:
    import datetime as dt

    from jingzhun.core.actions import Actor
    from jingzhun.registry.actions import change_household_status

    household = world["sibling_village"]
    change_household_status(
        Actor.system("demo"), household, "exited_supported", date=dt.date(2020, 6, 1), note="两不愁三保障达标"
    )
    page = login("audrey").get(f"/households/{household.pk}/changes/").content.decode()
    assert "户状态变更" in page and "两不愁三保障达标" in page and "系统（demo）" in page


@pytest.mark.parametrize("persona", ["audrey", "alice", "root"])
def test_readers_open_the_audit_search_and_filter_by_household_and_person(
    changed: Any, login: Any, persona: str
) -> None:
    client = login(persona)
    page = client.get("/audit/", {"household_no": changed.household_no, "person": "王丽"}).content.decode()
    assert "审计查询" in page and "信义村二组 8 号" in page and "共 <strong>1</strong> 条" in page
    none = client.get("/audit/", {"household_no": changed.household_no, "person": "无此人"}).content.decode()
    assert "共 <strong>0</strong> 条" in none


@pytest.mark.parametrize("persona", ["tom", "victor", "carl"])
def test_township_village_and_helping_staff_are_refused_the_audit_search(login: Any, persona: str, world: Any) -> None:
    assert login(persona).get("/audit/").status_code == 403


def test_the_audit_search_stays_in_the_readers_region(changed: Any, login: Any) -> None:
    page = login("zoe").get("/audit/", {"kind": "update_household"}).content.decode()
    assert "信义村二组 8 号" not in page and "共 <strong>0</strong> 条" in page


def test_the_audit_search_filters_by_date_in_beijing_time_and_names_a_bad_date(changed: Any, login: Any) -> None:
    client = login("audrey")
    today = timezone.localdate().isoformat()
    assert "信义村二组 8 号" in client.get("/audit/", {"start": today, "end": today}).content.decode()
    assert "信义村二组 8 号" not in client.get("/audit/", {"end": "2020-01-01"}).content.decode()
    page = client.get("/audit/", {"start": "2020-13-01"}).content.decode()
    assert "开始日期应为日期" in page


def test_the_audit_search_exports_excel_with_the_filter_as_its_title(changed: Any, login: Any) -> None:
    response = login("audrey").get("/audit/", {"person": "王丽", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "操作人：王丽" in rows[0][0] and any(r[6] == "信义村二组 8 号" for r in rows[2:])


def test_the_audit_search_writes_nothing(changed: Any, login: Any) -> None:
    before = AuditEvent.objects.count()
    login("audrey").get("/audit/", {"format": "xlsx"})
    login("audrey").get("/audit/")
    assert AuditEvent.objects.count() == before


def test_the_admin_shows_audit_times_in_beijing_time(changed: Any, login: Any) -> None:
    event = AuditEvent.objects.filter(action="registry.update_household").latest("id")
    page = login("root").get(f"/admin/core/auditevent/{event.pk}/change/").content.decode()
    local = timezone.localtime(event.at)
    assert f"{local:%Y-%m-%d %H:%M:%S}" in page and "时间（北京时间）" in page
    listing = login("root").get("/admin/core/auditevent/").content.decode()
    assert f"{local:%Y-%m-%d %H:%M:%S}" in listing
