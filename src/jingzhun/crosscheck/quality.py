"""Quality of a linkage against a known truth: confusion counts, precision and recall per channel.

The truth frame has ``source``, ``row`` and ``id_number`` — the true registry person's ID number, null
when the row is nobody in the registry (as :mod:`jingzhun.synth.departments` writes it). A row belongs
to the ``exact`` channel when its 身份证号 is usable and to ``fuzzy`` otherwise. Per channel:

* tp — matched to the true person; fp — matched to someone else (a wrong person, or anyone for a row
  whose truth is nobody); fn — a row with a true person that is unmatched or matched wrongly (a wrong
  match counts as fp *and* fn); tn — nobody, and no match.
* precision = tp / (tp + fp), recall = tp / (tp + fn) (1.0 when the denominator is 0).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from jingzhun.crosscheck.ids import normalise_ids
from jingzhun.crosscheck.link import Linked, select_best


def outcomes(linked: Linked, rows: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """Every row with its channel, true and matched ID number, and ``outcome`` tp | fp | fn | fp+fn | tn."""
    usable = normalise_ids(rows["id_number"])["id18"].is_not_null()
    frame = (
        rows.select("source", "row")
        .with_columns(pl.when(usable).then(pl.lit("exact")).otherwise(pl.lit("fuzzy")).alias("channel"))
        .join(
            truth.select(
                "source",
                "row",
                pl.col("id_number").alias("true_id"),
                *(c for c in ("kind", "noise") if c in truth.columns),
            ),
            on=["source", "row"],
            how="left",
        )
        .join(
            linked.hits.select("source", "row", pl.col("id_number").alias("hit_id"), "weight"),
            on=["source", "row"],
            how="left",
        )
    )
    hit, true = pl.col("hit_id"), pl.col("true_id")
    return frame.with_columns(
        pl.when(hit.is_null() & true.is_null())
        .then(pl.lit("tn"))
        .when(hit.is_null())
        .then(pl.lit("fn"))
        .when(true.is_null())
        .then(pl.lit("fp"))
        .when(hit == true)
        .then(pl.lit("tp"))
        .otherwise(pl.lit("fp+fn"))
        .alias("outcome")
    )


def confusion(linked: Linked, rows: pl.DataFrame, truth: pl.DataFrame) -> dict[str, dict[str, Any]]:
    table = outcomes(linked, rows, truth)
    out: dict[str, dict[str, Any]] = {}
    for channel in ("exact", "fuzzy"):
        part = table.filter(pl.col("channel") == channel)
        counts = dict(part.group_by("outcome").len().iter_rows())
        wrong = int(counts.get("fp+fn", 0))
        tp, fp, fn, tn = (int(counts.get(k, 0)) for k in ("tp", "fp", "fn", "tn"))
        fp, fn = fp + wrong, fn + wrong
        out[channel] = {
            "rows": part.height,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
        }
    return out


def sweep(linked: Linked, rows: pl.DataFrame, truth: pl.DataFrame, thresholds: list[float]) -> list[dict[str, Any]]:
    """The fuzzy channel's confusion counts at each threshold (same scored pairs, chosen again)."""
    exact = linked.hits.filter(pl.col("match") == "exact")
    out = []
    for threshold in thresholds:
        fuzzy, _ties = select_best(linked.candidates, threshold)
        again = Linked(hits=pl.concat([exact, fuzzy], how="vertical_relaxed"), flagged=linked.flagged)
        out.append({"threshold": threshold, **confusion(again, rows, truth)["fuzzy"]})
    return out
