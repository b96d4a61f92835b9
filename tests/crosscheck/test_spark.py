"""数据比对 on Spark (local[2]): the exact join and splink's Spark backend give the DuckDB path's hits."""

from __future__ import annotations

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
