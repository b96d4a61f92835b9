"""The database run on a synthetic county with known truth: exact and fuzzy hits, the stated village binding
(same-name, same-birthday namesakes of another township never match), quality measured, not just run."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jingzhun.core.actions import Actor
from jingzhun.monitoring.crosscheck.importer import import_list
from jingzhun.monitoring.crosscheck.run import run_crosscheck
from jingzhun.registry.importer import import_file
from jingzhun.synth.departments import AS_OF, write_department_lists
from jingzhun.synth.generate import generate_county

pytestmark = pytest.mark.django_db
HOUSEHOLDS, ROWS, SEED = 1_200, 600, 2018


def test_run_on_a_synthetic_county_meets_the_quality_targets(tmp_path: Path) -> None:
    system = Actor.system("test")
    county = generate_county("141102", HOUSEHOLDS, SEED, tmp_path)
    for path in (county.regions_path, county.households_path):
        assert import_file(path, actor=system).ok
    lists = write_department_lists(county.households_path, tmp_path / "departments", ROWS, SEED)
    for source in ("vehicle", "death"):
        assert import_list(tmp_path / "departments" / f"{source}.csv", source=source, as_of=AS_OF, actor=system).ok
    result = run_crosscheck(system)

    hits = pl.DataFrame(result.hits).select("source", "row", "household_no", "match")
    truth = lists.truth.filter(pl.col("source").is_in(["vehicle", "death"])).select(
        "source", "row", "kind", pl.col("household_no").alias("true_household")
    )
    joined = truth.join(hits, on=["source", "row"], how="left")
    assert joined.height == truth.height and hits.height == hits.unique(["source", "row"]).height

    exact = joined.filter(pl.col("kind").is_in(["exact", "exact_15"]))
    assert (exact["household_no"] == exact["true_household"]).all() and (exact["match"] == "exact").all()
    namesakes = joined.filter(pl.col("kind") == "namesake_township")
    assert namesakes.height > 0 and namesakes["household_no"].null_count() == namesakes.height
    assert (
        joined.filter(pl.col("kind").str.starts_with("nonmatch"))["household_no"].null_count()
        == joined.filter(pl.col("kind").str.starts_with("nonmatch")).height
    )

    fuzzy = joined.filter(pl.col("match") == "fuzzy")
    true_fuzzy = joined.filter(pl.col("kind").is_in(["noisy", "invalid_id"]))
    right = fuzzy.filter(pl.col("household_no") == pl.col("true_household")).height
    precision, recall = right / max(fuzzy.height, 1), right / max(true_fuzzy.height, 1)
    assert precision >= 0.9, (precision, recall)
    assert recall >= 0.75, (precision, recall)
    again = run_crosscheck(system)
    assert again.new == 0 and again.kept == len(result.hits)
