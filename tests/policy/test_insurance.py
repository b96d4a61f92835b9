"""一保通 (POLICY.md §6): the 19 covers as data and the four ruled covers at their boundaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest

from jingzhun.policy import insurance
from jingzhun.policy.document import Document, Household, Member
from jingzhun.policy.params import MissingParameter

JIAOKOU, LISHI = "141130", "141102"
AT = dt.date(2018, 12, 1)


def member(mid: str, born: dt.date = dt.date(1970, 5, 1)) -> Member:
    return Member(mid, born, None, False, False, False, "full", "full", "none", False, False, True, False, "home")


def household(hid: str, income: str, size: int, region: str = JIAOKOU, area: str = "rural") -> Household:
    members = tuple(member(f"{hid}-{i}") for i in range(size))
    return Household(hid, region, area, False, Fraction(Decimal(income)), (), members)


# The 19 covers --------------------------------------------------------------------------------------------


def test_nineteen_covers_each_with_a_dated_premium_and_sum_insured_in_jiaokou_2018() -> None:
    terms = insurance.cover_terms(JIAOKOU, AT)
    assert len(terms) == len({t.cover.code for t in terms}) == 19
    assert sum(t.cover.ruled for t in terms) == 4
    fungus = next(t for t in terms if t.cover.code == "fungus")
    assert (fungus.premium_fen, fungus.sum_insured_fen, fungus.cover.basis, fungus.cover.unit) == (
        36,
        450,
        "unit",
        "棒",
    )
    assert all(t.premium_fen > 0 and t.sum_insured_fen > t.premium_fen for t in terms)
    assert all(t.cover.payer == "县财政" for t in terms)
    assert fungus.parameters[0].since == dt.date(2018, 1, 1)


def test_no_covers_before_2018_or_outside_jiaokou() -> None:
    with pytest.raises(MissingParameter):
        insurance.cover_terms(JIAOKOU, dt.date(2017, 12, 31))
    with pytest.raises(MissingParameter):
        insurance.cover_terms(LISHI, AT)
    assert insurance.enabled(JIAOKOU, dt.date(2018, 1, 1))
    assert not insurance.enabled(JIAOKOU, dt.date(2017, 12, 31))
    assert not insurance.enabled(LISHI, AT)


def test_premium_per_unit_rounds_half_up_and_a_household_cover_is_one_per_household() -> None:
    terms = {t.cover.code: t for t in insurance.cover_terms(JIAOKOU, AT)}
    assert insurance.premium_fen(terms["fungus"], 5000) == 180_000  # 5 000 sticks × 0.36
    assert insurance.premium_fen(terms["fungus"], Decimal("0.5")) == 18
    assert insurance.premium_fen(terms["fungus"], Decimal("0.125")) == 5  # 4.5 fen → 5 (half-up)
    assert insurance.premium_fen(terms["accident"]) == terms["accident"].premium_fen
    with pytest.raises(insurance.InsuranceError, match="按户投保"):
        insurance.premium_fen(terms["accident"], 2)
    with pytest.raises(insurance.InsuranceError, match="不得为负数"):
        insurance.premium_fen(terms["maize"], -1)


# 脱贫返贫保险: the engine's program in December ------------------------------------------------------------


def test_income_gap_claims_come_from_the_engine_in_december_for_jiaokou_rural_households_below_the_line() -> None:
    # 2018's line 2 995: a 3-person household with 6 000 a year gets (2 995 − 2 000) × 3 = 2 985.00
    doc = Document(
        (
            household("H1", "6000", 3),
            household("H2", "8985", 3),  # exactly on the line: nothing
            household("H3", "8984.99", 3),  # one fen below: 0.01
            household("H4", "6000", 3, region=LISHI),  # no 一保通 in 离石
            household("H5", "6000", 3, area="urban"),  # farm households only
        )
    )
    result = insurance.income_gap_claims(doc, 2018)
    assert result.claims == {"H1": 298_500, "H3": 1}
    assert result.errors == {}
    assert insurance.income_gap_claims(doc, 2017).claims == {}  # 交口 from 2018


# 慢性病门诊补充 ----------------------------------------------------------------------------------------------


def test_chronic_outpatient_basic_80_percent_then_100_or_90_percent_of_the_rest_in_jiaokou() -> None:
    listed = insurance.chronic_outpatient(250_000, "listed", JIAOKOU, AT)
    assert (listed.basic_fen, listed.supplement_fen, listed.oop_fen) == (200_000, 50_000, 0)
    added = insurance.chronic_outpatient(250_000, "added", JIAOKOU, AT)
    assert (added.basic_fen, added.supplement_fen, added.oop_fen) == (200_000, 45_000, 5_000)
    assert "一保通补充 = 500.00 × 90%（新增 75 种病种） = 450.00 元" in added.sentence
    odd = insurance.chronic_outpatient(3, "added", JIAOKOU, AT)  # 2.4 → 2; 1 × 0.9 → 1
    assert (odd.basic_fen, odd.supplement_fen, odd.oop_fen) == (2, 1, 0)
    elsewhere = insurance.chronic_outpatient(250_000, "listed", LISHI, AT)
    assert (elsewhere.basic_fen, elsewhere.supplement_fen, elsewhere.oop_fen) == (200_000, 0, 50_000)


def test_chronic_outpatient_refuses_bad_input_by_name() -> None:
    with pytest.raises(insurance.InsuranceError, match=r"\[disease_list\]"):
        insurance.chronic_outpatient(100, "other", JIAOKOU, AT)
    with pytest.raises(insurance.InsuranceError, match=r"\[in_catalogue\]"):
        insurance.chronic_outpatient(-1, "listed", JIAOKOU, AT)


# 食用菌 ----------------------------------------------------------------------------------------------------


def test_fungus_disaster_pays_sticks_lost_times_4_5_up_to_all_insured_sticks() -> None:
    assert insurance.fungus_disaster(0, 5000, JIAOKOU, AT) == 0
    assert insurance.fungus_disaster(1, 5000, JIAOKOU, AT) == 450
    assert insurance.fungus_disaster(5000, 5000, JIAOKOU, AT) == 2_250_000
    with pytest.raises(insurance.InsuranceError, match="多于投保棒数"):
        insurance.fungus_disaster(5001, 5000, JIAOKOU, AT)
    with pytest.raises(MissingParameter):
        insurance.fungus_disaster(1, 10, JIAOKOU, dt.date(2017, 6, 1))


def test_fungus_price_pays_the_gap_below_the_insured_price_only() -> None:
    # insured 香菇 4.00 yuan/斤
    assert insurance.fungus_price("shiitake", Decimal("3.20"), Decimal("1000"), JIAOKOU, AT) == 80_000
    assert insurance.fungus_price("shiitake", Decimal("4.00"), Decimal("1000"), JIAOKOU, AT) == 0
    assert insurance.fungus_price("shiitake", Decimal("4.01"), Decimal("1000"), JIAOKOU, AT) == 0
    assert insurance.fungus_price("shiitake", Decimal("3.999"), Decimal("5"), JIAOKOU, AT) == 1  # 0.5 fen → 1
    assert insurance.fungus_price("shiitake", Decimal("3.999"), Decimal("4"), JIAOKOU, AT) == 0  # 0.4 fen → 0
    with pytest.raises(insurance.InsuranceError, match=r"\[kind\]"):
        insurance.fungus_price("truffle", Decimal("1"), Decimal("1"), JIAOKOU, AT)
    with pytest.raises(insurance.InsuranceError, match=r"\[market_price\]"):
        insurance.fungus_price("oyster", 2.0, Decimal("1"), JIAOKOU, AT)  # type: ignore[arg-type]


# 小额信贷保证 ----------------------------------------------------------------------------------------------


def test_microcredit_loss_is_split_2_1_7_and_adds_up_to_the_loss_exactly() -> None:
    split = insurance.microcredit_split(1_000_000, 5_000_000, 3, JIAOKOU, AT)
    assert (split.government_fen, split.bank_fen, split.insurer_fen) == (200_000, 100_000, 700_000)
    odd = insurance.microcredit_split(15, 5_000_000, 1, JIAOKOU, AT)  # 3 : 1.5 → 2 : 10.5 → rest
    assert (odd.government_fen, odd.bank_fen, odd.insurer_fen) == (3, 2, 10)
    assert insurance.microcredit_split(0, 0, 1, JIAOKOU, AT) == insurance.LossSplit(0, 0, 0)


def test_microcredit_limits_50_000_and_3_years_and_loss_not_above_the_loan() -> None:
    insurance.microcredit_split(100, 5_000_000, 3, JIAOKOU, AT)
    with pytest.raises(insurance.InsuranceError, match=r"超过每户上限 50000\.00"):
        insurance.microcredit_split(100, 5_000_001, 3, JIAOKOU, AT)
    with pytest.raises(insurance.InsuranceError, match=r"\[term_years\]"):
        insurance.microcredit_split(100, 1_000, 4, JIAOKOU, AT)
    with pytest.raises(insurance.InsuranceError, match=r"\[term_years\]"):
        insurance.microcredit_split(100, 1_000, 0, JIAOKOU, AT)
    with pytest.raises(insurance.InsuranceError, match="大于贷款金额"):
        insurance.microcredit_split(1_001, 1_000, 1, JIAOKOU, AT)


# Portfolio ------------------------------------------------------------------------------------------------


def test_loss_ratio_is_claims_over_premiums_half_up_to_two_decimals() -> None:
    assert insurance.loss_ratio(93, 100) == "0.93"
    assert insurance.loss_ratio(12_090_000, 13_000_000) == "0.93"
    assert insurance.loss_ratio(9_250, 1_000_000) == "0.01"  # 0.00925 → 0.01
    assert insurance.loss_ratio(9_249, 1_000_000) == "0.01"
    assert insurance.loss_ratio(4_999, 1_000_000) == "0.00"
    assert insurance.loss_ratio(5_000, 1_000_000) == "0.01"
    assert insurance.loss_ratio(300, 100) == "3.00"
    assert insurance.loss_ratio(1, 0) == "—"


def test_portfolio_by_cover_and_year_counts_households_paid_once() -> None:
    premiums = insurance.premiums_frame(
        [
            ("H1", 2018, "income_gap", 11_000),
            ("H2", 2018, "income_gap", 11_000),
            ("H1", 2018, "fungus", 1_800),
            ("H1", 2019, "income_gap", 11_000),
        ]
    )
    claims = insurance.claims_frame(
        [
            ("H1", 2018, "income_gap", 20_000),
            ("H1", 2018, "fungus", 450),
            ("H1", 2018, "fungus", 100),
            ("H2", 2018, "accident", 5_000),  # a claim on a cover with no premium row this year
        ]
    )
    table = insurance.portfolio(premiums, claims)
    rows = {(r["year"], r["cover"]): r for r in table.iter_rows(named=True)}
    assert rows[2018, "income_gap"]["claims_fen"] == 20_000
    assert rows[2018, "income_gap"]["loss_ratio"] == "0.91"
    assert (rows[2018, "fungus"]["claims_fen"], rows[2018, "fungus"]["households_paid"]) == (550, 1)
    assert rows[2018, "accident"]["loss_ratio"] == "—"
    total = insurance.totals(table, 2018)
    assert (total["premiums_fen"], total["claims_fen"], total["households_paid"]) == (23_800, 25_550, 2)
    assert (total["households_insured"], total["loss_ratio"], total["name"]) == (2, "1.07", "合计")
    assert insurance.totals(table, 2019)["claims_fen"] == 0
    assert table.filter(pl.col("cover") == "total").height == 2


def test_portfolio_refuses_missing_columns_and_negative_amounts() -> None:
    premiums = insurance.premiums_frame([("H1", 2018, "income_gap", 11_000)])
    with pytest.raises(insurance.InsuranceError, match="缺少列"):
        insurance.portfolio(premiums.drop("year"), insurance.claims_frame([]))
    with pytest.raises(insurance.InsuranceError, match="不得为负数"):
        insurance.portfolio(premiums, insurance.claims_frame([("H1", 2018, "income_gap", -1)]))


def test_the_two_disease_lists_are_data_43_and_75_placeholders_marked_so() -> None:
    lists = [d.list for d in insurance.diseases().values()]
    assert (lists.count("listed"), lists.count("added")) == (43, 75)
    assert all(d.placeholder and "占位" in d.name for d in insurance.diseases().values())
    assert insurance.disease_list("L01") == "listed"
    assert insurance.disease_list("A75") == "added"
    with pytest.raises(insurance.InsuranceError, match=r"\[disease\]"):
        insurance.disease_list("A76")
    claim = insurance.chronic_outpatient(10_000, insurance.disease_list("A03"), JIAOKOU, AT)
    assert claim.supplement_fen == 1_800  # (100 − 80) × 90 %
