"""POLICY.md §7's settlement at its boundaries: each test a stay history a caseworker could check by hand."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jingzhun.policy.medical.settle import LINES, RulesCache, Settlement, settle
from jingzhun.policy.medical.stays import StaysError, parse_stays
from jingzhun.policy.money import fen_to_str
from jingzhun.policy.params import load_parameters

POOR = {"registered_poor": True, "dibao_or_tekun": False}
POOR_DIBAO = {"registered_poor": True, "dibao_or_tekun": True}
DIBAO = {"registered_poor": False, "dibao_or_tekun": True}


def stay(sid: str, discharged: str, catalogue: str, total: str | None = None, **fields: Any) -> dict[str, Any]:
    base = {
        "id": sid,
        "person": "P1",
        "region": "141102",
        "level": "county",
        "admitted": discharged[:8] + "01",
        "discharged": discharged,
        "total": total or catalogue,
        "in_catalogue": catalogue,
        **POOR,
    }
    return base | fields


def run(*stays: dict[str, Any], cap_period: str = "year") -> dict[str, dict[str, str]]:
    """{stay id: {line: "0.00", "oop": ..., "ratio": ...}} for the stays settled together."""
    return {s.stay.id: _amounts(s) for s in settle(parse_stays({"stays": list(stays)}), cap_period)}


def _amounts(s: Settlement) -> dict[str, str]:
    return {**{line: fen_to_str(s.lines[line].paid) for line in LINES}, "oop": fen_to_str(s.oop), "ratio": s.ratio}


# 基本医保 -------------------------------------------------------------------------------------------------


def test_in_catalogue_equal_to_the_deductible_pays_no_basic_insurance() -> None:
    assert run(stay("S1", "2019-03-10", "200"))["S1"]["basic"] == "0.00"


def test_one_fen_above_the_deductible_pays_rate_times_one_fen_rounded_half_up() -> None:
    # (200.01 − 200) × 90% = 0.009 → 0.01; (200.05 − 200) × 90% = 0.045 → 0.05 (half-up, not to even)
    assert run(stay("S1", "2019-03-10", "200.01"))["S1"]["basic"] == "0.01"
    assert run(stay("S1", "2019-03-10", "200.05"))["S1"]["basic"] == "0.05"


def test_not_registered_poor_uses_the_ordinary_deductible_and_rate_and_nothing_else() -> None:
    got = run(stay("S1", "2019-03-10", "10400", "11000", registered_poor=False))["S1"]
    # (10400 − 400) × 85% = 8500; OOP = 1900 + 600 = 2500; 1 − 2500/11000 = 0.772727… → 0.7727
    assert got == {
        "basic": "8500.00",
        "serious": "0.00",
        "supplementary": "0.00",
        "assistance": "0.00",
        "cap136": "0.00",
        "oop": "2500.00",
        "ratio": "0.7727",
    }


# 大病保险: the 5000 threshold over the year ----------------------------------------------------------------


def test_serious_insurance_pays_only_the_part_of_this_stay_above_5000_over_the_year() -> None:
    got = run(stay("S1", "2019-03-01", "40000"), stay("S2", "2019-06-01", "40000"), stay("S3", "2019-09-01", "40000"))
    # each stay leaves R1 = 4180: S1 stays below 5000; S2 crosses it (8360 − 5000 = 3360 × 60% = 2016);
    # S3 is wholly above (4180 × 60% = 2508)
    assert [got[s]["serious"] for s in ("S1", "S2", "S3")] == ["0.00", "2016.00", "2508.00"]


def test_a_stay_where_the_patient_was_not_yet_registered_poor_does_not_count_towards_5000() -> None:
    got = run(
        stay("S1", "2019-03-01", "40000", registered_poor=False),  # R1 = 40000 − (40000 − 400) × 85% = 6340
        stay("S2", "2019-06-01", "40000"),
    )
    assert got["S2"]["serious"] == "0.00"  # A = 0 (S1 did not apply the line), R1 = 4180 ≤ 5000


def test_a_stay_discharged_next_year_starts_the_yearly_amounts_again() -> None:
    got = run(
        stay("S1", "2019-12-31", "40000"),
        stay("S2", "2020-01-02", "40000", admitted="2019-12-20"),  # the discharge year counts
    )
    assert got["S2"]["serious"] == "0.00"
    assert got["S2"] == got["S1"]


def test_stays_are_cumulated_in_discharge_order_then_id_whatever_the_input_order() -> None:
    late, early = stay("S9", "2019-06-01", "40000"), stay("S10", "2019-06-01", "40000")
    got = run(late, early)
    assert list(got) == ["S9", "S10"]  # output keeps the input order
    assert (got["S10"]["serious"], got["S9"]["serious"]) == ("0.00", "2016.00")  # "S10" < "S9" as strings


def test_another_persons_stays_do_not_count() -> None:
    got = run(stay("S1", "2019-03-01", "40000"), stay("S2", "2019-06-01", "40000", person="P2"))
    assert got["S2"]["serious"] == "0.00"


# 医疗救助: 20 000 a year --------------------------------------------------------------------------------------


def test_medical_assistance_stops_at_20000_over_the_persons_stays_of_the_year() -> None:
    stays = [stay(f"S{i}", f"2019-0{i}-15", "100000", **DIBAO) for i in (1, 2, 3)]
    got = run(*stays)
    # each: basic (100000 − 400) × 85% = 84660, R = 15340, 70% = 10738; the second gets 20000 − 10738 = 9262
    assert [got[f"S{i}"]["assistance"] for i in (1, 2, 3)] == ["10738.00", "9262.00", "0.00"]


def test_medical_assistance_needs_dibao_or_tekun_not_registered_poverty() -> None:
    assert run(stay("S1", "2019-03-01", "100000"))["S1"]["assistance"] == "0.00"
    assert run(stay("S1", "2019-03-01", "100000", **DIBAO))["S1"]["assistance"] != "0.00"


# "136" -------------------------------------------------------------------------------------------------------


def test_136_cap_is_that_of_the_highest_level_this_year_including_earlier_stays() -> None:
    got = run(
        stay("S1", "2019-03-01", "40000"),  # county: left 836.00
        stay("S2", "2019-06-01", "40000", level="city"),  # city: R1 8320, serious 4500, supp 3056, left 764.00
        stay("S3", "2019-09-01", "40000"),  # county again: serious 2508, supp 1337.60, left 334.40
    )
    # S3: cap 3000 (the city stay earlier this year), B = 836 + 764 = 1600: 1600 + 334.40 ≤ 3000 → 0
    # (with the county cap of 1000 it would have paid all 334.40)
    assert [got[s]["cap136"] for s in ("S1", "S2", "S3")] == ["0.00", "0.00", "0.00"]
    assert got["S3"]["oop"] == "334.40"


def test_136_pays_what_the_year_leaves_above_the_cap() -> None:
    got = run(stay("S1", "2019-03-01", "100000"), stay("S2", "2019-06-01", "100000"))
    # S1: basic 89820, serious (10180 − 5000) × 60% = 3108, supp 7072 × 80% = 5657.60, R 1414.40
    #     136 = min(1414.40, 1414.40 − 1000) = 414.40 → left 1000.00
    # S2: serious 10180 × 60% = 6108, supp 4072 × 80% = 3257.60, R 814.40; B = 1000 → 136 pays all 814.40
    assert (got["S1"]["cap136"], got["S1"]["oop"]) == ("414.40", "1000.00")
    assert (got["S2"]["cap136"], got["S2"]["oop"]) == ("814.40", "0.00")


def test_cap_period_stay_caps_each_stay_alone() -> None:
    got = run(stay("S1", "2019-03-01", "100000"), stay("S2", "2019-06-01", "100000"), cap_period="stay")
    assert (got["S1"]["cap136"], got["S1"]["oop"]) == ("414.40", "1000.00")
    assert (got["S2"]["cap136"], got["S2"]["oop"]) == ("0.00", "814.40")  # 814.40 ≤ 1000, nothing carried
    assert got["S2"]["serious"] == "6108.00"  # 大病保险 still accumulates over the year


def test_cap_period_stay_uses_each_stays_own_level() -> None:
    got = run(stay("S1", "2019-03-01", "100000", level="city"), stay("S2", "2019-06-01", "100000"), cap_period="stay")
    # S2 county: R 814.40 → max(0, 814.40 − 1000) = 0, although a city stay came earlier
    assert got["S2"]["cap136"] == "0.00"


def test_outside_province_stays_skip_136_and_do_not_count_towards_it() -> None:
    got = run(stay("S1", "2019-03-01", "100000", level="outside"), stay("S2", "2019-06-01", "2000"))
    # S1: basic (100000 − 600) × 50% = 49700; R1 50300; serious 45300 × 60% = 27180; supp 23120 × 80% = 18496
    assert got["S1"]["cap136"] == "0.00"
    assert got["S1"]["oop"] == "4624.00"
    # S2: basic 1620, R1 380, A = 50300 → serious 228, supp 121.60, left 30.40; B = 0 (S1 outside) → 0
    assert (got["S2"]["cap136"], got["S2"]["oop"]) == ("0.00", "30.40")


def test_xing_county_settles_136_before_medical_assistance() -> None:
    lishi = run(stay("S1", "2019-03-01", "100000", **POOR_DIBAO))["S1"]
    xing = run(stay("S1", "2019-03-01", "100000", region="141123", **POOR_DIBAO))["S1"]
    # both leave R3 = 1414.40 after supplementary insurance
    # 离石: assistance 1414.40 × 70% = 990.08, left 424.32 ≤ 1000 → 136 pays 0
    assert (lishi["assistance"], lishi["cap136"], lishi["oop"]) == ("990.08", "0.00", "424.32")
    # 兴县: 136 = 1414.40 − 1000 = 414.40, left 1000; assistance 1000 × 70% = 700 → left 300
    assert (xing["cap136"], xing["assistance"], xing["oop"]) == ("414.40", "700.00", "300.00")


def test_xing_county_carries_what_was_left_after_both_lines_into_b() -> None:
    common = {"region": "141123", **POOR_DIBAO}
    got = run(stay("S1", "2019-03-01", "100000", **common), stay("S2", "2019-06-01", "100000", **common))
    # S2: R3 = 814.40 (as above); B = 300 (after both lines of S1) → 136 = max(0, 300 + 814.40 − 1000) = 114.40
    # left 700; assistance min(490, 20000 − 700) = 490 → left 210
    assert (got["S2"]["cap136"], got["S2"]["assistance"], got["S2"]["oop"]) == ("114.40", "490.00", "210.00")


def test_explanation_writes_each_line_as_plain_arithmetic() -> None:
    [s] = settle(parse_stays({"stays": [stay("S1", "2018-04-12", "10000", "10500", region="141128")]}))
    assert s.lines["basic"].text == "基本医保 = (10000.00 − 200.00) × 90% = 8820.00 元"
    assert s.lines["supplementary"].text == "补充医保 = 1180.00 × 80% = 944.00 元"
    assert s.lines["assistance"].text == "医疗救助：非低保、特困对象，不适用，0.00 元"
    assert s.text.endswith("实际报销比例 = 1 − 736.00 ÷ 10500.00 = 0.9299")
    names = [p.name for p in s.lines["basic"].parameters]
    assert names == ["medical.basic_deductible_poor.county", "medical.basic_rate_poor.county"]


# Parameters: from 2016 -----------------------------------------------------------------------------------------


def test_a_stay_discharged_before_2016_has_no_parameter_and_is_invalid() -> None:
    stays = parse_stays({"stays": [stay("S1", "2015-12-31", "1000"), stay("S2", "2016-01-01", "1000")]})
    with pytest.raises(StaysError) as caught:
        settle(stays)
    assert len(caught.value.errors) == 1
    assert caught.value.errors[0].startswith("住院 S1，出院日期 [discharged]：出院日期 2015-12-31 没有结算参数")
    assert RulesCache(load_parameters()).missing(stays[1]) is None


# Properties ----------------------------------------------------------------------------------------------------

MONEY = st.integers(min_value=1, max_value=30_000_000)  # fen


@st.composite
def stay_histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        total = draw(MONEY)
        catalogue = draw(st.integers(min_value=0, max_value=total))
        out.append(
            {
                "id": f"S{i}",
                "person": draw(st.sampled_from(["P1", "P2"])),
                "registered_poor": draw(st.booleans()),
                "dibao_or_tekun": draw(st.booleans()),
                "region": draw(st.sampled_from(["141102", "141123", "141128"])),
                "level": draw(st.sampled_from(["county", "city", "province", "outside"])),
                "admitted": "2019-01-01",
                "discharged": draw(st.sampled_from(["2019-02-01", "2019-07-01", "2019-12-31", "2020-01-01"])),
                "total": fen_to_str(total),
                "in_catalogue": fen_to_str(catalogue),
            }
        )
    return out


@settings(max_examples=200, deadline=None)
@given(stay_histories(), st.sampled_from(["year", "stay"]))
def test_oop_plus_every_line_is_the_total_and_the_ratio_is_within_0_and_1(
    stays: list[dict[str, Any]], cap_period: str
) -> None:
    settled = settle(parse_stays({"stays": stays}), cap_period)
    assistance: dict[tuple[str, int], int] = {}
    for s in settled:
        paid = [s.lines[line].paid for line in LINES]
        assert all(p >= 0 for p in paid)
        assert s.oop >= s.stay.total - s.stay.in_catalogue
        assert s.oop + sum(paid) == s.stay.total
        assert 0 <= float(s.ratio) <= 1
        key = (s.stay.person, s.stay.discharged.year)
        assistance[key] = assistance.get(key, 0) + s.lines["assistance"].paid
    assert all(total <= 20_000_00 for total in assistance.values())
