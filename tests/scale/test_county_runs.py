"""`jingzhun entitle --households DIR --persons DIR --out DIR`: the Polars engine county by county."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.scale import datasets
from tests.scale.conftest import expected, history_for, read_lines, side_files, whole

runner = CliRunner()


def entitle(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["entitle", *args])
    return result.exit_code, result.stderr


def test_county_by_county_gives_the_lines_of_the_whole_province_at_once(
    small_province: tuple[Path, Path], tmp_path: Path
) -> None:
    h_dir, p_dir = small_province
    h, p = whole(h_dir, p_dir)
    history = history_for(p)
    cpi, hist = side_files(tmp_path, history)
    out = tmp_path / "lines"
    code, err = entitle(
        "--households", str(h_dir), "--persons", str(p_dir), "--month", "2020-06", "--out", str(out),
        "--cpi", str(cpi), "--history", str(hist),
    )  # fmt: skip
    assert code == 0, err
    assert "[polars] 1200 households" in err and "in 3 counties" in err
    lines, _ = expected(h, p, "2020-06", cpi={"2020-06": {"all": "2.5", "food": "11.1"}}, history=history)
    got = read_lines(out)
    assert got.height > 300  # the province pays: 低保, 特困, allowances, 价格临时补贴 …
    assert got.equals(lines.select(got.columns))
    assert set(got["program"]) >= {"price_subsidy"}  # the CPI reached every county
    assert sorted(p.name for p in out.iterdir()) == ["region=141102", "region=141123", "region=141130"]


def test_a_bad_county_stops_the_run_before_anything_is_written(
    small_province: tuple[Path, Path], tmp_path: Path
) -> None:
    h_dir, p_dir = small_province
    # a household of 兴县 copied into 交口县's partition: its id repeats across counties, and its region disagrees
    xing = (
        datasets.read_county(h_dir, "141123", keep_region=True).head(1).with_columns(pl.lit("141130").alias("region"))
    )
    jiaokou = datasets.read_county(h_dir, "141130", keep_region=True)
    bad = pl.concat([jiaokou, xing.with_columns(pl.lit(-5, pl.Int64).alias("annual_income_fen"))])
    datasets.write_county(bad.drop("region"), h_dir, "141130")
    out = tmp_path / "lines"
    code, err = entitle(
        "--households", str(h_dir), "--persons", str(p_dir), "--month", "2020-06", "--out", str(out)
    )  # fmt: skip
    assert code == 2
    assert "[141130]" in err and "金额不得为负数" in err
    assert "户编号跨县重复 1 个" in err
    assert not out.exists()


def test_engine_and_master_are_checked(small_province: tuple[Path, Path], tmp_path: Path) -> None:
    h_dir, p_dir = small_province
    base = ["--households", str(h_dir), "--persons", str(p_dir), "--month", "2020-06", "--out", str(tmp_path / "o")]
    code, err = entitle(*base, "--engine", "hadoop")
    assert code == 2 and "计算引擎 [--engine] 须为 polars | spark" in err
    code, err = entitle(*base, "--master", "local[2]")
    assert code == 2 and "--master 需要 --engine spark" in err


def test_synth_province_writes_the_partitioned_dataset_the_engines_read(tmp_path: Path) -> None:
    out = tmp_path / "province"
    result = runner.invoke(app, ["synth", "--province", "2340", "--seed", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    codes = datasets.counties(out / "households")
    assert len(codes) == 117 and codes == datasets.counties(out / "persons")
    h = pl.concat([datasets.read_county(out / "households", c, keep_region=True) for c in codes])
    assert h.height == 2340 and h["id"].n_unique() == 2340
    assert h.group_by("region").len()["len"].to_list() == [20] * 117
    code, err = entitle(
        "--households", str(out / "households"), "--persons", str(out / "persons"), "--month", "2020-06",
        "--out", str(tmp_path / "lines"),
    )  # fmt: skip
    assert code == 0, err
    assert "2340 households" in err and "in 117 counties" in err
