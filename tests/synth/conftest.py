"""A 20 000-household 离石区 generated once per test session, read back as strings like an importer would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from jingzhun.synth.generate import SynthResult, generate_county

HOUSEHOLDS = 20_000
SEED = 2018
REFERENCE_DATE = dt.date(2020, 6, 30)
MONEY = ["工资性收入", "种养殖收入", "经营性收入", "财产性收入", "转移性收入"]


@dataclass(frozen=True)
class County:
    result: SynthResult
    rows: pl.DataFrame  # households.csv, every column a string
    regions: pl.DataFrame


@pytest.fixture(scope="session")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    out = tmp_path_factory.mktemp("lishi")
    result = generate_county("141102", HOUSEHOLDS, SEED, out)
    rows = pl.read_csv(result.households_path, infer_schema=False)
    regions = pl.read_csv(result.regions_path, infer_schema=False)
    return County(result, rows, regions)


@pytest.fixture(scope="session")
def persons(county: County) -> pl.DataFrame:
    """The rows with typed helpers: completed years at the reference date, incomes in yuan, own-income flag."""
    birth = pl.col("出生日期").str.to_date()
    month_day = birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)
    before_birthday = month_day > REFERENCE_DATE.month * 100 + REFERENCE_DATE.day
    df = county.rows.with_columns(
        (REFERENCE_DATE.year - birth.dt.year() - before_birthday.cast(pl.Int32)).alias("age"),  # completed years
        *(pl.col(c).cast(pl.Float64) for c in MONEY),
    )
    return df.with_columns(
        (pl.sum_horizontal(MONEY[:4]) > 0).alias("own_income"),
        pl.sum_horizontal(MONEY).alias("income"),
    )


def read_back(path: Path) -> bytes:
    return path.read_bytes()
