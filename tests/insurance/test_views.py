"""一保通 pages as each role: the portfolio (and xlsx), claim decisions, the household panel; the 一码清 page
shows 保险赔付 and never the cover or the evidence."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jingzhun.insurance import actions
from jingzhun.insurance.models import Claim

pytestmark = pytest.mark.django_db


def _login(personas: dict[str, Any], name: str) -> Client:
    client = Client()
    client.force_login(personas[name])
    return client


@pytest.fixture
def insured(household: Any, personas: dict[str, Any], actor: Any) -> Any:
    h = household("v91")
    zoe = actor(personas["zoe"])
    actions.issue_policies(zoe, "141130", 2018)
    actions.record_claim(zoe, h.household_no, 2018, "accident", date=dt.date(2018, 3, 1), amount_fen=500_000,
                         evidence="骨折住院诊断证明")  # fmt: skip
    return h


def test_the_county_officer_decides_a_claim_and_reads_the_portfolio(personas: dict[str, Any], insured: Any) -> None:
    from openpyxl import load_workbook

    zoe = _login(personas, "zoe")
    listing = zoe.get(reverse("insurance:claims")).content.decode()
    assert "骨折住院诊断证明" in listing and "意外伤害保险" in listing
    claim = Claim.objects.get()
    response = zoe.post(reverse("insurance:decide", args=[claim.pk]), {"decision": "approve", "note": "同意"})
    assert response.status_code == 302 and Claim.objects.get().status == "approved"
    page = zoe.get(reverse("insurance:portfolio") + "?year=2018").content.decode()
    assert "一保通综合保险 · 2018 年" in page and "意外伤害保险" in page and "5,000.00" in page
    xlsx = zoe.get(reverse("insurance:portfolio") + "?year=2018&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active  # type: ignore[attr-defined]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[-1][1] == "合计" and rows[-1][3] == 5000 and rows[-1][6] == 1
    panel = zoe.get(reverse("registry:detail", args=[insured.pk])).content.decode()
    assert 'id="insurance"' in panel and "2018 年保单" in panel


def test_others_cannot_decide_and_do_not_see_another_countys_claims(personas: dict[str, Any], insured: Any) -> None:
    claim = Claim.objects.get()
    audrey = _login(personas, "audrey")  # 吕梁市 auditor: reads, never decides
    assert "骨折住院诊断证明" in audrey.get(reverse("insurance:claims")).content.decode()
    url = reverse("insurance:decide", args=[claim.pk])
    assert audrey.post(url, {"decision": "approve", "note": "同意"}).status_code == 403
    alice = _login(personas, "alice")  # 离石区
    assert "骨折住院诊断证明" not in alice.get(reverse("insurance:claims")).content.decode()
    assert alice.post(url, {"decision": "approve", "note": "同意"}).status_code == 404
    assert Claim.objects.get().status == "pending"


def test_the_public_page_shows_insurance_payouts_without_the_cause(
    personas: dict[str, Any], insured: Any, actor: Any
) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.public.actions import ensure_tokens, issue_token

    actions.decide_claim(actor(personas["zoe"]), Claim.objects.get(), approve=True, note="同意")
    system = Actor.system("test")
    ensure_tokens(system, "141130001")
    token = issue_token(system, insured)
    page = Client().get(f"/q/{token.token}/").content.decode()
    assert "保险赔付" in page and "5000.00" in page.replace(",", "")
    for secret in ("意外伤害", "骨折", "诊断"):
        assert secret not in page, secret


def test_the_county_officer_records_a_claim_through_the_page(
    household: Any, personas: dict[str, Any], actor: Any
) -> None:
    from jingzhun.core.models import AuditEvent

    h = household("v91")
    actions.issue_policies(actor(personas["zoe"]), "141130", 2018)
    zoe = _login(personas, "zoe")
    assert "登记理赔" in zoe.get(reverse("insurance:claims")).content.decode()
    form = zoe.get(reverse("insurance:claim_new")).content.decode()
    assert "农房保险" in form and "脱贫返贫保险" not in form  # the ruled covers are computed, not typed
    data = {"household_no": h.household_no, "year": "2018", "cover": "house", "date": "2018-07-02",
            "amount": "3000.50", "evidence": "暴雨致房屋倒塌，乡镇查勘报告"}  # fmt: skip
    response = zoe.post(reverse("insurance:claim_new"), data)
    assert response.status_code == 302 and response["Location"].endswith("?status=pending")
    claim = Claim.objects.get()
    assert (claim.policy.household_id, claim.cover.code, claim.amount_fen, claim.status, claim.computed) == (
        h.pk, "house", 300_050, "pending", False)  # fmt: skip
    assert AuditEvent.objects.filter(action="insurance.record_claim", object_id=str(claim.pk)).count() == 1
    listing = zoe.get(reverse("insurance:claims") + "?status=pending").content.decode()
    assert "暴雨致房屋倒塌" in listing and "3,000.50" in listing


def test_a_bad_claim_is_refused_field_by_field_and_nothing_is_written(
    household: Any, personas: dict[str, Any], actor: Any
) -> None:
    h = household("v91")
    actions.issue_policies(actor(personas["zoe"]), "141130", 2018)
    zoe = _login(personas, "zoe")
    good = {"household_no": h.household_no, "year": "2018", "cover": "house", "date": "2018-07-02",
            "amount": "100", "evidence": "查勘"}  # fmt: skip
    cases = [
        ({"amount": "-5"}, "赔付金额应大于 0"),
        ({"date": "2019-01-02"}, "应在保险年度 2018 年内"),
        ({"cover": "income_gap"}, "请选择需人工登记的险种"),
        ({"cover": "maize"}, "没有投保 玉米种植保险"),  # a unit cover this household did not insure
        ({"year": "2017"}, f"户 {h.household_no} 没有 2017 年的一保通保单"),
        ({"evidence": ""}, "请填写证据材料"),
    ]
    for change, message in cases:
        response = zoe.post(reverse("insurance:claim_new"), {**good, **change})
        assert response.status_code == 200, change
        assert message in response.content.decode(), change
    assert not Claim.objects.exists()


def test_others_cannot_record_claims_and_another_countys_household_is_not_found(
    household: Any, personas: dict[str, Any], actor: Any
) -> None:
    h = household("v91")
    actions.issue_policies(actor(personas["zoe"]), "141130", 2018)
    data = {"household_no": h.household_no, "year": "2018", "cover": "house", "date": "2018-07-02",
            "amount": "100", "evidence": "查勘"}  # fmt: skip
    for name in ("audrey", "tom", "victor", "carl"):
        client = _login(personas, name)
        assert client.get(reverse("insurance:claim_new")).status_code == 403, name
        assert client.post(reverse("insurance:claim_new"), data).status_code == 403, name
    alice = _login(personas, "alice")  # a county officer, of 离石区: 交口's household is not in her region
    response = alice.post(reverse("insurance:claim_new"), data)
    assert response.status_code == 200 and f"您的工作区域内没有户编号 {h.household_no}" in response.content.decode()
    assert not Claim.objects.exists()
