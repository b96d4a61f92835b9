"""新增成员 page: the person form with an ID number (GB 11643), through registry.actions.add_person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.registry.idnumber import check_digit, make_id_number
from jingzhun.registry.models import Person, PersonEvent

pytestmark = pytest.mark.django_db

BABY = make_id_number("141102", dt.date(2020, 2, 29), 401, "F")


def new_person(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id_number": BABY,
        "name": "刘小雨",
        "relation": "grandchild",
        "disability_grade": "",
        "disability_category": "",
        "self_care": "none",
        "labour": "none",
        "student": "none",
        "school": "",
        "chronic_diseases": "",
        "care_setting": "home",
        "date": "2020-03-05",
        "note": "出生",
    }
    for name in (
        "disability_card_gen2",
        "needs_long_term_care",
        "disabled_elder_certified",
        "dropout",
        "serious_illness",
        "late_stage_major_disease",
        "capable_supporter",
    ):
        data[name] = "False"
    data["medical_insurance"] = "True"
    return {**data, **changes}


def test_a_newborn_is_added_with_birth_date_and_sex_from_the_id_number(login: Any, world: Any) -> None:
    household = world["own"]
    response = login("victor").post(f"/households/{household.pk}/persons/new/", new_person())
    assert response.status_code == 302
    person = Person.objects.get(id_number=BABY)
    assert person.household == household and person.name == "刘小雨"
    assert person.birth_date == dt.date(2020, 2, 29) and person.sex == "F"
    event = PersonEvent.objects.get(person=person)
    assert (event.kind, event.date, event.note) == ("move_in", dt.date(2020, 3, 5), "出生")
    audit = AuditEvent.objects.get()
    assert audit.action == "registry.add_person" and audit.actor_label == "victor"
    assert audit.region_code == household.village.code


def test_the_success_message_names_the_member(login: Any, world: Any) -> None:
    client = login("victor")
    page = client.post(f"/households/{world['own'].pk}/persons/new/", new_person(), follow=True).content.decode()
    assert "已新增成员 刘小雨（女，2020-02-29 出生，孙子女）" in page


def test_a_disabled_member_keeps_the_facts_typed(login: Any, world: Any) -> None:
    form = new_person(disability_grade="2", disability_category="physical", chronic_diseases="高血压，糖尿病")
    login("tom").post(f"/households/{world['own'].pk}/persons/new/", form)
    person = Person.objects.get(id_number=BABY)
    assert person.disability_grade == 2 and person.chronic_diseases == ["高血压", "糖尿病"]


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        (BABY[:17] + ("0" if BABY[17] != "0" else "1"), "身份证号校验码错误"),
        ("14110220200229", "身份证号应为 18 位，实际 14 位"),
        ("14110220200230401" + check_digit("14110220200230401"), "身份证号中的出生日期无效"),
    ],
)
def test_a_bad_id_number_is_refused_in_chinese_and_nothing_written(
    login: Any, world: Any, id_number: str, message: str
) -> None:
    response = login("victor").post(f"/households/{world['own'].pk}/persons/new/", new_person(id_number=id_number))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Person.objects.filter(name="刘小雨").exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("where", ["sibling_village", "sibling_township", "other_county"])
def test_an_id_number_on_file_outside_the_region_gets_a_neutral_refusal(login: Any, world: Any, where: str) -> None:
    elsewhere = world[where].persons.get(relation="head")
    page = login("victor").post(
        f"/households/{world['own'].pk}/persons/new/", new_person(id_number=elsewhere.id_number)
    )
    text = page.content.decode()
    assert "该身份证号无法登记，请联系县级核实" in text
    assert "已在户籍库中登记" not in text and "已登记" not in text  # does not say the number is on file elsewhere
    assert world[where].household_no not in text and elsewhere.name not in text
    assert not AuditEvent.objects.exists()


def test_an_id_number_on_file_in_the_region_is_refused_as_on_file(login: Any, world: Any) -> None:
    mine = world["own_other"].persons.get(relation="head").id_number
    page = login("victor").post(f"/households/{world['own'].pk}/persons/new/", new_person(id_number=mine))
    assert "该身份证号已在户籍库中登记" in page.content.decode()
    assert not AuditEvent.objects.exists()


def test_a_cadre_adds_no_member(login: Any, world: Any) -> None:
    client = login("carl")
    assert "/persons/new/" not in client.get(f"/households/{world['own'].pk}/").content.decode()
    response = client.post(f"/households/{world['own'].pk}/persons/new/", new_person())
    assert response.status_code == 403 and "帮扶干部只能填写帮扶记录和提出信息变更申请" in response.content.decode()
    assert not Person.objects.filter(id_number=BABY).exists()


def test_a_second_head_is_refused(login: Any, world: Any) -> None:
    page = login("victor").post(f"/households/{world['own'].pk}/persons/new/", new_person(relation="head"))
    assert "该户已有在册户主" in page.content.decode()
    assert not Person.objects.filter(id_number=BABY).exists()


def test_a_closed_household_takes_no_new_member(login: Any, world: Any) -> None:
    household = world["own"]
    household.active = False
    household.save()
    page = login("victor").post(f"/households/{household.pk}/persons/new/", new_person()).content.decode()
    assert "该户已销户，不能新增成员" in page
    assert not Person.objects.filter(id_number=BABY).exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("where", ["sibling_village", "sibling_township", "other_county"])
def test_a_household_outside_the_village_is_not_found(login: Any, world: Any, where: str) -> None:
    client = login("victor")
    assert client.get(f"/households/{world[where].pk}/persons/new/").status_code == 404
    assert client.post(f"/households/{world[where].pk}/persons/new/", new_person()).status_code == 404
    assert not Person.objects.filter(id_number=BABY).exists()


def test_auditor_may_not_add_a_member(login: Any, world: Any) -> None:
    client = login("audrey")
    assert (
        f"/households/{world['own'].pk}/persons/new/"
        not in client.get(f"/households/{world['own'].pk}/").content.decode()
    )
    response = client.post(f"/households/{world['own'].pk}/persons/new/", new_person())
    assert response.status_code == 403 and "只读" in response.content.decode()
    assert not Person.objects.filter(id_number=BABY).exists()


def test_the_relation_has_no_silent_default(login: Any, world: Any) -> None:
    client = login("victor")
    assert (
        '<option value="" selected>— 请选择 —</option>'
        in client.get(f"/households/{world['own'].pk}/persons/new/").content.decode()
    )
    page = client.post(f"/households/{world['own'].pk}/persons/new/", new_person(relation="")).content.decode()
    assert "这个字段是必填项" in page and not Person.objects.filter(id_number=BABY).exists()
