"""Choosing one person per list row from scored pairs (no splink here: the pairs are given)."""

from __future__ import annotations

import polars as pl

from jingzhun.crosscheck.link import choose

ROWS = pl.DataFrame({"uid": [0, 1], "source": ["death", "death"], "row": [2, 3], "village": [None, "141102001001"]})
PERSONS = pl.DataFrame(
    {
        "uid": [10, 11, 12],
        "person_id": [100, 101, 102],
        "household_no": ["h10", "h11", "h12"],
        "id18": ["i10", "i11", "i12"],
        "village": ["141102001001", "141102002001", "141102001001"],
    }
)


def _pairs(*pairs: tuple[int, int, float, float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "row_uid": [p[0] for p in pairs],
            "person_uid": [p[1] for p in pairs],
            "probability": [p[2] for p in pairs],
            "match_weight": [p[3] for p in pairs],
            "agree_name": ["exact"] * len(pairs),
            "agree_birth": ["exact"] * len(pairs),
            "agree_village": ["blank"] * len(pairs),
        }
    )


def test_the_heavier_of_two_near_certain_candidates_wins_though_their_probabilities_round_alike() -> None:
    hits, ties = choose(_pairs((0, 10, 1 - 2**-40, 40.0), (0, 11, 1 - 2**-36, 36.0)), ROWS, PERSONS, 0.9)
    assert hits["person_id"].to_list() == [100]
    assert ties.is_empty()


def test_equal_weights_are_a_tie_and_no_hit() -> None:
    hits, ties = choose(_pairs((0, 10, 0.99, 6.6), (0, 11, 0.99, 6.6)), ROWS, PERSONS, 0.9)
    assert hits.is_empty()
    assert ties.select("row", "reason", "candidate_uids").to_dicts() == [
        {"row": 2, "reason": "tie", "candidate_uids": [10, 11]}
    ]


def test_below_the_threshold_is_no_hit_and_a_stated_village_is_checked_again() -> None:
    pairs = _pairs((0, 10, 0.85, 2.5), (1, 11, 0.999, 10.0), (1, 12, 0.95, 4.0))
    hits, ties = choose(pairs, ROWS, PERSONS, 0.9)
    # row 3 states village …001001: person 11 (another township) is not eligible however strong
    assert hits.select("row", "person_id").to_dicts() == [{"row": 3, "person_id": 102}]
    assert ties.is_empty()
