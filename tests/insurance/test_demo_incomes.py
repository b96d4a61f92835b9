"""The demo's 交口 incomes (insurance/demo_data.calibrate_incomes): a calibrated share of rural households stays
below the poverty line, every other one below it is lifted by 转移性收入 only, and nothing else changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from jingzhun.insurance.demo_data import BELOW_LINE_SHARE, INCOME_COLUMNS, LIFT_PERMILLE, calibrate_incomes
from jingzhun.synth.generate import generate_county

LINE_FEN = 321_800  # 2019's national line


def _households(path: Path) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False)
    fen = [(pl.col(c).fill_null("0").cast(pl.Decimal(18, 2)) * 100).cast(pl.Int64) for c in INCOME_COLUMNS]
    return (
        frame.with_columns(income=pl.sum_horizontal(fen))
        .group_by("户编号", maintain_order=True)
        .agg(pl.col("城乡类别").first(), pl.col("income").sum(), pl.len().alias("members"))
    )


def test_a_calibrated_share_stays_below_the_line_and_the_rest_is_lifted(tmp_path: Path) -> None:
    synth = generate_county("141130", 1200, 7, tmp_path)
    before_rows = pl.read_csv(synth.households_path, infer_schema=False)
    before = _households(synth.households_path)
    rural = before.filter(pl.col("城乡类别") == "农村")
    below = rural.filter(pl.col("income") < LINE_FEN * pl.col("members"))
    assert below.height > round(BELOW_LINE_SHARE * rural.height)  # the generic county is poorer than 交口
    lifted = calibrate_incomes(synth.households_path, 7)
    after = _households(synth.households_path)
    still = after.filter((pl.col("城乡类别") == "农村") & (pl.col("income") < LINE_FEN * pl.col("members")))
    assert still.height == round(BELOW_LINE_SHARE * rural.height) and lifted == below.height - still.height
    changed = after.join(before, on="户编号", suffix="_before").filter(pl.col("income") != pl.col("income_before"))
    assert changed.height == lifted and set(changed["户编号"]) <= set(below["户编号"])
    for income, members in changed.select("income", "members").iter_rows():
        assert LINE_FEN * members * LIFT_PERMILLE[0] // 1000 <= income <= LINE_FEN * members * LIFT_PERMILLE[1] // 1000
    rows = pl.read_csv(synth.households_path, infer_schema=False)
    assert rows.drop("转移性收入").equals(before_rows.drop("转移性收入"))  # only 转移性收入 moved
    more = [
        Decimal(a or "0") - Decimal(b or "0")
        for a, b in zip(rows["转移性收入"], before_rows["转移性收入"], strict=True)
    ]
    assert all(x >= 0 for x in more) and sum(1 for x in more if x > 0) == lifted
