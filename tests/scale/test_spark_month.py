"""`jingzhun entitle --engine spark`: the month run on Apache Spark (local[2]) gives the single-machine lines.

Spark runs the same Polars rules per county (cogroup → applyInArrow → ``compute_batch_with_errors``), so the
lines must be identical, to the fen, to the one-machine path on the same province — for several months,
with CPI (价格临时补贴) and history (one-time 大病关怀 already received).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jingzhun.policy.params import load_parameters
from tests.scale.conftest import CPI, SORT, expected, history_for, province, read_lines, side_files, whole

pytest.importorskip("pyspark")  # installed by `make test` (uv sync --group spark); CI fails on a skip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def four_counties(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("province")
    return province(root, 300, 2024, counties=("141102", "141123", "141128", "141130"))


@pytest.mark.parametrize("month", ["2016-01", "2019-12", "2020-06"])
def test_spark_lines_are_the_single_machine_lines(spark: Any, four_counties: tuple[Path, Path], month: str) -> None:
    from pyspark.sql import functions as F

    from jingzhun.scale.spark_month import compute

    h_dir, p_dir = four_counties
    h, p = whole(h_dir, p_dir)
    history = history_for(p)
    want_lines, want_errors = expected(h, p, month, cpi=CPI, history=history)
    result = compute(
        spark,
        spark.read.parquet(str(h_dir)),
        spark.read.parquet(str(p_dir)),
        month,
        load_parameters(),
        cpi=CPI,
        history={k: frozenset(v) for k, v in history.items()},
    )
    rows = result.collect()
    got = pl.DataFrame(
        [r.asDict() for r in rows], schema=dict.fromkeys(result.columns, pl.String) | {"amount_fen": pl.Int64}
    )
    lines = (
        got.filter(pl.col("message").is_null())
        .select(SORT[0], SORT[1], SORT[2], "amount_fen")
        .sort(SORT, nulls_last=True)
    )
    errors = (
        got.filter(pl.col("message").is_not_null()).select("household_id", "message").sort("household_id", "message")
    )
    assert lines.height > 100
    assert lines.equals(want_lines)
    assert errors.equals(want_errors.select("household_id", "message"))
    # each county's lines were computed in that county's task
    per_county = result.where(F.col("message").isNull()).groupBy("region").count().collect()
    assert {r["region"] for r in per_county} == {"141102", "141123", "141128", "141130"}


def _jingzhun(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "jingzhun", "entitle", *args], capture_output=True, text=True, env=env, timeout=900
    )


def test_the_command_as_typed_writes_the_same_lines_as_the_polars_engine(
    four_counties: tuple[Path, Path], tmp_path: Path
) -> None:
    h_dir, p_dir = four_counties
    h, p = whole(h_dir, p_dir)
    history = history_for(p)
    cpi, hist = side_files(tmp_path, history)
    common = ["--households", str(h_dir), "--persons", str(p_dir), "--month", "2020-06", "--cpi", str(cpi)]
    spark_out = tmp_path / "spark"
    done = _jingzhun(
        *common, "--history", str(hist), "--out", str(spark_out), "--engine", "spark", "--master", "local[2]"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "[spark] 1200 households" in done.stderr
    want, _ = expected(h, p, "2020-06", cpi=CPI, history=history)
    got = read_lines(spark_out)
    assert got.equals(want.select(got.columns))
    assert {d.name for d in spark_out.iterdir() if d.is_dir()} == {
        "region=141102", "region=141123", "region=141128", "region=141130"
    }  # fmt: skip


def test_bad_input_exits_2_with_a_problems_dataset_and_no_lines(spark: Any, tmp_path: Path) -> None:
    """In-process (typer's runner), so it reuses the module's Spark session instead of starting a JVM."""
    from typer.testing import CliRunner

    from jingzhun.cli import app

    h_dir, p_dir = province(tmp_path / "in", 50, 3, counties=("141102", "141130"))
    # a person whose household is in another county's partition, and an unknown 户 status of 特困 care
    persons = pl.read_parquet(p_dir / "region=141130" / "part-0.parquet")
    stray = (
        pl.read_parquet(p_dir / "region=141102" / "part-0.parquet")
        .head(1)
        .with_columns(pl.lit("hospital").alias("care_setting"))
    )
    pl.concat([persons, stray]).write_parquet(p_dir / "region=141130" / "part-0.parquet")
    out = tmp_path / "lines"
    done = CliRunner().invoke(app, [
        "entitle", "--households", str(h_dir), "--persons", str(p_dir), "--month", "2020-06", "--out", str(out),
        "--engine", "spark", "--master", "local[2]",
    ])  # fmt: skip
    assert done.exit_code == 2, done.stderr[-3000:]
    assert "[141130]" in done.stderr and "该人员的户不在户文件中" in done.stderr
    assert "人员编号跨县重复 1 个" in done.stderr
    assert not out.exists()
    problems = pl.read_parquet(str(tmp_path / "lines.problems" / "*.parquet"))
    assert problems.height >= 3 and problems["message"].str.contains("care_setting|照料").any()


def test_refusals_are_the_county_by_county_refusals(spark: Any, tmp_path: Path) -> None:
    """The one-pass check (each county checked where it is computed; ids across counties by their hashes)
    refuses with exactly the problems of the single-machine county-by-county check, in the same order."""
    from jingzhun.policy.engine import month_end, parse_month
    from jingzhun.scale import county_runs, spark_month

    h_dir, p_dir = province(tmp_path / "in", 40, 9, counties=("141102", "141123", "141130"))
    first_h = pl.read_parquet(h_dir / "region=141102" / "part-0.parquet")
    first_p = pl.read_parquet(p_dir / "region=141102" / "part-0.parquet")
    # two households and a person of 141102 copied into other counties (ids repeated across counties)
    for code, extra_h, extra_p in (("141123", first_h.head(2), None), ("141130", None, first_p.head(1))):
        if extra_h is not None:
            path = h_dir / f"region={code}" / "part-0.parquet"
            pl.concat([pl.read_parquet(path), extra_h], how="vertical_relaxed").write_parquet(path)
        if extra_p is not None:
            path = p_dir / f"region={code}" / "part-0.parquet"
            pl.concat([pl.read_parquet(path), extra_p], how="vertical_relaxed").write_parquet(path)
    want = county_runs.check_counties(h_dir, p_dir, month_end(parse_month("2020-06")), []).problems
    run = spark_month.run(h_dir, p_dir, "2020-06", tmp_path / "lines", load_parameters(), master="local[2]")
    assert any("户编号跨县重复 2 个" in m for m in want) and any("人员编号跨县重复 1 个" in m for m in want), want
    assert run.problems == want
    assert not (tmp_path / "lines").exists()
