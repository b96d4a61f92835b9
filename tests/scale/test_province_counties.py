"""A synthetic 山西 of 117 county partitions, each taking the rules of one of 吕梁's 13 parameterised counties
(``rules_region``): both scale engines give every partition the lines its households get in that county."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from jingzhun.cli import app
from jingzhun.policy import regions
from jingzhun.policy.engine_batch import compute_batch_with_errors
from jingzhun.policy.params import load_parameters
from jingzhun.scale import datasets
from jingzhun.synth.batch_frames import province_counties, write_province
from tests.scale.conftest import CPI, SORT

runner = CliRunner()
# two synthetic counties (太原, 大同) and one of 吕梁's own
CODES = ("140151", "140252", "141102")


def test_the_province_has_117_counties_each_with_a_parameterised_countys_rules() -> None:
    mapping = province_counties()
    assert len(mapping) == 117
    assert len({code[:4] for code in mapping}) == 11  # 山西's 11 cities
    assert set(mapping.values()) == set(regions.COUNTIES)  # every parameterised county's rules are used
    for code, rules in mapping.items():
        if code.startswith("1411"):
            assert rules == code and code in regions.COUNTIES
        else:
            assert code not in regions.NAMES and rules in regions.COUNTIES
    assert mapping["140151"] == regions.COUNTIES[0] and mapping["140252"] == regions.COUNTIES[11]


def test_synth_province_writes_117_partitions_with_their_rules(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--province", "351", "--out", str(tmp_path), "--seed", "3"])
    assert result.exit_code == 0, result.stderr
    assert "117 个县分区" in result.stdout
    mapping = province_counties()
    codes = datasets.counties(tmp_path / "households")
    assert codes == sorted(mapping) == datasets.counties(tmp_path / "persons")
    ids = []
    for code in codes:
        h = datasets.read_county(tmp_path / "households", code, keep_region=True)
        assert h.height == 3 and set(h["rules_region"]) == {mapping[code]} and set(h["region"]) == {code}
        ids += h["id"].to_list()
    assert len(set(ids)) == 351


def test_an_unknown_county_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="未知县级区划代码: 149999"):
        write_province(tmp_path, 10, 1, counties=["141102", "149999"])
    assert not (tmp_path / "households").exists()


def _expected(h_dir: Path, p_dir: Path, code: str, month: str) -> pl.DataFrame:
    """The partition's households computed as households of the county whose rules they take."""
    h = datasets.read_county(h_dir, code, keep_region=True)
    rules = h["rules_region"][0]
    h = h.drop("rules_region").with_columns(pl.lit(rules).alias("region"))
    p = datasets.read_county(p_dir, code, keep_region=False)
    result = compute_batch_with_errors(h, p, month, params=load_parameters(), cpi=CPI, history={})
    assert result.errors.is_empty()
    return result.lines.select(*SORT, "amount_fen").sort(SORT, nulls_last=True)


def test_the_polars_engine_gives_each_partition_its_rules_countys_lines(tmp_path: Path) -> None:
    write_province(tmp_path / "in", 900, 5, counties=list(CODES))
    h_dir, p_dir = tmp_path / "in" / "households", tmp_path / "in" / "persons"
    cpi = tmp_path / "cpi.json"
    cpi.write_text('{"2020-06": {"all": "2.5", "food": "11.1"}}', encoding="utf-8")
    out = tmp_path / "lines"
    result = runner.invoke(
        app,
        ["entitle", "--households", str(h_dir), "--persons", str(p_dir), "--month", "2020-06", "--out", str(out),
         "--cpi", str(cpi)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"region={c}" for c in CODES]
    assert not datasets.sibling(out, ".errors").exists()  # no 无参数: every partition found its rules
    for code in CODES:
        got = pl.concat([pl.read_parquet(f) for f in sorted((out / f"region={code}").glob("*.parquet"))])
        got = got.select(*SORT, "amount_fen").sort(SORT, nulls_last=True)
        want = _expected(h_dir, p_dir, code, "2020-06")
        assert want.height > 100
        assert got.equals(want), code


@pytest.mark.slow
def test_spark_gives_each_partition_its_rules_countys_lines(spark: Any, tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    from jingzhun.scale.spark_month import compute

    write_province(tmp_path, 900, 5, counties=list(CODES))
    h_dir, p_dir = tmp_path / "households", tmp_path / "persons"
    result = compute(
        spark,
        spark.read.parquet(str(h_dir)),
        spark.read.parquet(str(p_dir)),
        "2020-06",
        load_parameters(),
        cpi=CPI,
        history={},
    )
    got = pl.DataFrame(
        [r.asDict() for r in result.collect()],
        schema=dict.fromkeys(result.columns, pl.String) | {"amount_fen": pl.Int64},
    )
    assert got.filter(pl.col("message").is_not_null()).is_empty()  # no 无参数
    assert set(got["region"]) == set(CODES)  # the lines keep their partition's code
    for code in CODES:
        lines = got.filter(pl.col("region") == code).select(*SORT, "amount_fen").sort(SORT, nulls_last=True)
        assert lines.equals(_expected(h_dir, p_dir, code, "2020-06")), code
