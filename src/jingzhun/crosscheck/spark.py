"""数据比对 on Apache Spark (issue #18): the exact-ID join as a Spark join and splink's prediction on its Spark
backend, with the **same settings and trained parameters** as the DuckDB path.

Training stays where it is cheap and deterministic — on DuckDB, over the rows without a usable ID (EM sees
the blocked pairs, a few hundred thousand at most); the trained model (splink's JSON) is then carried to
Spark: each comparison level's SQL is transpiled from DuckDB's dialect to Spark's with sqlglot (quoted
identifiers become back-quoted; ``jaro_winkler_similarity`` becomes the ``jaro_winkler`` UDF of the jar
that ships with splink, registered on the session), and the same blocking rules generate the candidate
pairs on the cluster. Choosing one person per row, ties and the binding village stay in
:mod:`jingzhun.crosscheck.link` (Polars on the driver, over the scored pairs only), so both engines give
the same hits.

Pure: no Django. ``pyspark`` comes from the ``spark`` dependency group.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from typing import Any

import polars as pl

Predict = Callable[[dict[str, Any], pl.DataFrame, pl.DataFrame], pl.DataFrame]


def splink_jar() -> str | None:
    """The string-similarity UDF jar that ships with splink (for ``spark.jars``), if splink is installed."""
    try:
        from splink.backends.spark import similarity_jar_location
    except ImportError:  # pragma: no cover - splink is a main dependency
        return None
    return str(similarity_jar_location())


def to_spark_model(model: dict[str, Any]) -> dict[str, Any]:
    """A splink model trained on DuckDB, with every SQL condition in Spark's dialect."""
    import sqlglot

    out = copy.deepcopy(model)
    out["sql_dialect"] = "spark"

    def spark_sql(sql: str) -> str:
        if sql.strip().upper() == "ELSE":
            return sql
        text = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        return re.sub(r"JARO_?WINKLER_SIMILARITY\(", "jaro_winkler(", text, flags=re.IGNORECASE)

    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_sql(level["sql_condition"])
    rules = out.get("blocking_rules_to_generate_predictions", [])
    out["blocking_rules_to_generate_predictions"] = [
        {**r, "blocking_rule": spark_sql(r["blocking_rule"])} if isinstance(r, dict) else spark_sql(r) for r in rules
    ]
    return out


def _spark_frame(spark: Any, frame: pl.DataFrame) -> Any:
    import pyarrow as pa

    table = frame.to_arrow()
    schema = pa.schema(
        [
            pa.field(f.name, pa.string() if pa.types.is_large_string(f.type) else f.type, nullable=True)
            for f in table.schema
        ]
    )
    return spark.createDataFrame(table.cast(schema))


def predictor(spark: Any) -> Predict:
    """A ``fuzzy.score`` predictor that scores the blocked pairs on ``spark`` with the trained model."""

    def predict(model: dict[str, Any], rows: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
        from splink import Linker, SparkAPI

        logging.getLogger("splink").setLevel(logging.ERROR)
        db = SparkAPI(spark_session=spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]
        left = db.register(_spark_frame(spark, rows), dataset_display_name="rows")
        right = db.register(_spark_frame(spark, persons), dataset_display_name="persons")
        linker = Linker([left, right], to_spark_model(model), log_level=logging.ERROR)
        table = pl.from_arrow(linker.inference.predict().as_pyarrow_table())  # type: ignore[no-untyped-call]
        assert isinstance(table, pl.DataFrame)
        return table

    return predict


def exact_hits(spark: Any, rows: pl.DataFrame, persons: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`jingzhun.crosscheck.link.exact_hits` as a Spark join: rows with a usable ID joined to persons on
    the 18-digit number; a number several persons share is flagged, not matched. Same frames out."""
    from pyspark.sql import functions as F

    from jingzhun.crosscheck.link import exact_hits as polars_exact_hits

    with_id = rows.filter(pl.col("id18").is_not_null()).select("uid", "id18")
    left = _spark_frame(spark, with_id)
    right = _spark_frame(spark, persons.select(pl.col("uid").alias("person_uid"), "id18"))
    joined = left.join(right, on="id18", how="inner")
    matched = joined.groupBy("uid").agg(F.count("*").alias("n"), F.collect_list("person_uid").alias("person_uids"))
    found = pl.from_arrow(matched.toArrow())
    assert isinstance(found, pl.DataFrame)
    # only the persons some row named come back to the driver; the shaping is the Polars path's own code
    named = found.explode("person_uids", empty_as_null=True)["person_uids"].unique()
    uids = found["uid"]
    return polars_exact_hits(
        rows.filter(pl.col("uid").is_in(uids.implode())), persons.filter(pl.col("uid").is_in(named.implode()))
    )
