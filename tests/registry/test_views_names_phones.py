"""Names (姓名, 帮扶责任人) refuse <, > and control characters; 帮扶人电话 is digits, "-", "+" and spaces
(7–15 digits). Refused in Chinese under the field, nothing written."""

from __future__ import annotations

import html
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.registry.models import Person
from tests.registry.test_change_views_add_person import new_person
from tests.registry.test_views_edit import household_form, person_form

pytestmark = pytest.mark.django_db

PHONE_REFUSED = "帮扶人电话只能由数字"


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("phone", ["abc<script>", "138-000", "1380000000000000", "+86 138 0000 000x", "12345"])
def test_a_bad_cadre_phone_is_refused_on_the_household_edit_page(login: Any, world: Any, phone: str) -> None:
    household = world["own"]
    response = login("victor").post(f"/households/{household.pk}/edit/", household_form(household, cadre_phone=phone))
    assert response.status_code == 200 and PHONE_REFUSED in response.content.decode()
    household.refresh_from_db()
    assert household.cadre_phone == "" and not AuditEvent.objects.exists()


@pytest.mark.parametrize("phone", ["13812345678", "0358-8221234", "+86 138 1234 5678", "0358 822 1234"])
def test_ordinary_phone_numbers_are_saved(login: Any, world: Any, phone: str) -> None:
    household = world["own"]
    response = login("victor").post(f"/households/{household.pk}/edit/", household_form(household, cadre_phone=phone))
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.cadre_phone == phone


@pytest.mark.parametrize("name", ["<script>alert('x')</script>", "陈<玲>", "陈\t玲", "陈\x07玲"])
def test_a_cadre_name_with_markup_or_control_characters_is_refused(login: Any, world: Any, name: str) -> None:
    household = world["own"]
    response = login("victor").post(f"/households/{household.pk}/edit/", household_form(household, cadre_name=name))
    assert response.status_code == 200 and "帮扶责任人不能包含 <、> 或换行、制表符等控制字符" in text(response)
    household.refresh_from_db()
    assert household.cadre_name == "陈玲容" and not AuditEvent.objects.exists()


def test_a_member_name_with_markup_is_refused(login: Any, world: Any) -> None:
    household = world["own"]
    person = household.persons.get(relation="head")
    url = f"/households/{household.pk}/persons/{person.pk}/edit/"
    response = login("victor").post(url, person_form(person, name="<script>alert('x')</script>"))
    assert response.status_code == 200 and "姓名不能包含 <、> 或换行、制表符等控制字符" in text(response)
    person.refresh_from_db()
    assert person.name == "刘保平" and not AuditEvent.objects.exists()


def test_a_name_with_a_middle_dot_is_fine(login: Any, world: Any) -> None:
    household = world["own"]
    person = household.persons.get(relation="head")
    url = f"/households/{household.pk}/persons/{person.pk}/edit/"
    assert login("victor").post(url, person_form(person, name="阿依古丽·买买提")).status_code == 302
    person.refresh_from_db()
    assert person.name == "阿依古丽·买买提"


def test_a_new_member_named_with_a_line_break_is_refused(login: Any, world: Any) -> None:
    page = login("victor").post(f"/households/{world['own'].pk}/persons/new/", new_person(name="刘小\n雨"))
    assert "姓名不能包含" in page.content.decode()
    assert not Person.objects.filter(name__startswith="刘小").exists() and not AuditEvent.objects.exists()


def test_the_cadre_form_refuses_a_bad_phone(login: Any, world: Any) -> None:
    household = world["own"]
    data = {"assigned_cadre": "", "cadre_name": "郝主任", "cadre_phone": "call me"}
    response = login("alice").post(f"/households/{household.pk}/cadre/", data)
    assert response.status_code == 200 and PHONE_REFUSED in response.content.decode()
    assert not AuditEvent.objects.exists()
