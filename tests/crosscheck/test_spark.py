"""数据比对 on Spark (local[2]): the exact join and splink's Spark backend give the DuckDB path's hits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from jingzhun.crosscheck import link
from jingzhun.crosscheck.frames import rows_from_list
from jingzhun.crosscheck.quality import confusion
from jingzhun.synth.departments import department_lists

pytest.importorskip("pyspark")  # installed by `make test` (uv sync --group spark); CI fails on a skip

pytestmark = pytest.mark.slow


def test_spark_gives_the_duckdb_hits_on_the_synthetic_truth(
    spark: Any, households: pl.DataFrame, registry: pl.DataFrame
) -> None:
    lists = department_lists(households, 60, seed=11)
    rows = pl.concat([rows_from_list(table, source) for source, table in lists.lists.items()])
    on_duckdb = link(registry, rows)
    on_spark = link(registry, rows, spark=spark)
    assert on_spark.stats["fuzzy_pairs"] == on_duckdb.stats["fuzzy_pairs"] > 100
    assert on_spark.stats["comparisons_by_rule"] == on_duckdb.stats["comparisons_by_rule"]
    keys = ["source", "row"]
    assert (
        on_spark.hits.drop("weight", "match_weight")
        .sort(keys)
        .equals(on_duckdb.hits.drop("weight", "match_weight").sort(keys))
    )
    diff = (
        on_spark.hits.sort(keys).select("weight", "match_weight")
        - on_duckdb.hits.sort(keys).select("weight", "match_weight")
    ).select(pl.all().abs().fill_null(0).max())
    assert diff.row(0)[0] < 1e-9 and diff.row(0)[1] < 1e-6
    assert on_spark.flagged.drop("weight").equals(on_duckdb.flagged.drop("weight"))
    quality = confusion(on_spark, rows, lists.truth)
    assert quality["exact"]["precision"] == quality["exact"]["recall"] == 1.0
    assert quality["fuzzy"]["tp"] > 50


def test_the_model_is_carried_to_spark_sql() -> None:
    from jingzhun.crosscheck.fuzzy import settings
    from jingzhun.crosscheck.spark import to_spark_model

    model = to_spark_model(settings())
    conditions = [lv["sql_condition"] for c in model["comparisons"] for lv in c["comparison_levels"]]
    assert model["sql_dialect"] == "spark"
    assert any("jaro_winkler(`name_py_l`, `name_py_r`) >= 0.9" in c for c in conditions), conditions
    assert not any('"' in c for c in conditions)  # Spark reads "x" as a string, not a column


def _polars(frame: Any) -> pl.DataFrame:
    out = pl.from_arrow(frame.toArrow())
    assert isinstance(out, pl.DataFrame)
    return out


def test_the_whole_linkage_on_spark_frames_gives_the_duckdb_hits(
    spark: Any, households: pl.DataFrame, registry: pl.DataFrame, tmp_path: Path
) -> None:
    """Parquet in, Spark frames out: ID normalisation, name keys, the exact join, prediction and choosing
    run on the cluster (Arrow batches of 500 rows, so the Polars functions see the data piece by piece)."""
    from jingzhun.crosscheck.spark import link_frames

    lists = department_lists(households, 60, seed=11)
    rows = pl.concat([rows_from_list(table, source) for source, table in lists.lists.items()])
    # a number two persons share (flagged duplicate_id on both engines) and a row with a blank name
    shared = registry.with_columns(
        pl.when(pl.int_range(pl.len()) == 7)
        .then(pl.lit(registry["id_number"][3]))
        .otherwise(pl.col("id_number"))
        .alias("id_number")
    )
    extra = rows.head(1).with_columns(
        row=pl.lit(9999, pl.Int64), id_number=pl.lit(registry["id_number"][3]), name=pl.lit("某某")
    )
    rows = pl.concat(
        [rows, extra, rows.head(1).with_columns(row=pl.lit(10000, pl.Int64), id_number=None, name=pl.lit(" "))]
    )
    shared.write_parquet(tmp_path / "persons.parquet", row_group_size=1000)
    rows.write_parquet(tmp_path / "rows.parquet", row_group_size=200)
    on_duckdb = link(shared, rows)
    persons_frame = spark.read.parquet(str(tmp_path / "persons.parquet"))
    rows_frame = spark.read.parquet(str(tmp_path / "rows.parquet"))
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "500")
    try:
        linked = link_frames(spark, persons_frame, rows_frame)
        hits, flagged = _polars(linked.hits), _polars(linked.flagged)
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    keys = ["source", "row"]
    hits = hits.sort(keys)
    expected = on_duckdb.hits.sort(keys)
    assert hits.height == expected.height > 100
    assert hits.drop("weight", "match_weight").equals(expected.drop("weight", "match_weight"))
    diff = (hits.select("weight", "match_weight") - expected.select("weight", "match_weight")).select(
        pl.all().abs().fill_null(0).max()
    )
    assert diff.row(0)[0] < 1e-9 and diff.row(0)[1] < 1e-6
    flagged = flagged.sort(keys)
    assert flagged.drop("weight").equals(on_duckdb.flagged.drop("weight").sort(keys))
    assert "duplicate_id" in flagged["reason"].to_list()
    for key in ("rows", "persons", "rows_with_usable_id", "rows_without_usable_id", "exact_hits", "fuzzy_hits"):
        assert linked.stats[key] == on_duckdb.stats[key], key
    assert linked.stats["comparisons_by_rule"] == on_duckdb.stats["comparisons_by_rule"]


def test_positions_number_rows_in_order_across_partitions(spark: Any) -> None:
    from jingzhun.crosscheck.spark import positions

    frame = spark.range(0, 1000, numPartitions=3).selectExpr("id * 7 AS value")
    numbered = _polars(positions(frame).select("uid", "value"))
    assert numbered.sort("uid")["uid"].to_list() == list(range(1000))
    assert (numbered.sort("uid")["value"] == pl.Series(range(0, 7000, 7))).all()


def test_an_empty_registry_gives_no_hits_on_spark(spark: Any, registry: pl.DataFrame) -> None:
    from tests.crosscheck.conftest import as_list_row, list_rows

    person = registry.row(0, named=True)
    rows = list_rows(as_list_row(person), as_list_row(person, id_number=None))
    linked = link(registry.clear(), rows, spark=spark)
    assert linked.hits.is_empty() and linked.flagged.is_empty()
    assert linked.stats["rows"] == 2 and linked.stats["rows_without_usable_id"] == 1
    assert linked.hits.schema["person_id"] == registry.schema["id"]
