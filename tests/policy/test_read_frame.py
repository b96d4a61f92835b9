"""The batch front door reads each Parquet column as one chunk (so the evaluator never copies the frame to
align its chunks), with the same content as a plain read."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from jingzhun.policy.schema import read_frame


def test_one_chunk_per_column_same_content(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "id": [f"P{i:06d}" for i in range(5000)],
            "n": list(range(5000)),
            "grade": pl.Series([None if i % 3 else i % 4 + 1 for i in range(5000)], dtype=pl.Int8),
            "tags": [["a"] if i % 2 else [] for i in range(5000)],
        }
    )
    path = tmp_path / "p.parquet"
    frame.write_parquet(path, row_group_size=700)
    assert pl.read_parquet(path).n_chunks("all")[0] > 1
    read = read_frame(path)
    assert read.n_chunks("all") == [1, 1, 1, 1]
    assert read.equals(frame)
    assert read.schema == frame.schema
