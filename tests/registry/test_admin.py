"""The back office: Chinese lists with masked ID numbers, scoped to the user's region, no deletes, audited saves."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory

from jingzhun.core.actions import Actor
from jingzhun.core.models import AuditEvent
from jingzhun.registry import actions
from jingzhun.registry.idnumber import mask_id_number
from jingzhun.registry.models import Household, IncomeRecord, Person, Region

from .conftest import OTHER_VILLAGE, VILLAGE, id_for

pytestmark = pytest.mark.django_db


def _household(no: str, village: str, name: str) -> Household:
    import datetime as dt

    head = {"id_number": id_for(dt.date(1958, 3, 12)), "name": name, "relation": "head"}
    head |= {
        "self_care": "full",
        "labour": "full",
        "student": "none",
        "incomes": [{"year": 2019, "wages_fen": 123_456}],
    }
    return actions.create_household(
        Actor.system("test"),
        household_no=no,
        village_code=village,
        members=[head],
        address="一组",
        area="rural",
        housing_grade="A",
    )


@pytest.fixture
def homes(villages: Any) -> tuple[Household, Household]:
    return _household("H1", VILLAGE, "张建国"), _household("H2", OTHER_VILLAGE, "王富贵")


@pytest.fixture
def root(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


def test_person_list_shows_masked_id_numbers_only(root: Client, homes: tuple[Household, Household]) -> None:
    person = homes[0].persons.get()
    page = root.get("/admin/registry/person/").content.decode()
    assert mask_id_number(person.id_number) in page
    assert person.id_number not in page
    assert "人员" in page


def test_household_list_searches_by_member_name_and_household_number(
    root: Client, homes: tuple[Household, Household]
) -> None:
    by_name = root.get("/admin/registry/household/", {"q": "王富贵"}).content.decode()
    assert "H2" in by_name and ">H1<" not in by_name
    assert ">H1<" in root.get("/admin/registry/household/", {"q": "H1"}).content.decode()


def test_income_list_shows_yuan(root: Client, homes: tuple[Household, Household]) -> None:
    assert "1,234.56" in root.get("/admin/registry/incomerecord/").content.decode()


@pytest.mark.parametrize("model", [Household, Person, Region, IncomeRecord])
def test_nothing_can_be_deleted_from_the_back_office(
    root: Client, homes: tuple[Household, Household], model: type
) -> None:
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="root")
    model_admin = admin.site._registry[model]
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_a_village_cadre_sees_only_their_village(homes: tuple[Household, Household], actors: dict[str, Any]) -> None:
    victor = User.objects.get(username="victor")
    victor.user_permissions.add(Permission.objects.get(codename="view_household"))
    client = Client()
    client.force_login(victor)
    page = client.get("/admin/registry/household/").content.decode()
    assert ">H1<" in page and ">H2<" not in page


def test_a_save_in_the_back_office_is_audited_and_rechecks_the_id_number(
    root: Client, homes: tuple[Household, Household]
) -> None:
    person = homes[0].persons.get()
    model_admin = admin.site._registry[Person]
    request = RequestFactory().post("/")
    request.user = User.objects.get(username="root")
    data = {k: v for k, v in model_to_dict(person).items() if v is not None}
    data["chronic_diseases"] = "[]"
    form_class = model_admin.get_form(request, person)
    bad = form_class(data={**data, "sex": "F"}, instance=person)
    assert not bad.is_valid() and "性别与身份证号不一致" in str(bad.errors)
    form = form_class(data={**data, "name": "张建民"}, instance=person)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    audit = AuditEvent.objects.get(action="admin.change_person")
    assert (audit.before, audit.after, audit.region_code) == ({"name": "张建国"}, {"name": "张建民"}, VILLAGE)
