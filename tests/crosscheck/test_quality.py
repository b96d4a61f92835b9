"""Quality on synthetic department lists with known truth (about 2 000 rows; the 100 000-row figures are
bench/bench_crosscheck.py's). The thresholds sit a little below the bench targets so the test is stable."""

from __future__ import annotations

import polars as pl
import pytest

from jingzhun.crosscheck import link
from jingzhun.crosscheck.frames import rows_from_list
from jingzhun.crosscheck.fuzzy import BLOCKING_RULES, floor_m
from jingzhun.crosscheck.quality import confusion, outcomes, sweep
from jingzhun.synth.departments import SOURCES, department_lists

ROWS_PER_LIST = 167


@pytest.fixture(scope="module")
def drawn(households: pl.DataFrame, registry: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, object]:
    lists = department_lists(households, ROWS_PER_LIST, seed=7)
    rows = pl.concat([rows_from_list(table, source) for source, table in lists.lists.items()])
    return rows, lists.truth, link(registry, rows)


def test_exact_matching_is_perfect_and_fuzzy_matching_meets_its_targets(drawn: tuple) -> None:  # type: ignore[type-arg]
    rows, truth, linked = drawn
    quality = confusion(linked, rows, truth)
    exact, fuzzy = quality["exact"], quality["fuzzy"]
    assert rows.height == ROWS_PER_LIST * len(SOURCES)
    assert exact["rows"] + fuzzy["rows"] == rows.height
    assert fuzzy["rows"] > 200  # about a fifth of the rows have no usable ID
    assert exact["tp"] > 1000
    assert (exact["precision"], exact["recall"]) == (1.0, 1.0)
    assert fuzzy["precision"] >= 0.93, fuzzy
    assert fuzzy["recall"] >= 0.85, fuzzy


def test_each_row_matches_at_most_one_person_and_no_hard_negative_is_matched(drawn: tuple) -> None:  # type: ignore[type-arg]
    rows, truth, linked = drawn
    assert linked.hits.select("source", "row").is_duplicated().sum() == 0
    table = outcomes(linked, rows, truth)
    negatives = table.filter(pl.col("kind").is_in(["namesake_township", "namesake_neighbour"]))
    assert negatives.height > 20
    township = negatives.filter(pl.col("kind") == "namesake_township")
    assert township["outcome"].to_list() == ["tn"] * township.height
    assert (negatives["outcome"] == "tn").mean() >= 0.95  # type: ignore[operator]


def test_fuzzy_hits_carry_a_probability_and_what_each_field_agreed_on(drawn: tuple) -> None:  # type: ignore[type-arg]
    _rows, _truth, linked = drawn
    fuzzy = linked.hits.filter(pl.col("match") == "fuzzy")
    assert fuzzy.height > 150
    assert fuzzy["weight"].min() >= 0.9 and fuzzy["weight"].max() <= 1.0  # type: ignore[operator]
    assert set(fuzzy["agree_name"].unique()) >= {"exact", "pinyin"}
    assert fuzzy["agree_birth"].null_count() == 0 and fuzzy["agree_village"].null_count() == 0
    assert set(linked.stats["comparisons_by_rule"]) == set(BLOCKING_RULES)
    assert sum(linked.stats["comparisons_by_rule"].values()) == linked.stats["fuzzy_pairs"]


def test_a_higher_threshold_never_adds_a_hit_and_the_default_is_on_the_plateau(drawn: tuple) -> None:  # type: ignore[type-arg]
    rows, truth, linked = drawn
    curve = sweep(linked, rows, truth, [0.5, 0.9, 0.99, 0.999999])
    tps = [q["tp"] for q in curve]
    hits = [q["tp"] + q["fp"] for q in curve]
    assert tps == sorted(tps, reverse=True) and hits == sorted(hits, reverse=True)
    assert curve[1]["tp"] == confusion(linked, rows, truth)["fuzzy"]["tp"]  # 0.9 is link()'s default
    assert curve[-1]["tp"] < curve[1]["tp"]  # near-certainty alone would lose true matches


def test_the_same_input_gives_the_same_hits(drawn: tuple, registry: pl.DataFrame) -> None:  # type: ignore[type-arg]
    rows, _truth, linked = drawn
    again = link(registry, rows)
    assert again.hits.drop("weight", "match_weight").equals(linked.hits.drop("weight", "match_weight"))
    both = again.hits.select("weight", "match_weight") - linked.hits.select("weight", "match_weight")
    weight, match_weight = both.select(pl.all().abs().fill_null(0).max()).row(0)
    assert weight < 1e-9 and match_weight < 1e-6  # DuckDB may add in another order across threads
    assert again.flagged.drop("weight").equals(linked.flagged.drop("weight"))


def test_floor_m_raises_zero_levels_and_keeps_each_comparison_a_distribution() -> None:
    model = {
        "comparisons": [
            {
                "comparison_levels": [
                    {"is_null_level": True},
                    {"m_probability": 0.9},
                    {"m_probability": 0.0},
                    {"m_probability": 0.1},
                ]
            }
        ]
    }
    levels = floor_m(model, 0.01)["comparisons"][0]["comparison_levels"]
    ms = [lv["m_probability"] for lv in levels[1:]]
    assert "m_probability" not in levels[0]
    assert abs(sum(ms) - 1.0) < 1e-12
    assert min(ms) > 0.009 and ms[0] > ms[2] > ms[1]
