"""修改记录 of an application (issue #15): each step by name and 北京时间, readable by an auditor, exportable;
the household's 修改记录 lists the application's rows too (core.audit_scope)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from jingzhun.assistance.models import Application
from tests.assistance.test_views import applicant, survey  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyed(login: Any, applicant: Any, personas: Any) -> Application:  # noqa: F811
    personas["victor"].staff.name = "李村官"
    personas["victor"].staff.save()
    victor = login("victor")
    new = {"household_no": applicant.household_no, "family": "dibao", "kind": "new", "submitted_on": "2020-05-01"}
    url = victor.post("/assistance/new/", new)["Location"]
    assert victor.post(url, survey()).status_code == 302
    return Application.objects.get(household=applicant)


def test_an_auditor_reads_the_applications_steps_by_name(login: Any, surveyed: Application) -> None:
    page = login("audrey").get(f"/assistance/{surveyed.pk}/changes/").content.decode()
    assert "修改记录" in page and "李村官" in page and "新建申请" in page and "入户调查" in page
    detail = login("audrey").get(f"/assistance/{surveyed.pk}/").content.decode()
    assert f'href="/assistance/{surveyed.pk}/changes/"' in detail


def test_the_households_changes_include_its_applications(login: Any, surveyed: Application) -> None:
    page = login("audrey").get(f"/households/{surveyed.household.pk}/changes/").content.decode()
    assert "新建申请" in page and f"申请 {surveyed.pk}" in page


def test_the_applications_changes_export_to_excel(login: Any, surveyed: Application) -> None:
    response = login("audrey").get(f"/assistance/{surveyed.pk}/changes/?format=xlsx")
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert f"第 {surveyed.pk} 号" in rows[0][0] and {"新建申请", "入户调查"} <= {r[2] for r in rows[2:]}


def test_another_countys_officer_cannot_read_them(login: Any, surveyed: Application) -> None:
    assert login("zoe").get(f"/assistance/{surveyed.pk}/changes/").status_code == 404
