"""Province-scale fixtures: county-partitioned datasets written the way `jingzhun synth --province` writes them."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from jingzhun.policy.engine_batch import compute_batch_with_errors
from jingzhun.policy.params import load_parameters
from jingzhun.scale import datasets
from jingzhun.synth.batch_frames import synthetic_frames

COUNTIES = ("141102", "141123", "141130")
CPI = {"2020-06": {"all": "2.5", "food": "11.1"}}
SORT = ["household_id", "program", "member_id"]


def province(root: Path, n_per_county: int, seed: int, counties: tuple[str, ...] = COUNTIES) -> tuple[Path, Path]:
    """``root/households`` and ``root/persons`` partitioned by county; returns the two directories."""
    for i, code in enumerate(counties):
        h, p = synthetic_frames(n_per_county, seed + i, county=code, id_prefix=code)
        datasets.write_county(h.drop("region"), root / "households", code)
        datasets.write_county(p, root / "persons", code)
    return root / "households", root / "persons"


def whole(households: Path, persons: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The province as one pair of frames (what the one-file path would be given)."""
    codes = datasets.counties(households)
    h = pl.concat([datasets.read_county(households, c, keep_region=True) for c in codes])
    p = pl.concat([datasets.read_county(persons, c, keep_region=False) for c in codes])
    return h, p


def history_for(persons: pl.DataFrame, k: int = 25) -> dict[str, list[str]]:
    """A few seriously ill persons who already received the one-time 大病关怀 (so the rule must skip them)."""
    ill = persons.filter(pl.col("serious_illness") | pl.col("late_stage_major_disease"))["id"].head(k)
    return {pid: ["major_illness_care"] for pid in ill.to_list()}


def expected(
    h: pl.DataFrame, p: pl.DataFrame, month: str, *, cpi: dict[str, object] | None, history: dict[str, list[str]] | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    result = compute_batch_with_errors(
        h, p, month, params=load_parameters(), cpi=cpi, history={k: frozenset(v) for k, v in (history or {}).items()}
    )
    return result.lines.sort(SORT, nulls_last=True), result.errors.sort("household_id", "message")


def read_lines(out: Path) -> pl.DataFrame:
    """Every line of an output dataset (any writer's file names), ``region`` dropped, in a canonical order."""
    files = sorted(out.glob("region=*/*.parquet"))
    assert files, f"no lines written under {out}"
    frame = pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")
    frame = frame.drop("region") if "region" in frame.columns else frame
    return frame.select("household_id", "program", "member_id", "amount_fen").sort(SORT, nulls_last=True)


def side_files(tmp: Path, history: dict[str, list[str]]) -> tuple[Path, Path]:
    cpi = tmp / "cpi.json"
    cpi.write_text(json.dumps(CPI), encoding="utf-8")
    hist = tmp / "history.json"
    hist.write_text(json.dumps(history), encoding="utf-8")
    return cpi, hist


@pytest.fixture
def small_province(tmp_path: Path) -> tuple[Path, Path]:
    return province(tmp_path / "in", 400, 11)
