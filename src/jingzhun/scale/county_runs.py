"""The single-machine province path: ``jingzhun entitle --households DIR --persons DIR --out DIR`` computes
county by county, holding one county in memory at a time (peak memory bounded by the largest county, not
the province), through the same checks and rules as the one-file batch path.

Two passes, so that nothing is written unless every county is valid: (1) read each county, check it
(``schema.check_frames``; persons are checked against their own county's households), collect its ids and
the history's person ids; then the cross-county checks (ids unique in the whole province) and the side
files; (2) compute each county and write ``OUT/region=<code>/part-0.parquet``. Households with a missing
parameter get no lines; their messages go to ``OUT.errors/region=<code>/``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from jingzhun.policy.params import ParameterTree
from jingzhun.scale import datasets


@dataclass
class Checked:
    """What the check pass found: problems (each naming its county), and the history's person ids present."""

    problems: list[str] = field(default_factory=list)
    households: int = 0
    persons: int = 0
    history_members: list[pl.Series] = field(default_factory=list)


@dataclass(frozen=True)
class CountySummary:
    county: str
    households: int
    persons: int
    lines: int
    failed_households: int


def history_keys(history: Path | None) -> list[str]:
    """The person ids a ``--history`` file names (empty when absent or unreadable: ``read_side`` reports)."""
    if history is None:
        return []
    from jingzhun.policy.loader import LoadError, load_text

    try:
        raw = load_text(history.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, LoadError):
        return []
    return [str(k) for k in raw] if isinstance(raw, dict) else []


def check_counties(
    households: Path,
    persons: Path,
    month_end: dt.date,
    keys: list[str],
    progress: Callable[[str], None] | None = None,
) -> Checked:
    from jingzhun.policy.schema import check_frames

    result = Checked()
    codes = sorted(set(datasets.counties(households)) | set(datasets.counties(persons)))
    if not codes:
        result.problems.append(f"{households} 中没有 region=<县级代码> 分区")
        return result
    h_ids: list[pl.Series] = []
    p_ids: list[pl.Series] = []
    for i, code in enumerate(codes):
        if progress:
            progress(f"核查 {code}（{i + 1}/{len(codes)}）")
        h = datasets.read_county(households, code, keep_region=True)
        p = datasets.read_county(persons, code, keep_region=False)
        problems = datasets.region_mismatch(h, code)
        h = datasets.with_rules_region(h)
        if h.is_empty():
            problems.append("户文件中没有该县分区，但人员文件中有")
        else:
            problems += check_frames(h, p, month_end)
        result.problems += [m if m.startswith(f"[{code}]") else f"[{code}] {m}" for m in problems]
        if "id" in h.columns:
            h_ids.append(h["id"].hash(seed=0))
        if "id" in p.columns:
            p_ids.append(p["id"].hash(seed=0))
            if keys:
                result.history_members.append(p["id"].filter(p["id"].is_in(keys)))
        result.households += h.height
        result.persons += p.height
    # ids unique across counties: 8-byte hashes kept per county (not the strings: 30 M person ids would
    # be gigabytes); only ids whose hash repeats are read again and compared as strings
    for hashes, path, label in ((h_ids, households, "户"), (p_ids, persons, "人员")):
        suspects = datasets.repeated_hashes(hashes)
        if suspects.len():
            ids = [datasets.ids_with_hash(path, code, suspects) for code in codes]
            result.problems += datasets.duplicated(ids, label)
    return result


def compute_counties(
    households: Path,
    persons: Path,
    month: str,
    out: Path,
    params: ParameterTree,
    *,
    cpi: dict[str, Any] | None,
    history: dict[str, Any] | None,
    progress: Callable[[str], None] | None = None,
) -> list[CountySummary]:
    """Compute and write every county (a previous ``OUT`` and ``OUT.errors`` are replaced)."""
    from jingzhun.policy.engine_batch import compute_batch_with_errors

    errors_root = datasets.sibling(out, ".errors")
    for root in (out, errors_root):
        if root.exists():
            shutil.rmtree(root)
    out.mkdir(parents=True)
    summaries = []
    codes = datasets.counties(households)
    for i, code in enumerate(codes):
        if progress:
            progress(f"计算 {code}（{i + 1}/{len(codes)}）")
        h = datasets.with_rules_region(datasets.read_county(households, code, keep_region=True))
        p = datasets.read_county(persons, code, keep_region=False)
        result = compute_batch_with_errors(h, p, month, params=params, cpi=cpi, history=history)
        datasets.write_county(result.lines, out, code)
        if result.errors.height:
            datasets.write_county(result.errors, errors_root, code)
        failed = result.errors["household_id"].n_unique() if result.errors.height else 0
        summaries.append(CountySummary(code, h.height, p.height, result.lines.height, failed))
    return summaries
