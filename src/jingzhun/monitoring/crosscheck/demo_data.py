"""The demo's 数据比对 step: the synthetic county's department lists imported and cross-checked.

``add_demo_crosscheck`` draws every list of :mod:`jingzhun.synth.departments` (``rows`` rows each) from the
registry file the demo imported, writes them as CSV beside it, imports each through the same importer as
``jingzhun crosscheck import`` (截至 2020-06-30) and runs the cross-check with the fuzzy part capped at
``fuzzy_limit`` rows, so that 疑点 await verification in every township without the demo taking long.

The 低保名册 is not a random sample (walk: 150 random rows read "52 应保未保, 104 不一致"): the demo passes
``roll``, the county's own enrolled 低保 households (:func:`jingzhun.cli.demo_roll.enrolled_roll`), written in
place of the synthetic list.
"""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl

from jingzhun.core.actions import Actor
from jingzhun.monitoring.crosscheck.importer import import_list
from jingzhun.monitoring.crosscheck.run import run_crosscheck

DEMO_ROWS = 150  # per list at the demo's default 20 000 households [default]
DEMO_HOUSEHOLDS = 20_000
FUZZY_LIMIT = 300  # rows without a usable ID matched fuzzily in the demo [default]


def rows_for(households: int) -> int:
    """Rows per list in proportion to the county (150 at 20 000 households, at least 20): a fixed 150 gave
    a 3 000-household demo 1 537 疑点 — one person in six a department hit (walk8)."""
    return max(20, round(DEMO_ROWS * households / DEMO_HOUSEHOLDS))


def add_demo_crosscheck(
    actor: Actor,
    households_path: Path,
    seed: int,
    *,
    rows: int = DEMO_ROWS,
    fuzzy_limit: int = FUZZY_LIMIT,
    roll: pl.DataFrame | None = None,
) -> str:
    """Import the synthetic department lists and run the cross-check; one Chinese line for the console."""
    from jingzhun.synth.departments import AS_OF, write_department_lists
    from jingzhun.synth.writer import write_csv

    started = time.perf_counter()
    out = households_path.parent / "departments"
    lists = write_department_lists(households_path, out, rows, seed)
    if roll is not None and roll.height:
        write_csv(roll, out / "dibao_roll.csv")
    for source in lists.lists:
        report = import_list(out / f"{source}.csv", source=source, as_of=AS_OF, actor=actor)
        if report.errors:
            raise ValueError(f"演示名单导入失败（{source}）：{'；'.join(report.error_lines()[:5])}")
    result = run_crosscheck(actor, fuzzy_limit=fuzzy_limit)
    own = f"，低保名册为本县在保 {roll.height} 户" if roll is not None and roll.height else ""
    return (
        f"已导入部门比对名单 {len(lists.lists)} 份（每份 {rows} 行{own}）并比对：命中 {len(result.hits)} 行，"
        f"新增疑点 {result.new} 个，用时 {time.perf_counter() - started:.1f} 秒"
    )
