"""The medical pages through Django's test client as each role: record a discharge, the 结算单, the panel,
the report (xlsx), import; the 一码清 page shows 医疗救助 and never the diagnosis."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jingzhun.medical.models import Stay

pytestmark = pytest.mark.django_db

FORM = {
    "stay_no": "ZY-2019-0001",
    "admitted": "2019-02-01",
    "discharged": "2019-02-20",
    "total": "30000",
    "in_catalogue": "28000",
    "dibao_or_tekun": "on",
    "diagnosis": "慢性阻塞性肺疾病",
}


def _login(personas: dict[str, Any], name: str) -> Client:
    client = Client()
    client.force_login(personas[name])
    return client


@pytest.fixture
def poor(household: Any) -> Any:
    return household("v11", registered_year=2014)


def _post(client: Client, household: Any, hospital: Any, **extra: str) -> Any:
    data = {**FORM, "person": household.persons.get().pk, "hospital": hospital.pk, **extra}
    return client.post(reverse("medical:stay_new", args=[household.household_no]), data)


def test_a_county_officer_records_a_discharge_and_prints_the_slip(
    personas: dict[str, Any], poor: Any, hospitals: dict[str, Any]
) -> None:
    alice = _login(personas, "alice")
    form = alice.get(reverse("medical:stay_new", args=[poor.household_no]))
    assert form.status_code == 200 and "出院登记" in form.content.decode()
    response = _post(alice, poor, hospitals["city"])
    assert response.status_code == 302 and response["Location"] == reverse("medical:stay", args=["ZY-2019-0001"])
    detail = alice.get(response["Location"]).content.decode()
    assert "22080.00" in detail and "慢性阻塞性肺疾病" in detail  # staff see the diagnosis
    slip = alice.get(reverse("medical:slip", args=["ZY-2019-0001"])).content.decode()
    for text in (
        "住院费用一站式结算单",
        "基本医保",
        "22080.00",
        "医疗救助",
        "751.52",
        "2322.08",
        "0.9226",
        "患者（家属）签字",
    ):
        assert text in slip, text
    assert "慢性阻塞性肺疾病" not in slip
    panel = alice.get(reverse("registry:detail", args=[poor.pk])).content.decode()
    assert 'id="medical"' in panel and "ZY-2019-0001" in panel and "751.52" in panel


def test_form_errors_are_shown_in_chinese_and_nothing_is_written(
    personas: dict[str, Any], poor: Any, hospitals: dict[str, Any]
) -> None:
    alice = _login(personas, "alice")
    response = _post(alice, poor, hospitals["city"], discharged="2019-01-20", in_catalogue="40000")
    page = response.content.decode()
    assert response.status_code == 200
    assert "早于入院日期" in page and "大于总费用" in page
    assert not Stay.objects.exists()


def test_roles_and_regions(personas: dict[str, Any], poor: Any, household: Any, hospitals: dict[str, Any]) -> None:
    url = reverse("medical:stay_new", args=[poor.household_no])
    for name in ("tom", "victor", "audrey"):  # same region, not a writer: 403
        client = _login(personas, name)
        assert client.get(url).status_code == 403
        assert _post(client, poor, hospitals["city"]).status_code == 403
    assert _login(personas, "zoe").get(url).status_code == 404  # another county: not found
    assert not Stay.objects.exists()
    _post(_login(personas, "alice"), poor, hospitals["city"])
    stay_url = reverse("medical:stay", args=["ZY-2019-0001"])
    for name in ("tom", "victor", "audrey"):  # readers of the region
        assert _login(personas, name).get(stay_url).status_code == 200
    assert _login(personas, "carl").get(stay_url).status_code == 404  # a 帮扶 cadre: not their household
    assert _login(personas, "zoe").get(stay_url).status_code == 404
    assert _login(personas, "zoe").get(reverse("medical:slip", args=["ZY-2019-0001"])).status_code == 404
    other = household("v21")  # 吴城镇: tom (信义镇) does not see its stays in the list
    _post(_login(personas, "alice"), other, hospitals["county"], stay_no="ZY-OTHER")
    listing = _login(personas, "tom").get(reverse("medical:stays")).content.decode()
    assert "ZY-2019-0001" in listing and "ZY-OTHER" not in listing
    assert _login(personas, "audrey").get(reverse("medical:import")).status_code == 403


def test_report_page_and_xlsx(personas: dict[str, Any], poor: Any, hospitals: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    alice = _login(personas, "alice")
    _post(alice, poor, hospitals["city"])
    page = alice.get(reverse("medical:report") + "?year=2019").content.decode()
    assert "2019 年住院一站式结算通报" in page and "0.9226" in page and "达到 90% 目标" in page
    response = alice.get(reverse("medical:report") + "?year=2019&format=xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    sheet = book["分月汇总"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    february, year = rows[1], rows[12]
    assert february[0] == "2019-02" and february[1] == 1 and year[0] == "2019 全年"
    headers = [c.value for c in sheet[2]]
    assert year[headers.index("医疗救助（元）")] == pytest.approx(751.52)
    assert year[headers.index("建档立卡省内平均实际报销比例")] == pytest.approx(0.9226)


def test_the_public_page_shows_medical_assistance_without_the_diagnosis(
    personas: dict[str, Any], poor: Any, hospitals: dict[str, Any]
) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.public.actions import ensure_tokens, issue_token

    _post(_login(personas, "alice"), poor, hospitals["city"])
    system = Actor.system("test")
    ensure_tokens(system, poor.village.code[:9])
    token = issue_token(system, poor)
    page = Client().get(f"/q/{token.token}/").content.decode()
    assert "医疗救助" in page and "751.52" in page
    for secret in ("慢性阻塞性肺疾病", "住院", "吕梁市人民医院", poor.persons.get().name):
        assert secret not in page, secret


def test_import_page_all_or_nothing(personas: dict[str, Any], poor: Any, hospitals: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = poor.persons.get()
    text = (
        "住院号,身份证号,医院名称,入院日期,出院日期,总费用,目录内费用,低保或特困\n"
        f"W-1,{person.id_number},离石区人民医院,2019-01-01,2019-01-05,100,50,否\n"
        f"W-2,{person.id_number},离石区人民医院,2019-01-09,2019-01-05,100,50,否\n"
    )
    alice = _login(personas, "alice")
    upload = SimpleUploadedFile("export.csv", text.encode(), content_type="text/csv")
    page = alice.post(reverse("medical:import"), {"file": upload}).content.decode()
    assert "未导入任何记录" in page and "第3行 [出院日期]" in page and not Stay.objects.exists()
    good = SimpleUploadedFile("export.csv", text.split("W-2")[0].encode(), content_type="text/csv")
    assert alice.post(reverse("medical:import"), {"file": good}).status_code == 302
    assert Stay.objects.get().stay_no == "W-1"
