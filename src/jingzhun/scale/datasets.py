"""County-partitioned Parquet datasets: the layout both scale engines read and write.

A dataset is a directory with one Hive-style partition per county, ``region=<GB/T 2260 code>/*.parquet``
(what ``spark.write.partitionBy("region")`` and ``jingzhun synth --province`` produce); the partition value
is the household's county. Households carry their ``region`` only in the directory name (a ``region`` column
inside the files is accepted too and must agree); persons are co-partitioned: a person sits in the partition
of its household's county. A single Parquet file is a dataset of whatever counties its rows name.

A households file may carry ``rules_region``: the parameterised county whose rules its households take
(the synthetic province of ``jingzhun synth --province``: 117 partitions over 吕梁's 13 parameterised
counties, :mod:`jingzhun.synth.batch_frames`). Both engines give the rules engine ``region`` =
``rules_region`` (:func:`with_rules_region`) and keep the partition's code for the lines they write.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl

PARTITION = "region"
RULES = "rules_region"


def counties(path: Path) -> list[str]:
    """The county codes of a dataset directory's partitions, sorted."""
    return sorted(p.name.split("=", 1)[1] for p in path.iterdir() if p.is_dir() and p.name.startswith(f"{PARTITION}="))


def partition_files(path: Path, county: str) -> list[Path]:
    return sorted((path / f"{PARTITION}={county}").glob("*.parquet"))


def read_county(path: Path, county: str, *, keep_region: bool) -> pl.DataFrame:
    """One county's rows of a partitioned dataset; ``region`` added from the directory when ``keep_region``,
    else removed (persons have no ``region`` column in the batch schema). Empty when the partition is absent."""
    files = partition_files(path, county)
    if not files:
        return pl.DataFrame()
    frame = pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")
    if PARTITION in frame.columns:
        if keep_region:
            return frame
        return frame.drop(PARTITION)
    if keep_region:
        return frame.with_columns(pl.lit(county, pl.String).alias(PARTITION))
    return frame


def region_mismatch(frame: pl.DataFrame, county: str) -> list[str]:
    """A ``region`` column inside the files that disagrees with the partition it sits in."""
    if PARTITION not in frame.columns or frame.is_empty():
        return []
    wrong = frame.filter(pl.col(PARTITION) != county)
    if wrong.is_empty():
        return []
    sample = ", ".join(str(v) for v in wrong["id"].head(5).to_list())
    return [f"[{county}] {wrong.height} 户的区划代码与所在分区 region={county} 不符（如 {sample}）"]


def with_rules_region(households: pl.DataFrame) -> pl.DataFrame:
    """The households as the rules engine takes them: ``region`` = ``rules_region`` when the files carry
    one (the column itself dropped: the engine's schema has no such column); unchanged otherwise."""
    if RULES not in households.columns:
        return households
    return households.with_columns(pl.col(RULES).alias(PARTITION)).drop(RULES)


def write_county(frame: pl.DataFrame, root: Path, county: str) -> None:
    part = root / f"{PARTITION}={county}"
    part.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(part / "part-0.parquet")


def repeated_hashes(hashes: Iterable[pl.Series]) -> pl.Series:
    """The id hashes (``Series.hash``) that occur more than once across the counties."""
    series = [h for h in hashes if h.len()]
    if not series:
        return pl.Series("id", [], dtype=pl.UInt64)
    everything = pl.concat(series)
    return everything.filter(everything.is_duplicated()).unique()


def ids_with_hash(path: Path, county: str, hashes: pl.Series) -> pl.Series:
    """A county's ids (only the ``id`` column is read) whose hash is among ``hashes``."""
    files = partition_files(path, county)
    if not files:
        return pl.Series("id", [], dtype=pl.String)
    ids = pl.concat([pl.read_parquet(f, columns=["id"])["id"] for f in files])
    return ids.filter(ids.hash(seed=0).is_in(hashes.implode()))


def duplicated(ids: Iterable[pl.Series], label: str) -> list[str]:
    """Ids that occur in more than one row across all counties (the per-county check sees only its own)."""
    series = [s for s in ids if s.len()]
    if not series:
        return []
    all_ids = pl.concat(series)
    dup = all_ids.filter(all_ids.is_duplicated()).unique().sort()
    if dup.is_empty():
        return []
    sample = ", ".join(dup.head(5).to_list())
    return [f"{label}编号跨县重复 {dup.len()} 个（如 {sample}）"]


def sibling(out: Path, suffix: str) -> Path:
    """``LINES`` → ``LINES.errors`` / ``LINES.problems`` beside it."""
    return out.with_name(out.name + suffix)


def listed(problems: list[str]) -> list[str]:
    """The problems as both scale engines print them: the first ``MAX_LISTED`` (the one-file check's limit),
    then a count of the rest."""
    from jingzhun.policy.schema import MAX_LISTED

    more = len(problems) - MAX_LISTED
    return problems[:MAX_LISTED] + ([f"另有 {more:,} 处错误未列出"] if more > 0 else [])
