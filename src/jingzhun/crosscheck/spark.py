"""数据比对 on Apache Spark (issue #18): the whole linkage on the cluster, with the **same settings and trained
parameters** as the DuckDB path — one path, :func:`link_frames` (Spark frames in and out, e.g. read from
Parquet); :func:`jingzhun.crosscheck.link.link` with ``spark=`` (Polars in and out, what ``jingzhun crosscheck
run --engine spark`` uses) hands its frames to it and collects the results.

ID normalisation and name keys run batch by batch on the workers (the Polars functions of
:mod:`jingzhun.crosscheck.frames`, through ``mapInArrow``); the exact join, splink's prediction on its Spark
backend and choosing one person per row (SQL windows: best match weight, ties, the binding village) stay on
the cluster. Training stays where it is deterministic — splink on DuckDB (:func:`jingzhun.crosscheck.fuzzy.score`)
over the rows without a usable ID and the persons' matching columns: splink's Spark backend samples u with
Spark's own random sampling, so it would not train the DuckDB path's parameters. The trained model (splink's
JSON) is carried to Spark: each comparison level's SQL is transpiled from DuckDB's dialect to Spark's with
sqlglot (quoted identifiers become back-quoted; ``jaro_winkler_similarity`` becomes the ``jaro_winkler`` UDF
of the jar that ships with splink, registered on the session).

Pure: no Django. ``pyspark`` comes from the ``spark`` dependency group.
"""

from __future__ import annotations

import copy
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from jingzhun.crosscheck.link import Linked


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
    """A Polars frame as a Spark frame (through Arrow; large strings and all-null columns as strings)."""
    import pyarrow as pa

    frame = frame.with_columns(pl.col(c).cast(pl.String) for c, t in frame.schema.items() if t == pl.Null)
    table = frame.to_arrow()
    schema = pa.schema(
        [
            pa.field(f.name, pa.string() if pa.types.is_large_string(f.type) else f.type, nullable=True)
            for f in table.schema
        ]
    )
    return spark.createDataFrame(table.cast(schema))


def _drop_inputs(spark: Any) -> None:
    """splink registers its two inputs as the session's temp views ``rows`` and ``persons`` (their names are
    the ``source_dataset`` of each pair) and refuses to replace them: a previous linkage's go first."""
    for name in ("rows", "persons"):
        spark.catalog.dropTempView(name)


# --- the whole linkage on Spark (driver holds only the trained model, counts and small lookups) -------------

PERSONS_DDL = (
    "uid long, person_id string, household_no string, id18 string, name_in string, birth date, village string, "
    "township string, birth_swap date"
)
ROWS_DDL = (
    "uid long, source string, row long, name_in string, birth date, village string, township string, "
    "id18 string, id_problem string, birth_swap date"
)
NAMES_DDL = "name_raw string, name string, name_py string, surname string, surname_py string"
PAIRS_DDL = (
    "row_uid long, person_uid long, probability double, match_weight double, agree_name string, "
    "agree_birth string, agree_village string, match_key long"
)
HITS_DDL = (
    "source string, row long, person_id string, household_no string, id_number string, match string, "
    "weight double, match_weight double, agree_id string, agree_name string, agree_birth string, "
    "agree_village string"
)


@dataclass
class SparkLinked:
    """:class:`jingzhun.crosscheck.link.Linked` with Spark frames: ``hits`` (HITS_DDL) and ``flagged``
    (source, row, reason, weight, candidates: the person ids, in registry order); ``prepared_rows`` are
    the list rows with their keys (ROWS_DDL; ``id18`` null = no usable ID); ``candidates`` every scored
    fuzzy pair the stated village allows (``link.candidates``' columns; not computed until read)."""

    hits: Any
    flagged: Any
    stats: dict[str, Any] = field(default_factory=dict)
    prepared_rows: Any = None
    candidates: Any = None


def positions(frame: Any) -> Any:
    """``frame`` with ``uid`` = its position (0, 1, …) in the frame's order — what ``prepare_*`` number —
    without a one-partition window: a per-partition count (one small collect) gives each partition's offset."""
    from pyspark.sql import functions as F

    tagged = frame.withColumn("_mono", F.monotonically_increasing_id())
    part, index = F.shiftright(F.col("_mono"), 33), F.col("_mono").bitwiseAND(F.lit((1 << 33) - 1))
    counts = sorted(
        (int(r["p"]), int(r["n"]))
        for r in tagged.groupBy(part.alias("p")).count().withColumnRenamed("count", "n").collect()
    )
    offsets, total = [], 0
    for p, n in counts:
        offsets += [F.lit(p), F.lit(total)]
        total += n
    start = F.element_at(F.create_map(*offsets), part) if offsets else F.lit(0)
    return tagged.withColumn("uid", (start + index).cast("long")).drop("_mono")


def _map_polars(frame: Any, convert: Callable[[pl.DataFrame], pl.DataFrame], ddl: str) -> Any:
    """``convert`` (a Polars function that keeps rows in order) over every Arrow batch of ``frame``."""
    import pyarrow as pa
    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import StructType, _parse_datatype_string

    struct = _parse_datatype_string(ddl)  # on the driver (needs the session)
    assert isinstance(struct, StructType)
    schema = to_arrow_schema(struct)

    def run(batches: Any) -> Any:
        for batch in batches:
            out = convert(pl.from_arrow(pa.Table.from_batches([batch])))  # type: ignore[arg-type]
            yield from out.to_arrow().select(schema.names).cast(schema).to_batches()

    return frame.mapInArrow(run, ddl)


def prepared_persons(persons: Any) -> Any:
    """Registry persons (a Spark frame of ``frames.PERSON_COLUMNS``) through ``frames.prepare_persons``
    batch by batch on the workers (PERSONS_DDL), ``uid`` their position."""
    from jingzhun.crosscheck.frames import PERSON_COLUMNS, prepare_persons

    keep = [*PERSON_COLUMNS, *(["township"] if "township" in persons.columns else [])]
    numbered = positions(persons.select(*keep))

    def convert(batch: pl.DataFrame) -> pl.DataFrame:
        out = prepare_persons(batch.drop("uid"), names=False).with_columns(batch["uid"])
        return out.with_columns(pl.col("person_id").cast(pl.String))

    return _map_polars(numbered, convert, PERSONS_DDL)


def prepared_rows(rows: Any) -> Any:
    """List rows (``frames.ROW_COLUMNS``) through ``frames.prepare_rows`` on the workers (ROWS_DDL)."""
    from jingzhun.crosscheck.frames import ROW_COLUMNS, prepare_rows

    numbered = positions(rows.select(*ROW_COLUMNS))

    def convert(batch: pl.DataFrame) -> pl.DataFrame:
        return prepare_rows(batch.drop("uid"), names=False).with_columns(batch["uid"])

    return _map_polars(numbered, convert, ROWS_DDL)


def with_names(frame: Any) -> Any:
    """``frames.with_name_keys`` on the workers: each batch's distinct names → 简体, pinyin, surname."""
    from jingzhun.crosscheck.frames import with_name_keys

    return _map_polars(frame, with_name_keys, f"{_ddl(frame)}, {NAMES_DDL}")


def _ddl(frame: Any) -> str:
    return ", ".join(f"`{f.name}` {f.dataType.simpleString()}" for f in frame.schema.fields)


def _person_fields(persons: Any) -> Any:
    from pyspark.sql import functions as F

    return persons.select(
        F.col("uid").alias("person_uid"), "person_id", "household_no", F.col("id18").alias("id_number")
    )


def spark_exact(rows: Any, persons: Any) -> tuple[Any, Any]:
    """``link.exact_hits`` as Spark joins over prepared frames: (hits, rows whose ID several persons share)."""
    from pyspark.sql import functions as F

    with_id = rows.where(F.col("id18").isNotNull()).select("uid", "source", "row", "id18")
    joined = with_id.join(persons.select(F.col("uid").alias("person_uid"), "id18"), on="id18")
    counts = joined.groupBy("uid").agg(
        F.count("*").alias("n"), F.sort_array(F.collect_list("person_uid")).alias("candidate_uids")
    )
    none = F.lit(None).cast("string")
    hits = (
        with_id.join(counts.where(F.col("n") == 1), on="uid")
        .withColumn("person_uid", F.col("candidate_uids")[0])
        .join(_person_fields(persons), on="person_uid")
        .select(
            "source",
            "row",
            "person_id",
            "household_no",
            "id_number",
            F.lit("exact").alias("match"),
            F.lit(1.0).alias("weight"),
            F.lit(None).cast("double").alias("match_weight"),
            F.lit("exact").alias("agree_id"),
            none.alias("agree_name"),
            none.alias("agree_birth"),
            none.alias("agree_village"),
        )
    )
    dupes = (
        counts.where(F.col("n") > 1)
        .join(with_id, on="uid")
        .select("source", "row", F.lit("duplicate_id").alias("reason"), "candidate_uids", F.lit(1.0).alias("weight"))
    )
    return hits, dupes


def spark_pairs(prediction: Any) -> Any:
    """splink's prediction table (a Spark frame) → ``fuzzy.score``'s pairs (plus ``match_key``)."""
    from pyspark.sql import functions as F

    from jingzhun.crosscheck.fuzzy import LEVELS, gamma_labels

    left = F.col("source_dataset_l") == "rows"
    labels = {c: F.create_map(*[F.lit(x) for k, v in gamma_labels(c).items() for x in (k, v)]) for c in LEVELS}
    return prediction.select(
        F.when(left, F.col("uid_l")).otherwise(F.col("uid_r")).cast("long").alias("row_uid"),
        F.when(left, F.col("uid_r")).otherwise(F.col("uid_l")).cast("long").alias("person_uid"),
        F.col("match_probability").cast("double").alias("probability"),
        F.col("match_weight").cast("double"),
        *(F.element_at(labels[c], F.col(f"gamma_{c}").cast("int")).alias(f"agree_{c}") for c in LEVELS),
        F.col("match_key").cast("long"),
    )


def spark_candidates(pairs: Any, rows: Any, persons: Any) -> Any:
    """``link.candidates`` on Spark: every scored pair that the row's stated village allows, with the row's
    and the person's fields (unsorted)."""
    from pyspark.sql import functions as F

    from jingzhun.crosscheck.link import CANDIDATE_COLUMNS

    stated = rows.select(F.col("uid").alias("row_uid"), "source", "row", F.col("village").alias("row_village"))
    where = _person_fields(persons).join(
        persons.select(F.col("uid").alias("person_uid"), F.col("village").alias("person_village")), on="person_uid"
    )
    binding = F.col("row_village").isNull() | (F.col("row_village") == F.col("person_village"))
    return pairs.join(stated, on="row_uid").join(where, on="person_uid").where(binding).select(*CANDIDATE_COLUMNS)


def spark_choose(candidates: Any, threshold: float) -> tuple[Any, Any]:
    """``link.select_best`` with Spark windows over :func:`spark_candidates`: the best candidate per row at
    or above ``threshold``; equal best (within ``TIE_EPSILON``) → no hit, a ``tie``."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from jingzhun.crosscheck.link import TIE_EPSILON

    per_row = Window.partitionBy("row_uid")
    eligible = (
        candidates.where(F.col("probability") >= threshold)
        .withColumn("best", F.max("match_weight").over(per_row))
        .where(F.col("match_weight") >= F.col("best") - TIE_EPSILON)
        .withColumn("n_best", F.count("*").over(per_row))
    )
    chosen = eligible.where(F.col("n_best") == 1).select(
        "source",
        "row",
        "person_id",
        "household_no",
        "id_number",
        F.lit("fuzzy").alias("match"),
        F.col("probability").alias("weight"),
        "match_weight",
        F.lit(None).cast("string").alias("agree_id"),
        "agree_name",
        "agree_birth",
        "agree_village",
    )
    ties = (
        eligible.where(F.col("n_best") > 1)
        .groupBy("source", "row")
        .agg(F.sort_array(F.collect_list("person_uid")).alias("candidate_uids"), F.max("probability").alias("weight"))
        .select("source", "row", F.lit("tie").alias("reason"), "candidate_uids", "weight")
    )
    return chosen, ties


def _flagged(dupes: Any, ties: Any, persons: Any) -> Any:
    """Flagged rows with their candidates' person ids in uid order (``link``'s ``flagged``)."""
    from pyspark.sql import functions as F

    both = dupes.unionByName(ties)
    exploded = both.select("source", "row", "reason", "weight", F.posexplode("candidate_uids").alias("pos", "uid"))
    named = exploded.join(persons.select("uid", "person_id"), on="uid", how="left")
    return named.groupBy("source", "row", "reason", "weight").agg(
        F.transform(F.sort_array(F.collect_list(F.struct("pos", "person_id"))), lambda s: s["person_id"]).alias(
            "candidates"
        )
    )


def link_frames(
    spark: Any,
    persons: Any,
    rows: Any,
    *,
    threshold: float | None = None,
    seed: int = 2018,
    fuzzy_matching: bool = True,
) -> SparkLinked:
    """:func:`jingzhun.crosscheck.link.link` with Spark frames in and out (e.g. read from Parquet): ID
    normalisation, name keys, the exact join, splink's prediction and choosing one person per row all run
    on the cluster, through the same Polars functions (batch by batch) and the same SQL. Training stays
    :func:`jingzhun.crosscheck.fuzzy.score`'s (DuckDB on the driver, over the rows without a usable ID and
    the persons' matching columns) so the trained model is the one the DuckDB path trains."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from jingzhun.crosscheck import fuzzy
    from jingzhun.crosscheck.link import DEFAULT_THRESHOLD

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    people = prepared_persons(persons).persist(StorageLevel.MEMORY_AND_DISK)
    listed = prepared_rows(rows).persist(StorageLevel.MEMORY_AND_DISK)
    exact, dupes = spark_exact(listed, people)
    exact = exact.persist(StorageLevel.MEMORY_AND_DISK)
    n_exact = exact.count()
    seconds["exact"] = time.perf_counter() - started
    counts = listed.agg(F.count("*").alias("rows"), F.count("id18").alias("with_id")).first()
    stats: dict[str, Any] = {
        "rows": int(counts["rows"]),
        "persons": people.count(),
        "rows_with_usable_id": int(counts["with_id"]),
        "exact_hits": n_exact,
    }
    fuzzy_hits = spark.createDataFrame([], HITS_DDL)
    ties = spark.createDataFrame([], dupes.schema)
    candidates = None
    without_id = listed.where(F.col("id18").isNull())
    if fuzzy_matching:
        started = time.perf_counter()
        named_rows = with_names(without_id).where(F.col("name").isNotNull()).persist(StorageLevel.MEMORY_AND_DISK)
        named_people = with_names(people).persist(StorageLevel.MEMORY_AND_DISK)
        stats["rows_without_usable_id"] = named_rows.count()
        seconds["name_keys"] = time.perf_counter() - started
        if stats["rows_without_usable_id"]:
            captured: dict[str, Any] = {}

            def predict(model: dict[str, Any], _rows: pl.DataFrame, _persons: pl.DataFrame) -> pl.DataFrame:
                captured["pairs"] = _predict_frames(spark, model, named_rows, named_people)
                return _empty_prediction()

            from jingzhun.crosscheck.fuzzy import COLUMNS

            train_rows = _to_polars(named_rows.select(*COLUMNS).orderBy("uid"))
            train_people = _to_polars(named_people.select(*COLUMNS).orderBy("uid"))
            scored = fuzzy.score(train_rows, train_people, seed=seed, predict=predict)
            del train_rows, train_people
            if "pairs" not in captured:  # no persons: fuzzy.score returned before predicting
                captured["pairs"] = spark.createDataFrame([], PAIRS_DDL)
            # checkpointed, not persisted: splink drops and replaces its temp views, and Spark then uncaches
            # every cached plan that reads them — the pairs, the hits and the ties, recomputed (blocking,
            # scoring, windows) when the hits were written; a local checkpoint's plan reads no view
            pairs = captured["pairs"].localCheckpoint(eager=True)
            by_key = dict(pairs.groupBy("match_key").count().collect())
            started = time.perf_counter()
            candidates = spark_candidates(pairs.drop("match_key"), named_rows, named_people)
            fuzzy_hits, ties = spark_choose(candidates, threshold)
            fuzzy_hits, ties = fuzzy_hits.persist(), ties.persist()
            stats["fuzzy_hits"], stats["ties"] = fuzzy_hits.count(), ties.count()
            seconds["choose"] = time.perf_counter() - started
            seconds.update(scored.seconds)
            stats |= {
                "comparisons_by_rule": {r: int(by_key.get(i, 0)) for i, r in enumerate(fuzzy.BLOCKING_RULES)},
                "parameters": scored.parameters,
                "prior": scored.prior,
                "untrained_sessions": scored.untrained_sessions,
                "fuzzy_pairs": sum(by_key.values()),
            }
    else:
        stats["rows_without_usable_id"] = without_id.where(F.trim("name_in") != "").count()
    stats.setdefault("fuzzy_hits", 0)
    stats.setdefault("ties", 0)
    stats["seconds"] = seconds
    hits = exact.unionByName(fuzzy_hits)
    return SparkLinked(
        hits=hits, flagged=_flagged(dupes, ties, people), stats=stats, prepared_rows=listed, candidates=candidates
    )


def _to_polars(frame: Any) -> pl.DataFrame:
    out = pl.from_arrow(frame.toArrow())
    assert isinstance(out, pl.DataFrame)
    return out


def _empty_prediction() -> pl.DataFrame:
    from jingzhun.crosscheck.fuzzy import LEVELS

    schema: dict[str, Any] = {
        "source_dataset_l": pl.String,
        "uid_l": pl.Int64,
        "uid_r": pl.Int64,
        "match_probability": pl.Float64,
        "match_weight": pl.Float64,
        **{f"gamma_{c}": pl.Int64 for c in LEVELS},
        "match_key": pl.Int64,
    }
    return pl.DataFrame(schema=schema)


def _predict_frames(spark: Any, model: dict[str, Any], rows: Any, persons: Any) -> Any:
    """splink's Spark prediction over two Spark frames → the pairs (a Spark frame; nothing collected)."""
    from splink import Linker, SparkAPI

    from jingzhun.crosscheck.fuzzy import COLUMNS

    logging.getLogger("splink").setLevel(logging.ERROR)
    db = SparkAPI(spark_session=spark, break_lineage_method="persist")  # type: ignore[no-untyped-call]
    _drop_inputs(spark)
    left = db.register(rows.select(*COLUMNS), dataset_display_name="rows")
    right = db.register(persons.select(*COLUMNS), dataset_display_name="persons")
    linker = Linker([left, right], to_spark_model(model), log_level=logging.ERROR)
    return spark_pairs(linker.inference.predict().as_spark_dataframe())


def link_polars(
    spark: Any,
    persons: pl.DataFrame,
    rows: pl.DataFrame,
    *,
    threshold: float | None = None,
    seed: int = 2018,
    fuzzy_matching: bool = True,
) -> Linked:
    """:func:`link_frames` for Polars frames (what :func:`jingzhun.crosscheck.link.link` with ``spark=``
    runs): the frames go to the session through Arrow, the hits, flagged rows and candidates come back as
    the DuckDB path shapes them — person ids in the persons frame's own type, sorted by source and row."""
    from jingzhun.crosscheck.frames import PERSON_COLUMNS, ROW_COLUMNS, check_persons, check_rows
    from jingzhun.crosscheck.link import Linked

    check_persons(persons)
    check_rows(rows)
    keep = [*PERSON_COLUMNS, *(["township"] if "township" in persons.columns else [])]
    linked = link_frames(
        spark,
        _spark_frame(spark, persons.select(keep)),
        _spark_frame(spark, rows.select(ROW_COLUMNS)),
        threshold=threshold,
        seed=seed,
        fuzzy_matching=fuzzy_matching,
    )
    id_type = persons.schema["id"]
    person_id = pl.col("person_id").cast(id_type)
    keys = ["source", "row"]
    hits = _to_polars(linked.hits).with_columns(person_id).sort(keys)
    flagged = (
        _to_polars(linked.flagged)
        .with_columns(pl.col("candidates").cast(pl.List(id_type)))
        .select("source", "row", "reason", "weight", "candidates")
        .sort(keys)
    )
    candidates = pl.DataFrame()
    if linked.candidates is not None:
        candidates = (
            _to_polars(linked.candidates)
            .with_columns(person_id)
            .sort("source", "row", "match_weight", descending=[False, False, True])
        )
    return Linked(hits=hits, flagged=flagged, stats=linked.stats, candidates=candidates)
