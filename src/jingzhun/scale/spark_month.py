"""``jingzhun entitle --engine spark``: the month run on Apache Spark, through the same Polars rules.

Households and persons are read as county-partitioned Parquet datasets (:mod:`jingzhun.scale.datasets`)
and co-grouped by county; each county's two frames reach a Python worker as Arrow tables (Spark's
Arrow-native ``cogroup().applyInArrow``), become Polars frames without a copy, and go through exactly the
function the single-machine path calls — ``schema.check_frames`` to check, ``compute_batch_with_errors``
to compute. There is no third encoding of the rules. Parameters, CPI and history are broadcast.

Like the single-machine path, nothing is written unless the whole input is valid: the check job runs
first (per county, plus the cross-county id checks as Spark aggregations); its problems go to the Parquet
dataset ``OUT.problems`` and the command exits 2. Then the lines go to ``OUT/region=<code>/`` and the
households with a missing parameter to ``OUT.errors/region=<code>/``. Line order inside a county follows
the single-machine path; Spark writes counties in any order.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jingzhun.scale import datasets

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from jingzhun.policy.params import ParameterTree

PROBLEM_SCHEMA = "region string, message string"
RESULT_SCHEMA = "region string, household_id string, program string, member_id string, amount_fen long, message string"
DEFAULT_MASTER = "local[*]"


def session(master: str | None = None, *, app: str = "jingzhun") -> SparkSession:
    """A Spark session whose Python workers run this interpreter (so they import this jingzhun and Polars);
    partition values stay strings (``region=141102`` is a code, not a number); splink's UDF jar loaded; no
    web UI. One session serves month runs and cross-checks (``getOrCreate``)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from jingzhun.crosscheck.spark import splink_jar

    builder = (
        SparkSession.builder.master(master or os.environ.get("JINGZHUN_SPARK_MASTER", DEFAULT_MASTER))
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config(
            "spark.sql.shuffle.partitions", os.environ.get("JINGZHUN_SPARK_PARTITIONS", str(2 * (os.cpu_count() or 2)))
        )
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", os.environ.get("JINGZHUN_SPARK_DRIVER_MEMORY", "4g"))
    )
    jar = splink_jar()  # splink's string-similarity UDFs (jaro_winkler …) for 数据比对 on Spark
    if jar:
        builder = builder.config("spark.jars", jar)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _read(spark: SparkSession, path: Path) -> DataFrame:
    """A dataset directory (``region=`` partitions) or one Parquet file (its ``region`` column, persons: none)."""
    return spark.read.parquet(str(path))


def _polars(table: pa.Table) -> Any:
    import polars as pl

    return pl.from_arrow(table)


def _arrow(frame: Any, schema: pa.Schema) -> pa.Table:
    """A Polars frame as an Arrow table of exactly ``schema`` (Polars writes large strings; Spark wants utf8)."""
    return frame.to_arrow().select(schema.names).cast(schema)


def _key(table: pa.Table, fallback: pa.Table) -> str:
    for t in (table, fallback):
        if t.num_rows and "region" in t.column_names:
            return str(t.column("region")[0].as_py())
    return ""


@dataclass(frozen=True)
class SparkRun:
    households: int
    persons: int
    lines: int
    failed_households: int
    problems: list[str]


def check(spark: SparkSession, households: DataFrame, persons: DataFrame, month_end: Any) -> list[str]:
    """Every problem: per county through ``check_frames`` (on the workers), then ids unique across counties."""
    import polars as pl
    import pyarrow as pa
    from pyspark.sql import functions as F

    out_schema = pa.schema([("region", pa.string()), ("message", pa.string())])
    size = spark.sparkContext.broadcast(_max_size())

    def check_county(h: pa.Table, p: pa.Table) -> pa.Table:
        from jingzhun.policy.schema import check_frames

        county = _key(h, p)
        hf, pf = _polars(h), _polars(p)
        if "region" in pf.columns:
            pf = pf.drop("region")
        if hf.is_empty():
            messages = ["户文件中没有该县分区，但人员文件中有"]
        else:
            messages = check_frames(hf, pf, month_end, max_size=size.value)
        frame = pl.DataFrame(
            {"region": [county] * len(messages), "message": messages},
            schema={"region": pl.String, "message": pl.String},
        )
        return _arrow(frame, out_schema)

    grouped = households.groupBy("region").cogroup(persons.groupBy("region")).applyInArrow(check_county, PROBLEM_SCHEMA)
    rows = [f"[{r['region']}] {r['message']}" for r in grouped.orderBy("region").collect()]
    # ids unique across counties (each county's check sees only its own): one aggregation for both files
    ids = [
        frame.select(F.lit(label).alias("kind"), F.col("id").cast("string").alias("id"))
        for frame, label in ((households, "户"), (persons, "人员"))
        if "id" in frame.columns
    ]
    if ids:
        union = ids[0] if len(ids) == 1 else ids[0].unionByName(ids[1])
        dups = (
            union.groupBy("kind", "id")
            .count()
            .where(F.col("count") > 1)
            .groupBy("kind")
            .agg(F.count("*").alias("n"), F.slice(F.sort_array(F.collect_list("id")), 1, 5).alias("sample"))
        )
        for r in sorted(dups.collect(), key=lambda r: r["kind"] != "户"):
            rows.append(f"{r['kind']}编号跨县重复 {r['n']} 个（如 {', '.join(r['sample'])}）")
    return rows


def _max_size() -> int:
    from jingzhun.policy.schema import max_household_size

    return max_household_size()


def history_members(persons: DataFrame, keys: list[str]) -> list[str]:
    """Which of the history file's person ids exist (a filter on the cluster; only those ids come back)."""
    from pyspark.sql import functions as F

    if not keys or "id" not in persons.columns:
        return []
    return [r["id"] for r in persons.where(F.col("id").isin(keys)).select("id").collect()]


def compute(
    spark: SparkSession,
    households: DataFrame,
    persons: DataFrame,
    month: str,
    params: ParameterTree,
    *,
    cpi: dict[str, Any] | None,
    history: dict[str, Any] | None,
) -> DataFrame:
    """Lines and missing-parameter messages of every county in one frame (RESULT_SCHEMA; message null on lines)."""
    import polars as pl
    import pyarrow as pa

    shared = spark.sparkContext.broadcast((params, cpi, history, month))
    result_schema = pa.schema(
        [
            ("region", pa.string()),
            ("household_id", pa.string()),
            ("program", pa.string()),
            ("member_id", pa.string()),
            ("amount_fen", pa.int64()),
            ("message", pa.string()),
        ]
    )

    def compute_county(h: pa.Table, p: pa.Table) -> pa.Table:
        from jingzhun.policy.engine_batch import compute_batch_with_errors

        tree, cpi_values, history_values, the_month = shared.value
        county = _key(h, p)
        hf, pf = _polars(h), _polars(p)
        if "region" in pf.columns:
            pf = pf.drop("region")
        result = compute_batch_with_errors(hf, pf, the_month, params=tree, cpi=cpi_values, history=history_values)
        lines = result.lines.with_columns(region=pl.lit(county), message=pl.lit(None, pl.String))
        errors = result.errors.select(
            pl.lit(county).alias("region"),
            pl.col("household_id"),
            pl.lit(None, pl.String).alias("program"),
            pl.lit(None, pl.String).alias("member_id"),
            pl.lit(None, pl.Int64).alias("amount_fen"),
            pl.col("message").cast(pl.String),
        )
        return _arrow(pl.concat([lines.select(result_schema.names), errors], how="vertical_relaxed"), result_schema)

    return households.groupBy("region").cogroup(persons.groupBy("region")).applyInArrow(compute_county, RESULT_SCHEMA)


def run(
    households_path: Path,
    persons_path: Path,
    month: str,
    out: Path,
    params: ParameterTree,
    *,
    cpi_path: Path | None = None,
    history_path: Path | None = None,
    master: str | None = None,
) -> SparkRun:
    """Check, then compute and write (see the module docstring). Problems are returned and written to
    ``OUT.problems``; when there are any, no lines are written."""
    import polars as pl
    from pyspark.sql import functions as F

    from jingzhun.policy.engine import month_end, parse_month
    from jingzhun.policy.schema import read_side
    from jingzhun.scale.county_runs import history_keys

    problems_path = datasets.sibling(out, ".problems")
    errors_path = datasets.sibling(out, ".errors")
    for root in (out, problems_path, errors_path):
        if root.exists():
            shutil.rmtree(root)
    spark = session(master)
    households = _read(spark, households_path)
    persons = _read(spark, persons_path)
    problems = check(spark, households, persons, month_end(parse_month(month)))
    members = pl.Series("id", history_members(persons, history_keys(history_path)), dtype=pl.String)
    cpi_values, history_values, side_errors = read_side(cpi_path, history_path, members)
    problems += side_errors
    n_h, n_p = households.count(), persons.count()
    if problems:
        spark.createDataFrame([(m,) for m in problems], "message string").coalesce(1).write.parquet(str(problems_path))
        return SparkRun(n_h, n_p, 0, 0, problems)
    result = compute(spark, households, persons, month, params, cpi=cpi_values or None, history=history_values or None)
    result = result.persist()
    try:
        lines = result.where(F.col("message").isNull()).drop("message")
        errors = result.where(F.col("message").isNotNull()).select("region", "household_id", "message")
        lines.write.partitionBy("region").parquet(str(out))
        n_lines = spark.read.parquet(str(out)).count()
        n_failed = errors.select("household_id").distinct().count()
        if n_failed:
            errors.write.partitionBy("region").parquet(str(errors_path))
    finally:
        result.unpersist()
    return SparkRun(n_h, n_p, n_lines, n_failed, [])
