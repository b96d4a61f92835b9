"""``jingzhun entitle --engine spark``: the month run on Apache Spark, through the same Polars rules.

Households and persons are read as county-partitioned Parquet datasets (:mod:`jingzhun.scale.datasets`)
and co-grouped by county; each county's two frames reach a Python worker as Arrow tables (Spark's
Arrow-native ``cogroup().applyInArrow``), become Polars frames without a copy, and go through exactly the
function the single-machine path calls — ``schema.check_frames`` to check, ``compute_batch_with_errors``
to compute. There is no third encoding of the rules. Parameters, CPI and history are broadcast.

Like the single-machine path, nothing is written unless the whole input is valid. :func:`run` makes one
co-grouped pass (one shuffle of the two files): each county is checked and, when it has no problem,
computed in the same Python call; the pass's output (problems, lines, missing-parameter messages) is
persisted. Ids unique across counties are checked beside it by one aggregation over 8-byte hashes. When
anything is wrong, the problems go to the Parquet dataset ``OUT.problems`` and the command exits 2;
otherwise the lines go to ``OUT/region=<code>/`` and the households with a missing parameter to
``OUT.errors/region=<code>/``, both from the persisted pass. Line order inside a county follows the
single-machine path; Spark writes counties in any order.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
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
PASS_SCHEMA = f"kind string, seq int, {RESULT_SCHEMA}"  # kind: problem | line | error
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

    out_schema = pa.schema([("region", pa.string()), ("message", pa.string())])
    size = spark.sparkContext.broadcast(_max_size())

    def check_county(h: pa.Table, p: pa.Table) -> pa.Table:
        from jingzhun.policy.schema import check_frames

        county = _key(h, p)
        hf, pf = datasets.with_rules_region(_polars(h)), _polars(p)
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
    return rows + cross_county_ids(households, persons)


def cross_county_ids(households: DataFrame, persons: DataFrame) -> list[str]:
    """Ids unique across counties (each county's check sees only its own), as the single-machine path
    checks them: one aggregation over 8-byte hashes of both files' ids (``xxhash64``; no strings
    shuffled), then only the few ids whose hash repeats are compared as strings."""
    from pyspark.sql import functions as F

    labels = ("户", "人员")
    keyed = [
        frame.select(F.lit(i).cast("byte").alias("kind"), F.col("id").cast("string").alias("id"))
        for i, frame in enumerate((households, persons))
        if "id" in frame.columns
    ]
    if not keyed:
        return []
    union = keyed[0] if len(keyed) == 1 else keyed[0].unionByName(keyed[1])
    hashed = union.select("kind", F.xxhash64("id").alias("h"), "id")
    suspects = hashed.groupBy("kind", "h").count().where(F.col("count") > 1).select("kind", "h").persist()
    try:
        if suspects.isEmpty():
            return []
        repeated = hashed.join(F.broadcast(suspects), on=["kind", "h"], how="left_semi")
        dups = (
            repeated.groupBy("kind", "id")
            .count()
            .where(F.col("count") > 1)
            .groupBy("kind")
            .agg(F.count("*").alias("n"), F.slice(F.sort_array(F.collect_list("id")), 1, 5).alias("sample"))
            .collect()
        )
    finally:
        suspects.unpersist()
    return [
        f"{labels[r['kind']]}编号跨县重复 {r['n']} 个（如 {', '.join(r['sample'])}）"
        for r in sorted(dups, key=lambda r: r["kind"])
    ]


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
        county = _key(h, p)
        hf, pf = datasets.with_rules_region(_polars(h)), _polars(p)
        if "region" in pf.columns:
            pf = pf.drop("region")
        return _arrow(_county_result(county, hf, pf, shared.value), result_schema)

    return households.groupBy("region").cogroup(persons.groupBy("region")).applyInArrow(compute_county, RESULT_SCHEMA)


def _county_result(county: str, hf: Any, pf: Any, shared: tuple[Any, ...]) -> Any:
    """One county's lines and missing-parameter messages (RESULT_SCHEMA columns) as a Polars frame."""
    import polars as pl

    from jingzhun.policy.engine_batch import compute_batch_with_errors

    tree, cpi_values, history_values, the_month = shared
    result = compute_batch_with_errors(hf, pf, the_month, params=tree, cpi=cpi_values, history=history_values)
    names = ["region", "household_id", "program", "member_id", "amount_fen", "message"]
    lines = result.lines.with_columns(region=pl.lit(county), message=pl.lit(None, pl.String))
    errors = result.errors.select(
        pl.lit(county).alias("region"),
        pl.col("household_id"),
        pl.lit(None, pl.String).alias("program"),
        pl.lit(None, pl.String).alias("member_id"),
        pl.lit(None, pl.Int64).alias("amount_fen"),
        pl.col("message").cast(pl.String),
    )
    return pl.concat([lines.select(names), errors], how="vertical_relaxed")


def month_pass(
    spark: SparkSession,
    households: DataFrame,
    persons: DataFrame,
    month: str,
    params: ParameterTree,
    *,
    cpi: dict[str, Any] | None,
    history: dict[str, Any] | None,
    compute_lines: bool = True,
) -> DataFrame:
    """Check and compute in one co-grouped pass (PASS_SCHEMA): a county with problems gives its problems
    (``kind`` problem, ``seq`` their order) and no lines; a clean county its lines and missing-parameter
    messages (``kind`` line | error). ``compute_lines=False``: problems only (the side files are wrong)."""
    import polars as pl
    import pyarrow as pa

    from jingzhun.policy.engine import month_end, parse_month

    shared = spark.sparkContext.broadcast((params, cpi, history, month))
    limits = spark.sparkContext.broadcast((_max_size(), month_end(parse_month(month)), compute_lines))
    pass_schema = pa.schema(
        [
            ("kind", pa.string()),
            ("seq", pa.int32()),
            ("region", pa.string()),
            ("household_id", pa.string()),
            ("program", pa.string()),
            ("member_id", pa.string()),
            ("amount_fen", pa.int64()),
            ("message", pa.string()),
        ]
    )

    def county_pass(h: pa.Table, p: pa.Table) -> pa.Table:
        from jingzhun.policy.schema import check_frames

        max_size, end, compute_them = limits.value
        county = _key(h, p)
        hf, pf = datasets.with_rules_region(_polars(h)), _polars(p)
        if "region" in pf.columns:
            pf = pf.drop("region")
        if hf.is_empty():
            messages = ["户文件中没有该县分区，但人员文件中有"]
        else:
            messages = check_frames(hf, pf, end, max_size=max_size)
        if messages or not compute_them:
            frame = pl.DataFrame(
                {
                    "kind": ["problem"] * len(messages),
                    "seq": list(range(len(messages))),
                    "region": [county] * len(messages),
                    "message": messages,
                },
                schema={"kind": pl.String, "seq": pl.Int32, "region": pl.String, "message": pl.String},
            )
            return _arrow(frame.with_columns(*(pl.lit(None).alias(c) for c in pass_schema.names[3:7])), pass_schema)
        result = _county_result(county, hf, pf, shared.value).with_columns(
            kind=pl.when(pl.col("message").is_null()).then(pl.lit("line")).otherwise(pl.lit("error")),
            seq=pl.lit(None, pl.Int32),
        )
        return _arrow(result, pass_schema)

    return households.groupBy("region").cogroup(persons.groupBy("region")).applyInArrow(county_pass, PASS_SCHEMA)


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
    seconds: dict[str, float] | None = None,
) -> SparkRun:
    """Check and compute in one pass, then write (see the module docstring). Problems are returned and
    written to ``OUT.problems``; when there are any, no lines are written. ``seconds`` (when given) receives
    the time of each stage."""
    import polars as pl
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from jingzhun.policy.schema import read_side
    from jingzhun.scale.county_runs import history_keys

    seconds = {} if seconds is None else seconds
    problems_path = datasets.sibling(out, ".problems")
    errors_path = datasets.sibling(out, ".errors")
    for root in (out, problems_path, errors_path):
        if root.exists():
            shutil.rmtree(root)
    spark = session(master)
    households = _read(spark, households_path)
    persons = _read(spark, persons_path)
    members = pl.Series("id", history_members(persons, history_keys(history_path)), dtype=pl.String)
    cpi_values, history_values, side_errors = read_side(cpi_path, history_path, members)
    started = time.perf_counter()
    passed = month_pass(
        spark,
        households,
        persons,
        month,
        params,
        cpi=cpi_values or None,
        history=history_values or None,
        compute_lines=not side_errors,
    ).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        found = passed.where(F.col("kind") == "problem").select("region", "seq", "message").collect()
        seconds["county_pass"] = time.perf_counter() - started
        started = time.perf_counter()
        problems = [f"[{r['region']}] {r['message']}" for r in sorted(found, key=lambda r: (r["region"], r["seq"]))]
        problems += cross_county_ids(households, persons)
        problems += side_errors
        seconds["cross_county_ids"] = time.perf_counter() - started
        n_h, n_p = households.count(), persons.count()
        if problems:
            spark.createDataFrame([(m,) for m in problems], "message string").coalesce(1).write.parquet(
                str(problems_path)
            )
            return SparkRun(n_h, n_p, 0, 0, problems)
        started = time.perf_counter()
        lines = passed.where(F.col("kind") == "line").select(
            "region", "household_id", "program", "member_id", "amount_fen"
        )
        errors = passed.where(F.col("kind") == "error").select("region", "household_id", "message")
        lines.write.partitionBy("region").parquet(str(out))
        n_lines = spark.read.parquet(str(out)).count()
        n_failed = errors.select("household_id").distinct().count()
        if n_failed:
            errors.write.partitionBy("region").parquet(str(errors_path))
        seconds["write"] = time.perf_counter() - started
    finally:
        passed.unpersist()
    return SparkRun(n_h, n_p, n_lines, n_failed, [])
