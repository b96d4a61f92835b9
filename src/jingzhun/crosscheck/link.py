"""数据比对: department list rows → registry persons, each row at most one person.

:func:`link` takes the registry persons and the list rows (see :mod:`jingzhun.crosscheck.frames`) and
returns :class:`Linked`:

* ``hits`` — one row per matched list row, shaped like DESIGN.md's ``crosscheck run`` hits (``source``,
  ``row``, ``household_no``, ``id_number``, ``match`` exact|fuzzy, ``weight``) plus ``person_id``,
  ``match_weight`` (log₂ Bayes factor, fuzzy only) and what each field agreed on (``agree_id``,
  ``agree_name``, ``agree_birth``, ``agree_village``) for the 疑点 page;
* ``flagged`` — rows left unmatched because two or more persons fit equally well (``tie``) or because
  their ID number belongs to several registry persons (``duplicate_id``), with the candidates;
* ``stats`` — counts, seconds per stage, the blocking rules with their comparison counts, the trained
  m/u parameters;
* ``candidates`` — every scored fuzzy pair that the stated village allows, best first per row.

Exact: a row whose 身份证号 is usable (:mod:`jingzhun.crosscheck.ids`) is matched by a Polars join on the
18-digit number and never fuzzily — a usable ID that is not in the registry is no hit. Fuzzy: rows with
no usable ID are scored by :mod:`jingzhun.crosscheck.fuzzy`; a row takes its best candidate when that
candidate's match probability is at least ``threshold`` and no other candidate's match weight is equal
(within ``TIE_EPSILON`` — compared as weights, since probabilities near 1 all round alike); the village
a row states is binding, enforced in blocking and checked again here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from jingzhun.crosscheck import fuzzy
from jingzhun.crosscheck.frames import prepare_persons, prepare_rows, with_name_keys

DEFAULT_THRESHOLD = 0.9
TIE_EPSILON = 1e-6  # in match weight (log₂ Bayes factor): probabilities near 1 are too close to compare

HIT_SCHEMA: dict[str, Any] = {
    "source": pl.String,
    "row": pl.Int64,
    "person_id": None,  # the persons frame's id type
    "household_no": pl.String,
    "id_number": pl.String,
    "match": pl.String,
    "weight": pl.Float64,
    "match_weight": pl.Float64,
    "agree_id": pl.String,
    "agree_name": pl.String,
    "agree_birth": pl.String,
    "agree_village": pl.String,
}


@dataclass
class Linked:
    hits: pl.DataFrame
    flagged: pl.DataFrame
    stats: dict[str, Any] = field(default_factory=dict)
    # every fuzzy pair the binding village allows, best first per row (for the 疑点 page's other
    # candidates and for threshold sweeps: ``select_best(candidates, t)``)
    candidates: pl.DataFrame = field(default_factory=pl.DataFrame)

    def hits_json(self) -> list[dict[str, Any]]:
        """DESIGN.md's ``{"hits": [...]}`` entries (plus the agreement fields), sorted by source and row."""
        return [
            {
                "source": h["source"],
                "row": h["row"],
                "household_no": h["household_no"],
                "id_number": h["id_number"],
                "match": h["match"],
                "weight": round(h["weight"], 4),
                "agreement": {
                    k: h[f"agree_{k}"] for k in ("id", "name", "birth", "village") if h[f"agree_{k}"] is not None
                },
            }
            for h in self.hits.sort("source", "row").iter_rows(named=True)
        ]


def _person_fields(persons: pl.DataFrame) -> pl.DataFrame:
    return persons.select(
        pl.col("uid").alias("person_uid"), "person_id", "household_no", pl.col("id18").alias("id_number")
    )


def exact_hits(rows: pl.DataFrame, persons: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows with a usable ID joined to persons on it: (hits, rows whose ID several persons share)."""
    with_id = rows.filter(pl.col("id18").is_not_null()).select("uid", "source", "row", "id18")
    joined = with_id.join(persons.select(pl.col("uid").alias("person_uid"), "id18"), on="id18", how="inner")
    counts = joined.group_by("uid").agg(pl.col("person_uid"), pl.len().alias("n"))
    single = counts.filter(pl.col("n") == 1).select("uid", pl.col("person_uid").list.first())
    hits = (
        with_id.join(single, on="uid")
        .join(_person_fields(persons), on="person_uid")
        .select(
            "source",
            "row",
            "person_id",
            "household_no",
            "id_number",
            pl.lit("exact").alias("match"),
            pl.lit(1.0).alias("weight"),
            pl.lit(None, dtype=pl.Float64).alias("match_weight"),
            pl.lit("exact").alias("agree_id"),
            pl.lit(None, dtype=pl.String).alias("agree_name"),
            pl.lit(None, dtype=pl.String).alias("agree_birth"),
            pl.lit(None, dtype=pl.String).alias("agree_village"),
        )
    )
    dupes = (
        counts.filter(pl.col("n") > 1)
        .join(with_id, on="uid")
        .select(
            "source",
            "row",
            pl.lit("duplicate_id").alias("reason"),
            pl.col("person_uid").alias("candidate_uids"),
            pl.lit(1.0).alias("weight"),
        )
    )
    return hits, dupes


CANDIDATE_COLUMNS = (
    "row_uid",
    "person_uid",
    "source",
    "row",
    "person_id",
    "household_no",
    "id_number",
    "probability",
    "match_weight",
    "agree_name",
    "agree_birth",
    "agree_village",
)
"""A candidate pair's columns, on the DuckDB/Polars path and on Spark (``spark.spark_candidates``) alike."""


def candidates(pairs: pl.DataFrame, rows: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """Every scored pair that the row's stated village allows, with the row's and the person's fields."""
    stated = rows.select(pl.col("uid").alias("row_uid"), "source", "row", pl.col("village").alias("row_village"))
    where = _person_fields(persons).join(
        persons.select(pl.col("uid").alias("person_uid"), pl.col("village").alias("person_village")), on="person_uid"
    )
    binding = pl.col("row_village").is_null() | (pl.col("row_village") == pl.col("person_village"))
    return (
        pairs.join(stated, on="row_uid")
        .join(where, on="person_uid")
        .filter(binding)
        .select(CANDIDATE_COLUMNS)
        .sort("source", "row", "match_weight", descending=[False, False, True])
    )


def select_best(scored: pl.DataFrame, threshold: float) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One person per row from :func:`candidates`: the best (by match weight) at or above ``threshold``;
    equal best → no hit, flagged ``tie``."""
    eligible = (
        scored.filter(pl.col("probability") >= threshold)
        .with_columns(pl.col("match_weight").max().over("row_uid").alias("best"))
        .filter(pl.col("match_weight") >= pl.col("best") - TIE_EPSILON)
        .with_columns(pl.len().over("row_uid").alias("n_best"))
    )
    chosen = eligible.filter(pl.col("n_best") == 1).select(
        "source",
        "row",
        "person_id",
        "household_no",
        "id_number",
        pl.lit("fuzzy").alias("match"),
        pl.col("probability").alias("weight"),
        "match_weight",
        pl.lit(None, dtype=pl.String).alias("agree_id"),
        "agree_name",
        "agree_birth",
        "agree_village",
    )
    ties = (
        eligible.filter(pl.col("n_best") > 1)
        .group_by("source", "row")
        .agg(pl.col("person_uid").sort().alias("candidate_uids"), pl.col("probability").max().alias("weight"))
        .select("source", "row", pl.lit("tie").alias("reason"), "candidate_uids", "weight")
    )
    return chosen, ties


def choose(
    pairs: pl.DataFrame, rows: pl.DataFrame, persons: pl.DataFrame, threshold: float
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One person per row from splink's pairs (see :func:`candidates` and :func:`select_best`)."""
    return select_best(candidates(pairs, rows, persons), threshold)


def link(
    persons: pl.DataFrame,
    rows: pl.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 2018,
    fuzzy_matching: bool = True,
    spark: Any = None,
) -> Linked:
    """Exact, then fuzzy; with ``spark`` (a SparkSession) the whole linkage runs on Spark
    (:func:`jingzhun.crosscheck.spark.link_polars` over :func:`~jingzhun.crosscheck.spark.link_frames`) with
    the same trained model — the same hits."""
    if spark is not None:
        from jingzhun.crosscheck.spark import link_polars

        return link_polars(spark, persons, rows, threshold=threshold, seed=seed, fuzzy_matching=fuzzy_matching)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    people = prepare_persons(persons, names=False)
    listed = prepare_rows(rows, names=False)
    seconds["prepare"] = time.perf_counter() - started

    started = time.perf_counter()
    exact, dupes = exact_hits(listed, people)
    seconds["exact"] = time.perf_counter() - started

    without_id = listed.filter(pl.col("id18").is_null())
    if fuzzy_matching and without_id.height:
        started = time.perf_counter()
        without_id = with_name_keys(without_id).filter(pl.col("name").is_not_null())
        people = with_name_keys(people)
        seconds["name_keys"] = time.perf_counter() - started
    else:
        without_id = without_id.filter(pl.col("name_in").str.strip_chars() != "")
    stats: dict[str, Any] = {
        "rows": listed.height,
        "persons": people.height,
        "rows_with_usable_id": listed.height - listed["id18"].null_count(),
        "rows_without_usable_id": without_id.height,
        "exact_hits": exact.height,
    }
    fuzzy_hits = exact.clear()
    scored_candidates = pl.DataFrame()
    ties = dupes.clear()
    if fuzzy_matching and without_id.height:
        scored = fuzzy.score(without_id, people, seed=seed)
        started = time.perf_counter()
        scored_candidates = candidates(scored.pairs, without_id, people)
        fuzzy_hits, ties = select_best(scored_candidates, threshold)
        seconds["choose"] = time.perf_counter() - started
        seconds.update(scored.seconds)
        stats |= {
            "comparisons_by_rule": scored.comparisons_by_rule,
            "parameters": scored.parameters,
            "prior": scored.prior,
            "untrained_sessions": scored.untrained_sessions,
            "fuzzy_pairs": scored.pairs.height,
        }
    stats |= {"fuzzy_hits": fuzzy_hits.height, "ties": ties.height, "seconds": seconds}
    hits = pl.concat([exact, fuzzy_hits], how="vertical_relaxed").sort("source", "row")
    uid_to_id = people.select(pl.col("uid"), "person_id")
    flagged = (
        pl.concat([dupes, ties], how="vertical_relaxed")
        .explode("candidate_uids", empty_as_null=True)
        .join(uid_to_id, left_on="candidate_uids", right_on="uid", how="left")
        .group_by("source", "row", "reason", "weight", maintain_order=True)
        .agg(pl.col("person_id").alias("candidates"))
        .sort("source", "row")
    )
    return Linked(hits=hits, flagged=flagged, stats=stats, candidates=scored_candidates)
