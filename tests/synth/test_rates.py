"""The synthetic 离石区 resembles the published 2018 figures (seed 000) once scaled to its size.

Shares are recomputed from the CSV with POLICY.md's definitions, not read from the generator, so a
change that breaks the shape of the county fails here.
"""

from __future__ import annotations

import itertools
from collections import Counter

import polars as pl
import pytest

from jingzhun.synth import rates
from tests.synth.conftest import HOUSEHOLDS, County

# 离石区 2018 [seed 000], pinned here so that changing rates.py cannot move the target with the result.
DIBAO_HOUSEHOLDS, DIBAO_REGISTERED, SUBSIDISED_DISABLED, TEKUN, TEKUN_INSTITUTION = 5379, 1898, 1770, 850, 42
RURAL_2018, RURAL_2020, NEAR_TOP, POVERTY_LINE_2020 = (
    3744,
    4853,
    6000,
    4000,
)  # 低保 standards (POLICY §3), 1.5 × the 2020 line (§8)
SCALE = HOUSEHOLDS / 103_448  # ≈ 300 000 residents at 2.9 persons a household
DEPENDENT = (
    (pl.col("age") >= 60)
    | (pl.col("age") < 16)
    | pl.col("残疾等级").is_in(["1", "2"])
    | (pl.col("劳动能力") == "无劳动力")
)


@pytest.fixture(scope="module")
def tagged(persons: pl.DataFrame) -> pl.DataFrame:
    """Persons with POLICY §2's 特困 test, and their household's per-capita income over the others (§3)."""
    df = persons.with_columns(
        (
            pl.col("取消资格情形").is_null()
            & ~pl.col("own_income")
            & (pl.col("有赡养能力的法定义务人") == "否")
            & DEPENDENT
        ).alias("tekun")
    )
    per_household = df.group_by("户编号").agg(
        pl.col("income").sum().alias("household_income"),
        (~pl.col("tekun")).sum().alias("members"),
    )
    df = df.join(per_household, on="户编号")
    return df.with_columns((pl.col("household_income") / pl.col("members")).alias("per_capita"))


def _households_below(tagged: pl.DataFrame, standard: float) -> pl.DataFrame:
    eligible = (
        (pl.col("城乡类别") == "农村")
        & pl.col("取消资格情形").is_null()
        & (pl.col("members") >= 1)
        & (pl.col("per_capita") < standard)
    )
    return tagged.filter(eligible)


def test_dibao_households_match_the_2018_roll(tagged: pl.DataFrame) -> None:
    below = _households_below(tagged, RURAL_2018)["户编号"].n_unique()
    assert below == pytest.approx(DIBAO_HOUSEHOLDS * SCALE, rel=0.05)


def test_more_households_fall_below_the_2020_standard(tagged: pl.DataFrame) -> None:
    below = _households_below(tagged, RURAL_2020)["户编号"].n_unique()
    expected = DIBAO_HOUSEHOLDS * SCALE * (1 + rates.DIBAO_2020_BAND_SHARE)
    assert below == pytest.approx(expected, rel=0.05)
    near = _households_below(tagged, NEAR_TOP)["户编号"].n_unique() - below
    assert near == pytest.approx(DIBAO_HOUSEHOLDS * SCALE * rates.NEAR_BAND_SHARE, rel=0.15)


def test_some_households_sit_near_the_2020_poverty_line(tagged: pl.DataFrame) -> None:
    heads = _households_below(tagged, NEAR_TOP).filter(pl.col("与户主关系") == "户主")
    near_line = heads.filter((pl.col("per_capita") - POVERTY_LINE_2020).abs() < 200).height
    assert near_line > 0.1 * heads.filter(pl.col("per_capita") >= RURAL_2018).height


def test_a_third_of_dibao_households_are_registered_poor(tagged: pl.DataFrame) -> None:
    heads = _households_below(tagged, RURAL_2018).filter(pl.col("与户主关系") == "户主")
    share = heads["建档立卡年份"].is_not_null().mean()
    assert share == pytest.approx(DIBAO_REGISTERED / DIBAO_HOUSEHOLDS, abs=0.04)


def test_disability_subsidy_persons_match_2018(tagged: pl.DataFrame) -> None:
    below = _households_below(tagged, RURAL_2018)
    subsidised = below.filter(~pl.col("tekun") & (pl.col("第二代残疾证") == "是")).height
    assert subsidised == pytest.approx(SUBSIDISED_DISABLED * SCALE, rel=0.1)


def test_tekun_persons_match_2018_and_a_few_live_in_institutions(tagged: pl.DataFrame) -> None:
    tekun = tagged.filter(pl.col("tekun"))
    assert tekun.height == pytest.approx(TEKUN * SCALE, rel=0.05)
    assert (tekun["城乡类别"] == "农村").all()
    assert set(tekun["供养方式"].unique()) <= {"分散供养", "集中供养"}
    assert (tekun["供养方式"] == "集中供养").sum() == pytest.approx(TEKUN_INSTITUTION * SCALE, abs=4)
    assert tagged.filter(~pl.col("tekun"))["供养方式"].null_count() == tagged.height - tekun.height


def test_tekun_households_have_no_members_left_for_dibao(tagged: pl.DataFrame) -> None:
    assert tagged.filter(pl.col("tekun"))["members"].max() == 0


def test_registered_poor_households_and_their_statuses(county_heads: pl.DataFrame) -> None:
    reg = county_heads.filter(pl.col("建档立卡年份").is_not_null())
    assert reg.height == pytest.approx(rates.REGISTERED_POOR_HOUSEHOLDS * SCALE, rel=0.02)
    status = reg["户状态"].value_counts().to_dict(as_series=False)
    share = dict(zip(status["户状态"], status["count"], strict=True))
    assert set(share) == {"未脱贫", "已脱贫（享受政策）"}  # 返贫 / 不再享受政策 come from later steps
    assert share["已脱贫（享受政策）"] / reg.height > 0.9
    assert 0 < share["未脱贫"] / reg.height < 0.06
    monitored = reg.filter(pl.col("监测对象") == "是")
    assert 0.01 < monitored.height / reg.height < 0.05
    assert set(monitored["户状态"]) == {"已脱贫（享受政策）"}  # 监测对象 is a mark on exited households
    causes = Counter(itertools.chain.from_iterable(reg["致贫原因"].str.split("、").to_list()))
    assert {cause for cause, _ in causes.most_common(3)} == {"因病", "因残", "缺劳力"}


def test_care_subsidy_and_disability_prevalence(persons: pl.DataFrame) -> None:
    severe_care = persons.filter(pl.col("残疾等级").is_in(["1", "2"]) & (pl.col("需长期照护") == "是")).height
    assert severe_care / persons.height == pytest.approx(36939 / 3_400_000, rel=0.25)
    assert 0.025 < persons["残疾等级"].is_not_null().mean() < 0.045
    certified = persons.filter(pl.col("失能认定") == "是")
    assert certified.height > 0 and certified["age"].min() >= 60


def test_urban_share_and_incomes_look_like_a_district_seat(tagged: pl.DataFrame, county_heads: pl.DataFrame) -> None:
    assert 0.5 < (county_heads["城乡类别"] == "城镇").mean() < 0.65
    heads = tagged.filter(pl.col("与户主关系") == "户主")
    rural = heads.filter(pl.col("城乡类别") == "农村")["per_capita"].median()
    urban = heads.filter(pl.col("城乡类别") == "城镇")["per_capita"].median()
    assert rural is not None and urban is not None
    assert 7000 < float(rural) < 13000  # type: ignore[arg-type]
    assert 20000 < float(urban) < 40000  # type: ignore[arg-type]


def test_disqualification_flags_are_rare(county_heads: pl.DataFrame) -> None:
    assert 0.02 < county_heads["取消资格情形"].is_not_null().mean() < 0.1


@pytest.fixture(scope="module")
def county_heads(persons: pl.DataFrame) -> pl.DataFrame:
    return persons.filter(pl.col("与户主关系") == "户主")


def test_monitored_persons_are_a_few_percent_of_registered_persons(county: County) -> None:
    """吕梁 2020: 监测对象 a few % of 建档立卡 persons, under the 5 % warning. This is the demo's own county
    (离石区, 20 000 households, seed 2018 — `jingzhun demo`'s defaults): its marks give 43 of 1 768 persons
    (2.4 %), leaving room for the cases the demo decides 纳入监测 (4.4 % after the demo, README)."""
    households = county.rows.group_by("户编号").agg(
        pl.len().alias("persons"), pl.col("建档立卡年份").first(), pl.col("监测对象").first()
    )
    registered = households.filter(pl.col("建档立卡年份").is_not_null())
    monitored = registered.filter(pl.col("监测对象") == "是")
    share = monitored["persons"].sum() / registered["persons"].sum()
    assert 0.01 < share < 0.03
    assert (monitored["persons"].sum(), registered["persons"].sum()) == (43, 1768)
