"""Inpatient stays (住院) of the synthetic county's persons, in POLICY.md §7's STAYS format — deterministic by seed.

``generate_stays(persons, year=2019, seed=2019)`` takes the registry rows (``households.csv`` of
:func:`jingzhun.synth.generate.generate_county`, or the registry export: one row per person with 户编号,
村代码, 建档立卡年份, 供养方式, 出生日期, 重病, 慢性病, 重特大疾病晚期 and the five income columns) and returns one
row per stay with the STAYS columns (``id``, ``person``, ``registered_poor``, ``dibao_or_tekun``,
``region``, ``level``, ``admitted``, ``discharged``, ``total``, ``in_catalogue``; money in integer fen,
dates as dates); :func:`write_stays_csv` writes the CSV ``jingzhun medical settle`` reads. Everything is
drawn with numpy over all persons at once.

Where each rate comes from:

* **How many stays** [default]: Poisson per person and year with a rate by age — 0.08 under 15, 0.10 for
  15–59, 0.25 for 60–74, 0.40 from 75 (national inpatient rate ≈ 0.19 a person in 2019, older people
  several times the young) — times 1.8 for a 慢性病, 3 for 重病 and 5 for 重特大疾病晚期 (each the largest that
  applies), at most 8 stays.
* **Hospital level** [default, shaped on 兴县/离石's reporting that most poor patients are treated in the
  county and the 一站式 desks are at county hospitals]: county 62 %, city 25 %, province 9 %, outside 4 %.
* **Cost** — calibrated on **兴县 2019 [seed]: mean cost ≈ 8 300 yuan a stay**: lognormal with σ = 0.6
  and means county 5 500, city 11 000, province 19 500, outside 24 000, so that registered-poor
  in-province stays average ≈ 8 300 (all stays ≈ 8 800; tests/synth/test_stays.py measures it).
* **In-catalogue share** — calibrated on **兴县 2019 [seed]: average effective ratio 90.6 %, mean OOP ≈
  780 a stay** (POLICY.md §7's target: registered-poor in-province stays ≥ 90 %): uniform 88–99 % of the
  cost for registered-poor patients (the one-stop hospitals keep their out-of-catalogue drugs low),
  80–98 % for others [default]. On the 20 000-household 离石区 (seed 2018) that gives 91.7 %, mean OOP
  ≈ 710 — a little above 兴县's 90.6 % so that the ≥ 90 % target holds for any seed.
* **低保 or 特困 at discharge** (line 4, 医疗救助): a 特困 person (供养方式 filled) or a member of a household
  whose yearly income per person is below 4 853 yuan (吕梁's 2020 rural 低保 standard, the top of the
  synthetic county's low-income band, ``selection.py``) [default]. 离石 2018 had 202 医疗救助 stays of
  1 963 (10 %) [seed, orientation only: printed by the test, not a target].
* **Dates**: admission uniform over the year, 2–20 days in hospital (discharge capped at 31 December so
  the stay belongs to ``year``) [default].
* **The 方山 worked case [seed: 方山 2018, "住院费用花了1万多元…自己仅花了700元"]**: one registered-poor,
  not 低保/特困 person whose only stay of the year is replaced by exactly POLICY.md §7's case — county
  hospital, total 10 500, in catalogue 10 000 → 基本医保 8 820.00, 补充医保 944.00, OOP 736.00, ratio 0.9299;
  its id is :data:`WORKED_CASE_ID`.

Person ids are ``户编号-n`` (n = the person's place in the household), never the ID number.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from jingzhun.synth.arrays import Float, Int

WORKED_CASE_ID = "FS-2018-方山"
RATE_BY_AGE = ((0, 0.08), (15, 0.10), (60, 0.25), (75, 0.40))  # (from age, stays a year) [default]
RATE_FACTOR = {"慢性病": 1.8, "重病": 3.0, "重特大疾病晚期": 5.0}  # [default]
MAX_STAYS = 8
LEVELS = ("county", "city", "province", "outside")
LEVEL_P = (0.62, 0.25, 0.09, 0.04)  # [default]
MEAN_COST = (5_500, 11_000, 19_500, 24_000)  # yuan, by level: ≈ 8 300 over the mix [seed: 兴县 2019]
COST_SIGMA = 0.6  # [default]
CATALOGUE_POOR = (0.88, 0.99)  # in-catalogue share of the cost [calibrated on 兴县 2019's 90.6 %]
CATALOGUE_OTHER = (0.80, 0.98)  # [default]
DIBAO_INCOME = 4_853  # yuan a person and year [default: 吕梁 rural 低保 standard 2020]
STAY_DAYS = (2, 20)  # [default]
INCOMES = ("工资性收入", "种养殖收入", "经营性收入", "财产性收入", "转移性收入")
COLUMNS = (
    *("id", "person", "registered_poor", "dibao_or_tekun", "region", "level"),
    *("admitted", "discharged", "total", "in_catalogue"),
)
WORKED_CASE = {"level": "county", "total": 1_050_000, "in_catalogue": 1_000_000}  # fen


def _yes(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).fill_null("") == "是"


def _persons(rows: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per person: id, county, flags, age on 1 July of ``year`` and the stays-a-year rate."""
    income = pl.sum_horizontal(pl.col(c).cast(pl.String).str.strip_chars().cast(pl.Decimal(18, 2)) for c in INCOMES)
    household = pl.col("户编号").cast(pl.String)
    birth = pl.col("出生日期").cast(pl.String).str.to_date()
    age = year - birth.dt.year() - (birth.dt.ordinal_day() > dt.date(year, 7, 1).timetuple().tm_yday).cast(pl.Int32)
    chronic = pl.col("慢性病").cast(pl.String).fill_null("").str.strip_chars() != ""
    factor = (
        pl.when(_yes("重特大疾病晚期"))
        .then(RATE_FACTOR["重特大疾病晚期"])
        .when(_yes("重病"))
        .then(RATE_FACTOR["重病"])
        .when(chronic)
        .then(RATE_FACTOR["慢性病"])
        .otherwise(1.0)
    )
    base = pl.lit(RATE_BY_AGE[0][1])
    for start, rate in RATE_BY_AGE[1:]:
        base = pl.when(pl.col("age") >= start).then(rate).otherwise(base)
    persons = rows.select(
        household.alias("household"),
        (household + "-" + (pl.int_range(pl.len()).over(household) + 1).cast(pl.String)).alias("person"),
        pl.col("村代码").cast(pl.String).str.slice(0, 6).alias("region"),
        (pl.col("建档立卡年份").cast(pl.String).fill_null("").str.strip_chars() != "").alias("registered_poor"),
        (pl.col("供养方式").cast(pl.String).fill_null("").str.strip_chars() != "").alias("tekun"),
        income.alias("income"),
        age.alias("age"),
        factor.alias("factor"),
    )
    per_head = (pl.col("income").sum() / pl.len()).over("household")
    return persons.with_columns(
        dibao_or_tekun=pl.col("tekun") | (per_head < DIBAO_INCOME),
        rate=base * pl.col("factor"),
    )


def generate_stays(
    persons: pl.DataFrame, year: int = 2019, seed: int = 2019, *, until: dt.date | None = None
) -> pl.DataFrame:
    """The year's stays of ``persons`` (registry rows), the 方山 worked case among them; equal seeds, equal rows.
    With ``until``, only the stays discharged on or before that day (a demo working inside the year: no
    settlement dated after its working day); the others are drawn all the same, so the kept rows do not change."""
    people = _persons(persons, year)
    rng = np.random.default_rng([seed, year, 7])  # 7: this module's own stream
    rate: Float = people.get_column("rate").to_numpy()
    counts: Int = np.minimum(rng.poisson(rate), MAX_STAYS)
    who: Int = np.repeat(np.arange(people.height), counts)
    n = len(who)
    poor: np.ndarray = people.get_column("registered_poor").to_numpy()[who]
    level: Int = rng.choice(len(LEVELS), size=n, p=LEVEL_P)
    mean = np.array(MEAN_COST, dtype=np.float64)[level]
    mu = np.log(mean) - COST_SIGMA**2 / 2
    total_fen = np.maximum(np.rint(rng.lognormal(mu, COST_SIGMA) * 100).astype(np.int64), 100)
    low, high = (
        np.where(poor, CATALOGUE_POOR[0], CATALOGUE_OTHER[0]),
        np.where(poor, CATALOGUE_POOR[1], CATALOGUE_OTHER[1]),
    )
    share = low + (high - low) * rng.random(n)
    catalogue_fen = np.minimum(np.rint(total_fen * share).astype(np.int64), total_fen)
    first = dt.date(year, 1, 1).toordinal()
    days_in_year = dt.date(year, 12, 31).toordinal() - first + 1
    admitted = first + rng.integers(0, days_in_year, n)
    discharged = np.minimum(admitted + rng.integers(STAY_DAYS[0], STAY_DAYS[1] + 1, n), first + days_in_year - 1)
    epoch = dt.date(1970, 1, 1).toordinal()
    stays = pl.DataFrame(
        {
            "id": pl.Series([f"ZY{year}{i:07d}" for i in range(n)], dtype=pl.String),
            "person": people.get_column("person").gather(who),
            "registered_poor": pl.Series(poor, dtype=pl.Boolean),
            "dibao_or_tekun": people.get_column("dibao_or_tekun").gather(who),
            "region": people.get_column("region").gather(who),
            "level": pl.Series([LEVELS[i] for i in level.tolist()], dtype=pl.String),
            "admitted": pl.Series(admitted - epoch, dtype=pl.Int32).cast(pl.Date),
            "discharged": pl.Series(discharged - epoch, dtype=pl.Int32).cast(pl.Date),
            "total": pl.Series(total_fen, dtype=pl.Int64),
            "in_catalogue": pl.Series(catalogue_fen, dtype=pl.Int64),
        }
    )
    if until is not None:
        stays = stays.filter(pl.col("discharged") <= until)
    return _with_worked_case(stays, year)


def _with_worked_case(stays: pl.DataFrame, year: int) -> pl.DataFrame:
    """The first registered-poor, not 低保/特困 patient with exactly one stay gets POLICY.md §7's case as it."""
    once = stays.group_by("person").len().filter(pl.col("len") == 1).get_column("person")
    candidates = stays.with_row_index("row").filter(
        pl.col("registered_poor")
        & ~pl.col("dibao_or_tekun")
        & pl.col("person").is_in(once.implode())
        & (pl.col("discharged").dt.year() == year)
    )
    if candidates.height == 0:
        raise ValueError("没有可放入方山算例的患者（建档立卡、非低保特困、本年仅一次住院）")
    row = int(candidates.get_column("row")[0])
    case = {
        "id": WORKED_CASE_ID,
        "level": WORKED_CASE["level"],
        "total": WORKED_CASE["total"],
        "in_catalogue": WORKED_CASE["in_catalogue"],
    }
    return stays.with_columns(
        [
            pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value)).otherwise(pl.col(name)).alias(name)
            for name, value in case.items()
        ]
    )


def stays_csv_frame(stays: pl.DataFrame) -> pl.DataFrame:
    """The STAYS columns as ``jingzhun medical settle`` reads them: yuan with two decimals, true/false."""

    def yuan(name: str) -> pl.Expr:
        fen = pl.col(name)
        return ((fen // 100).cast(pl.String) + "." + (fen % 100 + 100).cast(pl.String).str.slice(1)).alias(name)

    return stays.select(
        "id",
        "person",
        pl.col("registered_poor").cast(pl.String).str.to_lowercase(),
        pl.col("dibao_or_tekun").cast(pl.String).str.to_lowercase(),
        "region",
        "level",
        pl.col("admitted").cast(pl.String),
        pl.col("discharged").cast(pl.String),
        yuan("total"),
        yuan("in_catalogue"),
    )


def write_stays_csv(stays: pl.DataFrame, path: Path) -> Path:
    """The stays as the CSV of POLICY.md §7 (UTF-8, header = the field names)."""
    stays_csv_frame(stays).write_csv(path)
    return path
