"""慢性病门诊 pages through Django's client as each role: certify a patient, record an outpatient claim, the
lists — region scoped (another county's certificate is not found), audited, bad input named in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jingzhun.core.models import AuditEvent
from jingzhun.medical import actions
from jingzhun.medical.models import ChronicCertificate, ChronicClaim

pytestmark = pytest.mark.django_db


def _login(personas: dict[str, Any], name: str) -> Client:
    client = Client()
    client.force_login(personas[name])
    return client


def test_a_county_officer_certifies_a_patient_and_records_a_claim(household: Any, personas: dict[str, Any]) -> None:
    person = household("v91").persons.get()
    zoe = _login(personas, "zoe")
    page = zoe.get(reverse("medical:chronic")).content.decode()
    assert "登记认定" in page and "没有慢性病门诊认定" in page
    response = zoe.post(
        reverse("medical:chronic"), {"id_number": person.id_number, "disease": "a01", "certified_on": "2019-01-10"}
    )
    assert response.status_code == 302
    cert = ChronicCertificate.objects.get()
    assert (cert.person_id, cert.disease, cert.certified_on) == (person.pk, "A01", dt.date(2019, 1, 10))
    assert AuditEvent.objects.filter(action="medical.certify_chronic", object_id=str(cert.pk)).count() == 1
    listing = zoe.get(reverse("medical:chronic")).content.decode()
    assert person.name in listing and "A01" in listing
    url = reverse("medical:chronic_claim_new", args=[cert.pk])
    assert url in listing
    response = zoe.post(url, {"claim_no": "MZ-7", "date": "2019-03-05", "in_catalogue": "123.45"})
    assert response.status_code == 302 and response["Location"] == reverse("medical:chronic_claims")
    claim = ChronicClaim.objects.get()
    assert (claim.claim_no, claim.in_catalogue_fen, claim.paid_fen, claim.rate) == ("MZ-7", 12345, 9876, "0.8")
    assert AuditEvent.objects.filter(action="medical.record_chronic_claim", object_id=str(claim.pk)).count() == 1
    claims = zoe.get(reverse("medical:chronic_claims") + "?year=2019").content.decode()
    assert "MZ-7" in claims and "98.76" in claims and person.name in claims
    assert "MZ-7" not in zoe.get(reverse("medical:chronic_claims") + "?year=2018").content.decode()


def test_bad_input_is_named_and_nothing_is_written(household: Any, personas: dict[str, Any], actor: Any) -> None:
    person = household("v91").persons.get()
    other = household("v11").persons.get()  # 离石区: not in zoe's region
    zoe = _login(personas, "zoe")
    url = reverse("medical:chronic")
    day = "2019-01-10"
    cases = [
        ({"id_number": person.id_number, "disease": "高血压", "certified_on": day}, "不在省定 43 种或新增 75 种目录中"),
        ({"id_number": other.id_number, "disease": "A01", "certified_on": day}, "您的工作区域内没有该身份证号的人员"),
        ({"id_number": person.id_number, "disease": "A01", "certified_on": "2019-13-01"}, "日期格式应为 YYYY-MM-DD"),
    ]
    for data, message in cases:
        response = zoe.post(url, data)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert not ChronicCertificate.objects.exists()
    cert = actions.certify_chronic(actor(personas["zoe"]), person, disease="L01", certified_on=dt.date(2019, 1, 10))
    claim_url = reverse("medical:chronic_claim_new", args=[cert.pk])
    for data, message in [
        ({"claim_no": "MZ-1", "date": "2018-12-01", "in_catalogue": "100"}, "就诊日期早于认定日期 2019-01-10"),
        ({"claim_no": "MZ-1", "date": "2019-02-01", "in_catalogue": "-1"}, "金额不能为负数"),
    ]:
        response = zoe.post(claim_url, data)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert not ChronicClaim.objects.exists()


def test_roles_and_regions(household: Any, personas: dict[str, Any], actor: Any) -> None:
    jiaokou = household("v91").persons.get()
    lishi = household("v11").persons.get()
    zoe_cert = actions.certify_chronic(actor(personas["zoe"]), jiaokou, disease="A01", certified_on=dt.date(2019, 1, 1))
    alice_cert = actions.certify_chronic(
        actor(personas["alice"]), lishi, disease="L02", certified_on=dt.date(2019, 1, 1)
    )
    alice = _login(personas, "alice")
    page = alice.get(reverse("medical:chronic")).content.decode()
    assert lishi.name in page and jiaokou.name not in page  # her region's certificates only
    assert alice.get(reverse("medical:chronic_claim_new", args=[zoe_cert.pk])).status_code == 404
    for name in ("tom", "victor", "audrey"):  # they read their region's certificates, never write
        client = _login(personas, name)
        assert client.get(reverse("medical:chronic")).status_code == 200, name
        assert "登记认定" not in client.get(reverse("medical:chronic")).content.decode(), name
        data = {"id_number": lishi.id_number, "disease": "A02", "certified_on": "2019-01-10"}
        assert client.post(reverse("medical:chronic"), data).status_code == 403, name
        claim = {"claim_no": f"X-{name}", "date": "2019-02-01", "in_catalogue": "100"}
        response = client.post(reverse("medical:chronic_claim_new", args=[alice_cert.pk]), claim)
        assert response.status_code == 403, name
    assert ChronicCertificate.objects.count() == 2 and not ChronicClaim.objects.exists()
