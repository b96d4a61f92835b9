"""Fuzzy matching with splink (DuckDB): list rows without a usable ID against registry persons.

Model (Fellegi–Sunter, ``link_only``; list rows on one side, registry persons on the other):

* comparisons — **name**: as written / same after 繁→简 / same pinyin (homophone) / one character
  dropped / Jaro–Winkler ≥ 0.9 on the pinyin / else; **birth date**: same / day and month swapped /
  same year / else; **village**: same village / same township / else. A blank value is splink's null
  level (no evidence either way).
* training on the data itself: the prior from a deterministic rule (same name and birth date, recall
  0.7), u by random sampling, m by expectation–maximisation in three sessions, each blocked on two
  fields so that the third is estimated (name pinyin + birth → village; birth + village → name;
  name pinyin + village → birth); then every level's m is floored at :data:`M_FLOOR` (:func:`floor_m`),
  so that no level seen in a list but not among this data's matches rules a match out by itself.
* prediction blocking rules — :data:`BLOCKING_RULES`, each with :data:`VILLAGE_BINDING`: a village
  stated in a list row is binding (POLICY.md §8), so a row that names a village is compared with that
  village's persons only; a namesake with the same birthday elsewhere is never a candidate. A row
  without a village is compared county-wide on name and birth date.

:func:`score` returns every scored pair (row uid, person uid, probability, weight, the level each field
agreed on); choosing one person per row is :mod:`jingzhun.crosscheck.link`'s job.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

COLUMNS = ("uid", "name_raw", "name", "name_py", "surname_py", "birth", "birth_swap", "village", "township")

VILLAGE_BINDING = "(l.village IS NULL OR r.village IS NULL OR l.village = r.village)"
BLOCKING_RULES = (
    "l.surname_py = r.surname_py AND l.birth = r.birth",
    "l.surname_py = r.surname_py AND l.birth = r.birth_swap",
    "l.name_py = r.name_py AND l.village = r.village",
)
TRAINING_KEYS = (("name_py", "birth"), ("birth", "village"), ("name_py", "village"))
TRAINING_RULES = tuple(" AND ".join(f"l.{k} = r.{k}" for k in keys) for keys in TRAINING_KEYS)
M_FLOOR = 0.005  # [default] least m of a level after training (see floor_m)
MIN_TRAINING_PAIRS = 20  # fewer blocked pairs than this: the session is skipped (nothing to learn from)
PRIOR_RULE = "l.name = r.name AND l.birth = r.birth"
PRIOR_RECALL = 0.7

# (label, SQL, starting m) per comparison, strongest first; the null level is added in front and ELSE
# (with the remaining m) at the end. EM re-estimates every m it observes; a level that no blocked pair
# shows keeps its starting value [default: rough shares of real registers' errors].
LEVELS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "name": (
        ("exact", '"name_raw_l" = "name_raw_r"', 0.8),
        ("simplified", '"name_l" = "name_r"', 0.03),
        ("pinyin", '"name_py_l" = "name_py_r"', 0.06),
        ("dropped_char", 'abs(length("name_l") - length("name_r")) = 1 AND levenshtein("name_l", "name_r") = 1', 0.04),
        ("jaro_winkler", 'jaro_winkler_similarity("name_py_l", "name_py_r") >= 0.9', 0.03),
    ),
    "birth": (
        ("exact", '"birth_l" = "birth_r"', 0.9),
        ("day_month_swapped", '"birth_l" = "birth_swap_r"', 0.03),
        ("same_year", 'year("birth_l") = year("birth_r")', 0.03),
    ),
    "village": (
        ("same_village", '"village_l" = "village_r"', 0.95),
        ("same_township", '"township_l" = "township_r"', 0.03),
    ),
}
NULL_SQL = {
    "name": '"name_l" IS NULL OR "name_r" IS NULL',
    "birth": '"birth_l" IS NULL OR "birth_r" IS NULL',
    "village": '"village_l" IS NULL OR "village_r" IS NULL',
}
DESCRIPTIONS = {"name": "姓名", "birth": "出生日期", "village": "村"}


def gamma_labels(comparison: str) -> dict[int, str]:
    """splink's comparison-vector value → our level label (−1 blank, highest = strongest, 0 = else)."""
    levels = LEVELS[comparison]
    out = {-1: "blank", 0: "different"}
    for i, (label, _sql, _m) in enumerate(levels):
        out[len(levels) - i] = label
    return out


def _comparison(name: str) -> dict[str, Any]:
    levels: list[dict[str, Any]] = [
        {"sql_condition": NULL_SQL[name], "label_for_charts": "blank", "is_null_level": True}
    ]
    levels += [{"sql_condition": sql, "label_for_charts": label, "m_probability": m} for label, sql, m in LEVELS[name]]
    rest = max(0.01, 1.0 - sum(m for _l, _s, m in LEVELS[name]))
    levels.append({"sql_condition": "ELSE", "label_for_charts": "different", "m_probability": rest})
    return {"output_column_name": name, "comparison_description": DESCRIPTIONS[name], "comparison_levels": levels}


def settings() -> dict[str, Any]:
    return {
        "link_type": "link_only",
        "unique_id_column_name": "uid",
        "comparisons": [_comparison(c) for c in LEVELS],
        "blocking_rules_to_generate_predictions": [f"{rule} AND {VILLAGE_BINDING}" for rule in BLOCKING_RULES],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
        "em_convergence": 0.0001,
        "max_iterations": 25,
    }


@dataclass
class Scored:
    pairs: pl.DataFrame  # row_uid, person_uid, probability, match_weight, agree_name, agree_birth, agree_village
    comparisons_by_rule: dict[str, int] = field(default_factory=dict)
    parameters: dict[str, dict[str, tuple[float | None, float | None]]] = field(default_factory=dict)
    prior: float = 0.0
    untrained_sessions: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _empty_pairs() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "row_uid": pl.Int64,
            "person_uid": pl.Int64,
            "probability": pl.Float64,
            "match_weight": pl.Float64,
            "agree_name": pl.String,
            "agree_birth": pl.String,
            "agree_village": pl.String,
        }
    )


def floor_m(model: dict[str, Any], floor: float = M_FLOOR) -> dict[str, Any]:
    """The model with every level's m at least ``floor`` (each comparison's m renormalised to sum to 1).

    EM gives m = 0 to a level that no true match showed in *this* data (e.g. a birth date right only in
    the year, when no list row had a typo in it); m = 0 would make that level rule out a match whatever the
    other fields say. A small floor keeps such a pair decidable by its other fields."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        raised = [max(float(lv.get("m_probability") or 0.0), floor) for lv in levels]
        total = sum(raised)
        for level, m in zip(levels, raised, strict=True):
            level["m_probability"] = m / total
    return model


def bound_prior(model: dict[str, Any], pairs: int) -> dict[str, Any]:
    """The model with its prior kept inside (0, 1): at least one match expected among all ``pairs``.

    The prior is estimated from the pairs that agree on name and birth date; a small list whose rows
    without an ID fit nobody that way gives 0, and splink's prediction then fails on log2(0) (a 5-row
    vehicle list with one such row, walk8). With the floor such rows are simply no hit."""
    floor = 1.0 / max(pairs, 2)
    prior = float(model.get("probability_two_random_records_match") or 0.0)
    model["probability_two_random_records_match"] = min(max(prior, floor), 1.0 - floor)
    return model


def _pair_count(rows: pl.DataFrame, persons: pl.DataFrame, keys: tuple[str, ...]) -> int:
    """How many row × person pairs agree on ``keys`` (the pairs an EM session would see)."""
    left = rows.select(keys).drop_nulls().group_by(keys).len("n_l")
    right = persons.select(keys).drop_nulls().group_by(keys).len("n_r")
    both = left.join(right, on=list(keys))
    return int((both["n_l"].cast(pl.Int64) * both["n_r"].cast(pl.Int64)).sum())


def score(
    rows: pl.DataFrame,
    persons: pl.DataFrame,
    *,
    seed: int = 2018,
    u_pairs: float = 2e6,
    predict: Callable[[dict[str, Any], pl.DataFrame, pl.DataFrame], pl.DataFrame] | None = None,
) -> Scored:
    """Train on ``rows`` × ``persons`` (prepared frames) and score the blocked pairs — on DuckDB, or with
    ``predict(model, rows, persons)`` (:func:`jingzhun.crosscheck.spark.link_frames` predicts on Spark) given
    the trained model, returning splink's prediction table."""
    if rows.height == 0 or persons.height == 0:
        return Scored(pairs=_empty_pairs())
    import duckdb
    from splink import DuckDBAPI, Linker
    from splink.internals.exceptions import EMTrainingException, SplinkException

    logging.getLogger("splink").setLevel(logging.ERROR)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    con = duckdb.connect(":memory:")
    con.execute("SET threads TO 2")
    db = DuckDBAPI(connection=con)
    left = db.register(rows.select(COLUMNS).to_arrow(), dataset_display_name="rows")
    right = db.register(persons.select(COLUMNS).to_arrow(), dataset_display_name="persons")
    linker = Linker([left, right], settings(), log_level=logging.ERROR)

    linker.training.estimate_probability_two_random_records_match([PRIOR_RULE], recall=PRIOR_RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    skipped = []
    for keys, rule in zip(TRAINING_KEYS, TRAINING_RULES, strict=True):
        if _pair_count(rows, persons, keys) < MIN_TRAINING_PAIRS:
            skipped.append(rule)
            continue
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule, record_sample_proportion=1.0)
        except (EMTrainingException, SplinkException):
            # pairs that leave nothing to estimate (a small or one-sided list); a failed session may have
            # changed the model half-way, so the model as it was before the session is restored
            linker = Linker([left, right], before, log_level=logging.ERROR)
            skipped.append(rule)
    model = bound_prior(floor_m(linker.misc.save_model_to_json()), rows.height * persons.height)
    linker = Linker([left, right], model, log_level=logging.ERROR)
    seconds["training"] = time.perf_counter() - started

    started = time.perf_counter()
    if predict is None:
        table = pl.from_arrow(linker.inference.predict().as_pyarrow_table())  # type: ignore[no-untyped-call]
    else:
        table = predict(linker.misc.save_model_to_json(), rows.select(COLUMNS), persons.select(COLUMNS))
    assert isinstance(table, pl.DataFrame)
    seconds["prediction"] = time.perf_counter() - started

    rows_on_left = pl.col("source_dataset_l") == "rows"
    pairs = table.select(
        pl.when(rows_on_left).then(pl.col("uid_l")).otherwise(pl.col("uid_r")).cast(pl.Int64).alias("row_uid"),
        pl.when(rows_on_left).then(pl.col("uid_r")).otherwise(pl.col("uid_l")).cast(pl.Int64).alias("person_uid"),
        pl.col("match_probability").cast(pl.Float64).alias("probability"),
        pl.col("match_weight").cast(pl.Float64),
        *(
            pl.col(f"gamma_{c}").replace_strict(gamma_labels(c), return_dtype=pl.String).alias(f"agree_{c}")
            for c in LEVELS
        ),
        pl.col("match_key").cast(pl.Int64),
    )
    counts = dict(pairs.group_by("match_key").len().iter_rows())
    by_rule = {rule: int(counts.get(i, 0)) for i, rule in enumerate(BLOCKING_RULES)}
    model = linker.misc.save_model_to_json()
    params: dict[str, dict[str, tuple[float | None, float | None]]] = {}
    for comparison in model["comparisons"]:
        params[comparison["output_column_name"]] = {
            level["label_for_charts"]: (level.get("m_probability"), level.get("u_probability"))
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
        }
    con.close()
    return Scored(
        pairs=pairs.drop("match_key"),
        comparisons_by_rule=by_rule,
        parameters=params,
        prior=float(model["probability_two_random_records_match"]),
        untrained_sessions=skipped,
        seconds=seconds,
    )
