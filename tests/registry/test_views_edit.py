"""Edit forms: household basic info, a member's facts, a year's income — through registry.actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.core.models import AuditEvent
from jingzhun.registry.idnumber import make_id_number
from jingzhun.registry.models import IncomeRecord

pytestmark = pytest.mark.django_db


def household_form(household: Any, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "address": household.address,
        "area": household.area,
        "registered_year": household.registered_year or "",
        "poverty_causes": household.poverty_causes,
        "housing_grade": household.housing_grade,
        "housing_area": household.housing_area or "",
        "water_safe": str(household.water_safe),
        "bank_name": household.bank_name,
        "bank_account": household.bank_account,
        "cadre_name": household.cadre_name,
        "cadre_phone": household.cadre_phone,
        "disqualified": household.disqualified,
    }
    return {**data, **changes}


def person_form(person: Any, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": person.name,
        "relation": person.relation,
        "disability_grade": person.disability_grade or "",
        "disability_category": person.disability_category,
        "self_care": person.self_care,
        "labour": person.labour,
        "student": person.student,
        "school": person.school,
        "chronic_diseases": "、".join(person.chronic_diseases),
        "care_setting": person.care_setting,
    }
    for name in (
        "disability_card_gen2",
        "needs_long_term_care",
        "disabled_elder_certified",
        "dropout",
        "serious_illness",
        "late_stage_major_disease",
        "medical_insurance",
        "capable_supporter",
    ):
        data[name] = str(getattr(person, name))
    return {**data, **changes}


def test_village_cadre_corrects_the_address_and_it_is_audited(login: Any, world: Any) -> None:
    household = world["own"]
    response = login("victor").post(
        f"/households/{household.pk}/edit/", household_form(household, address="信义村三组8号")
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.address == "信义村三组8号"
    audit = AuditEvent.objects.get(action="registry.update_household")
    assert audit.actor_label == "victor" and audit.after == {"address": "信义村三组8号"}


def test_an_unchanged_form_writes_nothing(login: Any, world: Any) -> None:
    household = world["own"]
    login("victor").post(f"/households/{household.pk}/edit/", household_form(household))
    assert not AuditEvent.objects.filter(action="registry.update_household").exists()


def test_a_bad_bank_account_is_refused_in_chinese(login: Any, world: Any) -> None:
    household = world["own"]
    response = login("victor").post(f"/households/{household.pk}/edit/", household_form(household, bank_account="12ab"))
    assert response.status_code == 200
    assert "银行账号应为 12–30 位数字" in response.content.decode()
    household.refresh_from_db()
    assert household.bank_account != "12ab"


def test_a_missing_address_is_refused_in_chinese(login: Any, world: Any) -> None:
    household = world["own"]
    response = login("victor").post(f"/households/{household.pk}/edit/", household_form(household, address=""))
    assert "这个字段是必填项" in response.content.decode()


def test_the_edit_page_is_in_chinese(login: Any, world: Any) -> None:
    page = login("tom").get(f"/households/{world['own'].pk}/edit/").content.decode()
    assert "修改户基本信息" in page and "致贫原因" in page and "因病" in page


def test_auditor_may_not_open_or_post_the_edit_form(login: Any, world: Any) -> None:
    household = world["own"]
    client = login("audrey")
    assert client.get(f"/households/{household.pk}/edit/").status_code == 403
    response = client.post(f"/households/{household.pk}/edit/", household_form(household, address="审计改的"))
    assert response.status_code == 403 and "只读" in response.content.decode()
    household.refresh_from_db()
    assert household.address != "审计改的"


def test_a_member_is_corrected(login: Any, world: Any) -> None:
    person = world["own"].persons.get(relation="spouse")
    form = person_form(person, disability_grade="2", serious_illness="True", chronic_diseases="高血压，糖尿病")
    response = login("victor").post(f"/households/{world['own'].pk}/persons/{person.pk}/edit/", form)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.disability_grade == 2 and person.serious_illness
    assert person.chronic_diseases == ["高血压", "糖尿病"]


def test_only_county_officers_get_the_id_number_field(login: Any, world: Any) -> None:
    person = world["own"].persons.get(relation="head")
    url = f"/households/{world['own'].pk}/persons/{person.pk}/edit/"
    assert person.id_number in login("alice").get(url).content.decode()
    page = login("victor").get(url).content.decode()
    assert person.id_number not in page and "身份证号的更正仅限县级经办人员办理" in page


def test_a_village_cadre_cannot_change_an_id_number_by_posting_it(login: Any, world: Any) -> None:
    person = world["own"].persons.get(relation="head")
    other = make_id_number("141102", dt.date(1941, 1, 1), 7, "M")
    url = f"/households/{world['own'].pk}/persons/{person.pk}/edit/"
    login("victor").post(url, person_form(person, id_number=other))
    person.refresh_from_db()
    assert person.id_number != other


def test_county_officer_corrects_an_id_number_and_birth_date_follows(login: Any, world: Any) -> None:
    person = world["own"].persons.get(relation="head")
    corrected = make_id_number("141102", dt.date(1941, 1, 1), 7, "M")
    url = f"/households/{world['own'].pk}/persons/{person.pk}/edit/"
    response = login("alice").post(url, person_form(person, id_number=corrected))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.id_number == corrected and person.birth_date == dt.date(1941, 1, 1)


def test_a_wrong_check_digit_is_refused_in_chinese(login: Any, world: Any) -> None:
    person = world["own"].persons.get(relation="head")
    good = make_id_number("141102", dt.date(1941, 1, 1), 7, "M")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    url = f"/households/{world['own'].pk}/persons/{person.pk}/edit/"
    page = login("alice").post(url, person_form(person, id_number=bad)).content.decode()
    assert "身份证号校验码错误" in page


def test_a_member_of_another_household_is_not_found_through_this_one(login: Any, world: Any) -> None:
    stranger = world["own_other"].persons.get(relation="head")
    response = login("victor").get(f"/households/{world['own'].pk}/persons/{stranger.pk}/edit/")
    assert response.status_code == 404


def test_a_years_income_is_saved_for_every_member_at_once(login: Any, world: Any) -> None:
    household = world["own"]
    head, spouse = household.persons.get(relation="head"), household.persons.get(relation="spouse")
    data = {f"p{p.pk}_{k}": "0" for p in (head, spouse) for k in ("wages_fen", "farming_fen", "business_fen")}
    data |= {f"p{p.pk}_{k}": "0" for p in (head, spouse) for k in ("property_fen", "transfer_fen")}
    data |= {f"p{spouse.pk}_wages_fen": "12000.50", f"p{head.pk}_farming_fen": "800"}
    response = login("victor").post(f"/households/{household.pk}/income/2020/", data)
    assert response.status_code == 302
    assert IncomeRecord.objects.get(person=spouse, year=2020).wages_fen == 1_200_050
    assert IncomeRecord.objects.get(person=head, year=2020).farming_fen == 80_000
    assert AuditEvent.objects.filter(action="registry.set_person_income").count() == 2


def test_negative_or_three_decimal_income_is_refused_and_nothing_saved(login: Any, world: Any) -> None:
    household = world["own"]
    head, spouse = household.persons.get(relation="head"), household.persons.get(relation="spouse")
    keys = ("wages_fen", "farming_fen", "business_fen", "property_fen", "transfer_fen")
    data = {f"p{p.pk}_{k}": "0" for p in (head, spouse) for k in keys}
    data |= {f"p{head.pk}_wages_fen": "100", f"p{spouse.pk}_wages_fen": "-5", f"p{spouse.pk}_farming_fen": "1.234"}
    page = login("victor").post(f"/households/{household.pk}/income/2020/", data).content.decode()
    assert "金额不能为负数" in page and "金额最多两位小数" in page
    assert not IncomeRecord.objects.filter(year=2020).exists()


def test_income_form_shows_the_recorded_amounts_in_yuan(login: Any, world: Any) -> None:
    page = login("victor").get(f"/households/{world['own_other'].pk}/income/2019/").content.decode()
    assert 'value="40000.00"' in page and "2019 年度家庭收入" in page


@pytest.mark.parametrize("where", ["sibling_village", "sibling_township", "other_county"])
def test_edits_outside_the_village_are_not_found(login: Any, world: Any, where: str) -> None:
    household = world[where]
    client = login("victor")
    response = client.post(f"/households/{household.pk}/edit/", household_form(household, address="越权"))
    assert response.status_code == 404
    assert client.get(f"/households/{household.pk}/income/2020/").status_code == 404
    household.refresh_from_db()
    assert household.address != "越权"


def test_a_member_refused_by_the_action_leaves_no_other_members_income(login: Any, world: Any) -> None:
    """All members' rows or none, inside the action (registry.actions.set_household_incomes), not the view."""
    from django.core.exceptions import ValidationError

    from jingzhun.core.actions import Actor
    from jingzhun.registry import actions

    household = world["own"]
    head, spouse = household.persons.get(relation="head"), household.persons.get(relation="spouse")
    with pytest.raises(ValidationError):
        actions.set_household_incomes(Actor.system("test"), 2020, {head: {"wages_fen": 100}, spouse: {"wages_fen": -5}})
    assert not IncomeRecord.objects.filter(year=2020).exists()
