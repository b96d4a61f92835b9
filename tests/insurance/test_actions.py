"""一保通 over the database: policies for every rural household of 交口, the ruled covers computed, claims
recorded and decided, the ledger's 保险赔付 lines, the portfolio; roles and regions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jingzhun.insurance import actions, queries
from jingzhun.insurance.models import Claim, CoverTerm, Policy, PolicyCover
from jingzhun.policy import insurance as rules

pytestmark = pytest.mark.django_db

JIAOKOU = "141130"


@pytest.fixture
def zoe(personas: dict[str, Any], actor: Any) -> Any:
    return actor(personas["zoe"])  # county officer of 交口县


def test_every_rural_household_of_the_county_gets_one_policy_a_year(household: Any, zoe: Any) -> None:
    poor = household("v91", registered_year=2014)
    other = household("v91")  # not registered poor: insured all the same
    household("v91", area="urban")
    household("v11")  # 离石: another county
    issued = actions.issue_policies(zoe, JIAOKOU, 2018, units={other.household_no: {"maize": 6, "fungus": 5000}})
    assert issued.policies == 2 and {p.household_id for p in Policy.objects.all()} == {poor.pk, other.pk}
    terms = {t.cover.code: t for t in rules.cover_terms(JIAOKOU, dt.date(2018, 1, 1))}
    household_covers = [c for c, t in terms.items() if t.cover.basis == "household"]
    # the household covers are the year's terms, stored once; a policy has rows only for its unit covers
    assert CoverTerm.objects.filter(county=JIAOKOU, year=2018).count() == len(terms) == 19
    assert not PolicyCover.objects.filter(policy__household=poor).exists()
    lines = Policy.objects.get(household=poor).cover_lines()
    assert [(line.cover.code, line.premium_fen) for line in lines] == [
        (c, terms[c].premium_fen) for c in household_covers
    ]
    assert len(Policy.objects.get(household=other).cover_lines()) == len(household_covers) + 2
    maize = PolicyCover.objects.get(policy__household=other, cover__code="maize")
    assert maize.units == 6 and maize.premium_fen == 6 * terms["maize"].premium_fen
    assert PolicyCover.objects.get(policy__household=other, cover__code="fungus").premium_fen == 5000 * 36
    expected = 2 * sum(terms[c].premium_fen for c in household_covers) + maize.premium_fen + 5000 * 36
    assert issued.premiums_fen == expected
    again = actions.issue_policies(zoe, JIAOKOU, 2018)
    assert (again.policies, again.already) == (0, 2) and Policy.objects.count() == 2


def test_income_gap_claims_come_from_the_engine_in_december_and_reach_the_ledger(household: Any, zoe: Any) -> None:
    from jingzhun.ledger.models import PaymentLine

    low = household("v91", income_fen=100_000, income_year=2018)  # 1 000 yuan a person: below 2 995
    household("v91", income_fen=1_000_000, income_year=2018)  # above the line: no claim
    actions.issue_policies(zoe, JIAOKOU, 2018)
    made = actions.compute_income_gap(zoe, JIAOKOU, 2018)
    assert [(c.policy.household_id, c.amount_fen, c.status) for c in made] == [(low.pk, 199_500, "approved")]
    line = PaymentLine.objects.get()
    assert (line.program, line.household_id, line.month, line.amount_fen) == (
        "insurance_claim", low.pk, dt.date(2018, 12, 1), 199_500)  # fmt: skip
    assert actions.compute_income_gap(zoe, JIAOKOU, 2018) == [] and PaymentLine.objects.count() == 1


def test_the_other_ruled_covers_are_computed(household: Any, zoe: Any) -> None:
    grower = household("v91")
    actions.issue_policies(zoe, JIAOKOU, 2018, units={grower.household_no: {"fungus": 5000, "microcredit": 5}})
    no = grower.household_no
    disaster = actions.compute_fungus_disaster(zoe, no, 2018, sticks_lost=1000, date=dt.date(2018, 7, 1))
    assert disaster.amount_fen == 450_000  # 1 000 sticks × 4.5
    price = actions.compute_fungus_price(zoe, no, 2018, kind="shiitake", market_price=Decimal("3.70"),
                                         date=dt.date(2018, 11, 1))  # fmt: skip
    assert price.amount_fen == rules.fungus_price(
        "shiitake", Decimal("3.70"), Decimal(5000), JIAOKOU, dt.date(2018, 11, 1)
    )
    credit = actions.compute_microcredit(zoe, no, 2018, loss_fen=1_000_000, loan_fen=5_000_000, term_years=3,
                                         date=dt.date(2018, 9, 1))  # fmt: skip
    assert credit.amount_fen == 700_000 and "2 : 1 : 7" in credit.explanation
    with pytest.raises(actions.ClaimError, match="受灾棒数"):
        actions.compute_fungus_disaster(zoe, no, 2018, sticks_lost=6000, date=dt.date(2018, 8, 1))
    rows = [actions.ChronicRow("MZ-1", no, dt.date(2018, 5, 1), 100_000, "listed")]
    [chronic] = actions.compute_chronic_supplements(zoe, JIAOKOU, rows)
    assert chronic.amount_fen == 20_000  # 基本医保 80 % → 200.00 left, 100 % supplement for the 43 listed
    assert actions.compute_chronic_supplements(zoe, JIAOKOU, rows) == []


def test_recorded_claims_are_decided_once_and_only_by_the_countys_writers(
    household: Any, zoe: Any, personas: dict[str, Any], actor: Any
) -> None:
    from jingzhun.ledger.models import PaymentLine

    h = household("v91")
    actions.issue_policies(zoe, JIAOKOU, 2018)
    with pytest.raises(actions.ClaimError, match="证据材料"):
        actions.record_claim(
            zoe, h.household_no, 2018, "accident", date=dt.date(2018, 3, 1), amount_fen=100, evidence=""
        )
    with pytest.raises(actions.ClaimError, match="按规则计算"):
        actions.record_claim(
            zoe, h.household_no, 2018, "income_gap", date=dt.date(2018, 3, 1), amount_fen=1, evidence="x"
        )
    claim = actions.record_claim(zoe, h.household_no, 2018, "accident", date=dt.date(2018, 3, 1),
                                 amount_fen=500_000, evidence="医院诊断证明、事故认定书")  # fmt: skip
    assert claim.status == "pending" and not PaymentLine.objects.exists()
    for name in ("alice", "audrey"):  # 离石's county officer; the auditor
        with pytest.raises(PermissionDenied):
            actions.decide_claim(actor(personas[name]), claim, approve=True, note="同意")
        with pytest.raises(PermissionDenied):
            actions.issue_policies(actor(personas[name]), JIAOKOU, 2019)
    decided = actions.decide_claim(zoe, claim, approve=True, note="材料齐全，同意赔付")
    assert decided.status == "approved" and PaymentLine.objects.get().amount_fen == 500_000
    with pytest.raises(actions.ClaimError, match="已审核"):
        actions.decide_claim(zoe, claim, approve=False, note="再审")


def test_the_portfolio_sums_premiums_and_approved_claims_by_cover(household: Any, zoe: Any) -> None:
    a, b = household("v91"), household("v91")
    actions.issue_policies(zoe, JIAOKOU, 2018)
    claim = actions.record_claim(zoe, a.household_no, 2018, "house", date=dt.date(2018, 6, 1), amount_fen=300_000,
                                 evidence="查勘照片")  # fmt: skip
    actions.decide_claim(zoe, claim, approve=True, note="同意")
    pending = actions.record_claim(zoe, b.household_no, 2018, "house", date=dt.date(2018, 6, 2), amount_fen=1,
                                   evidence="查勘")  # fmt: skip
    table = queries.portfolio(zoe, 2018)
    total = rules.totals(table, 2018)
    premiums = sum(line.premium_fen for p in Policy.objects.all() for line in p.cover_lines())
    assert premiums == 2 * sum(t.premium_fen for t in rules.cover_terms(JIAOKOU, dt.date(2018, 1, 1))
                               if t.cover.basis == "household")  # fmt: skip
    assert total["premiums_fen"] == premiums and total["claims_fen"] == 300_000  # pending not counted
    assert total["households_insured"] == 2 and total["households_paid"] == 1
    assert total["loss_ratio"] == rules.loss_ratio(300_000, premiums)
    assert Claim.objects.get(pk=pending.pk).status == "pending"


def test_the_insurers_settled_list_is_all_or_nothing_and_filed_once(household: Any, zoe: Any) -> None:
    from jingzhun.ledger.models import PaymentLine

    a = household("v91")
    actions.issue_policies(zoe, JIAOKOU, 2018)
    good = actions.SettledClaim(a.household_no, "house", dt.date(2018, 5, 1), 120_000, "查勘定损")
    bad = [good, actions.SettledClaim("NOPE", "income_gap", dt.date(2017, 5, 1), 0, "")]
    with pytest.raises(actions.ClaimError) as caught:
        actions.record_settled_claims(zoe, JIAOKOU, 2018, bad, source="list-1")
    for text in ("第2条 [户编号]", "第2条 [险种]", "第2条 [赔付金额]", "第2条 [出险日期]"):
        assert text in str(caught.value)
    assert not Claim.objects.exists()
    assert actions.record_settled_claims(zoe, JIAOKOU, 2018, [good], source="list-1") == 1
    assert actions.record_settled_claims(zoe, JIAOKOU, 2018, [good], source="list-1") == 0
    line = PaymentLine.objects.get()
    assert (line.program, line.amount_fen, line.month) == ("insurance_claim", 120_000, dt.date(2018, 5, 1))
    claim = Claim.objects.get()
    assert (claim.policy.household_id, claim.cover.code, claim.date, claim.status, claim.evidence, claim.key) == (
        a.pk, "house", dt.date(2018, 5, 1), "approved", "查勘定损", "list-1:1")  # fmt: skip
    assert line.explain_key == f"insurance:{claim.pk}" and f"理赔 #{claim.pk}" in line.reason
    assert claim.decided_at is not None and claim.decided_at == claim.created_at


def test_the_fungus_price_cover_for_every_grower_at_once_matches_one_by_one(household: Any, zoe: Any) -> None:
    from jingzhun.ledger.models import PaymentLine

    a, b, none = household("v91"), household("v91"), household("v91")
    units = {a.household_no: {"fungus": 5000}, b.household_no: {"fungus": 1200, "maize": 3}}
    actions.issue_policies(zoe, JIAOKOU, 2018, units=units)
    day, price = dt.date(2018, 11, 1), Decimal("3.70")
    one = actions.compute_fungus_price(zoe, a.household_no, 2018, kind="shiitake", market_price=price, date=day)
    made = actions.compute_fungus_prices(zoe, JIAOKOU, 2018, kind="shiitake", market_price=price, date=day)
    assert [(c.policy.household_id, c.amount_fen) for c in made] == [
        (b.pk, rules.fungus_price("shiitake", price, Decimal(1200), JIAOKOU, day))
    ]  # a's was computed before (same key): not twice; the household without fungus gets nothing
    assert Claim.objects.filter(policy__household=none).count() == 0
    paid = sorted(PaymentLine.objects.values_list("amount_fen", flat=True))
    assert paid == sorted([one.amount_fen, made[0].amount_fen])
    assert actions.compute_fungus_prices(zoe, JIAOKOU, 2018, kind="shiitake", market_price=price, date=day) == []
