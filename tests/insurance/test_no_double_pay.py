"""脱贫返贫保险 is paid once: by its 一保通 claim (``insurance_claim``), never by the month run as
``income_gap_insurance`` — even for a household that holds an enrollment in the family (an old roll), and
applying for the family is refused with the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jingzhun.insurance import actions

pytestmark = pytest.mark.django_db

JIAOKOU = "141130"


def test_an_enrolled_household_is_paid_by_the_claim_only(household: Any, personas: dict[str, Any], actor: Any) -> None:
    from jingzhun.core.actions import Actor
    from jingzhun.ledger.compute import compute_month
    from jingzhun.ledger.inputs import load_inputs
    from jingzhun.ledger.models import PaymentLine
    from jingzhun.ledger.runs import run_month
    from tests.ledger.factories import enrol

    zoe = actor(personas["zoe"])
    low = household("v91", income_fen=100_000, income_year=2018)  # 1 000 yuan a person: below 2 995
    enrol(low, "income_gap_insurance")
    # the run computes the line (the engine still explains it) but leaves it unpaid
    computed = compute_month(load_inputs(dt.date(2018, 12, 1), JIAOKOU))
    unpaid = computed.unpaid.filter(program="income_gap_insurance", household_id=low.household_no)
    assert unpaid["amount_fen"].to_list() == [199_500]
    assert computed.lines.filter(program="income_gap_insurance").is_empty()
    run_month("2018-12", region_prefix=JIAOKOU, actor=Actor.system("test"))
    assert not PaymentLine.objects.filter(program="income_gap_insurance").exists()
    # the 一保通 claim pays it, once
    actions.issue_policies(zoe, JIAOKOU, 2018)
    actions.compute_income_gap(zoe, JIAOKOU, 2018)
    run_month("2018-12", region_prefix=JIAOKOU, actor=Actor.system("test"))  # a second run changes nothing
    paid = list(PaymentLine.objects.filter(household=low).values_list("program", "amount_fen"))
    assert paid == [("insurance_claim", 199_500)]


def test_applying_for_the_family_is_refused_with_the_reason(
    household: Any, personas: dict[str, Any], actor: Any
) -> None:
    from jingzhun.assistance.actions import create_application
    from jingzhun.assistance.models import Application

    h = household("v91", income_fen=100_000, income_year=2018)
    with pytest.raises(ValidationError, match=r"脱贫返贫保险由一保通理赔赔付.*以免重复赔付"):
        create_application(actor(personas["zoe"]), h, "income_gap_insurance", on=dt.date(2018, 11, 1))
    assert not Application.objects.exists()


def test_the_household_page_says_why_the_run_never_pays_it(household: Any, personas: dict[str, Any]) -> None:
    from django.test import Client

    from tests.ledger.factories import enrol

    low = household("v91", income_fen=100_000, income_year=2018)
    enrol(low, "income_gap_insurance")
    client = Client()
    client.force_login(personas["zoe"])
    page = client.get(f"/households/{low.pk}/?month=2018-12").content.decode()
    section = page[page.index('id="entitlements"') :]
    assert "脱贫返贫保险" in section and "不在月度发放中支付" in section
    assert "由一保通理赔赔付" in section and "未在册：需经" not in section.split("脱贫返贫保险", 1)[1][:300]
