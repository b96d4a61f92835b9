"""慢性病门诊: certified patients (disease codes of the two lists), claims at the default 80 %, then the
一保通 supplement in 交口 through `jingzhun insurance chronic-supplements` (the front door joins the two apps)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.medical import actions
from jingzhun.medical.models import ChronicClaim

pytestmark = pytest.mark.django_db


def test_certify_claim_at_80_percent_then_the_jiaokou_supplement(
    household: Any, personas: dict[str, Any], actor: Any
) -> None:
    from jingzhun.insurance.actions import issue_policies
    from jingzhun.insurance.models import Claim
    from jingzhun.ledger.models import PaymentLine

    zoe = actor(personas["zoe"])
    h = household("v91")
    person = h.persons.get()
    with pytest.raises(actions.StayInputError, match="不在省定 43 种或新增 75 种目录中"):
        actions.certify_chronic(zoe, person, disease="高血压", certified_on=dt.date(2019, 1, 10))
    with pytest.raises(PermissionDenied):
        actions.certify_chronic(actor(personas["alice"]), person, disease="L01", certified_on=dt.date(2019, 1, 10))
    cert = actions.certify_chronic(zoe, person, disease="a01", certified_on=dt.date(2019, 1, 10))
    assert cert.disease == "A01"
    claim = actions.record_chronic_claim(zoe, cert, claim_no="MZ-1", date=dt.date(2019, 3, 5), in_catalogue_fen=123_45)
    assert (claim.paid_fen, claim.rate) == (9876, "0.8")  # 123.45 × 80 % = 98.76
    with pytest.raises(actions.StayInputError):
        actions.record_chronic_claim(zoe, cert, claim_no="MZ-0", date=dt.date(2018, 12, 1), in_catalogue_fen=100)
    assert ChronicClaim.objects.count() == 1

    issue_policies(zoe, "141130", 2019)
    runner = CliRunner()
    result = runner.invoke(app, ["insurance", "chronic-supplements", "--year", "2019", "--county", "141130"])
    assert result.exit_code == 0, result.output
    assert "新增一保通补充赔付 1 笔，共 22.22 元" in result.output  # (123.45 − 98.76) × 90 % (the 75 added)
    again = runner.invoke(app, ["insurance", "chronic-supplements", "--year", "2019", "--county", "141130"])
    assert "新增一保通补充赔付 0 笔" in again.output
    assert Claim.objects.get().amount_fen == 2222 and PaymentLine.objects.get().program == "insurance_claim"
