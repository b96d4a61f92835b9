"""`jingzhun entitle` on county-partitioned datasets: county by county with Polars (``--engine polars``, the
default, when ``--households`` is a directory) or on Apache Spark (``--engine spark [--master URL]``).

Same contract as the one-file batch path: every problem on stderr and exit 2 with no lines written (Spark
also writes them to the Parquet dataset ``OUT.problems``); households with a missing parameter get no
lines, their messages go to ``OUT.errors/`` and a count to stderr; a summary line on stderr.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

from jingzhun.cli.policy_batch import peak_rss_mib
from jingzhun.policy.params import ParameterTree
from jingzhun.scale import datasets

ENGINES = ("polars", "spark")


def run_partitioned(
    households: Path,
    persons: Path,
    month: str,
    out: Path,
    params: ParameterTree,
    *,
    cpi: Path | None,
    history: Path | None,
) -> None:
    """The Polars engine over ``region=`` partitions: one county in memory at a time."""
    import polars as pl

    from jingzhun.policy.engine import month_end, parse_month
    from jingzhun.policy.schema import read_side
    from jingzhun.scale import county_runs

    start = time.perf_counter()
    for path, option in ((households, "--households"), (persons, "--persons")):
        if not path.is_dir():
            typer.echo(f"{option} 须为按县分区的目录（region=<县级代码>/*.parquet）：{path}", err=True)
            raise typer.Exit(code=2)
    keys = county_runs.history_keys(history)
    checked = county_runs.check_counties(households, persons, month_end(parse_month(month)), keys)
    members = pl.concat(checked.history_members) if checked.history_members else pl.Series("id", [], pl.String)
    cpi_values, history_values, side_errors = read_side(cpi, history, members)
    problems = checked.problems + side_errors
    if problems:
        for line in datasets.listed(problems):
            typer.echo(line, err=True)
        raise typer.Exit(code=2)
    summaries = county_runs.compute_counties(
        households, persons, month, out, params, cpi=cpi_values or None, history=history_values or None
    )
    _summary(
        "polars",
        sum(s.households for s in summaries),
        sum(s.persons for s in summaries),
        sum(s.lines for s in summaries),
        sum(s.failed_households for s in summaries),
        len(summaries),
        out,
        time.perf_counter() - start,
    )


def run_spark(
    households: Path,
    persons: Path,
    month: str,
    out: Path,
    params: ParameterTree,
    *,
    cpi: Path | None,
    history: Path | None,
    master: str | None,
) -> None:
    try:
        from jingzhun.scale import spark_month
    except ImportError as exc:  # pragma: no cover - the spark group is installed by `make test`
        typer.echo(f"未安装 Spark：请先运行 uv sync --group spark（{exc}）", err=True)
        raise typer.Exit(code=2) from exc
    start = time.perf_counter()
    run = spark_month.run(households, persons, month, out, params, cpi_path=cpi, history_path=history, master=master)
    if run.problems:
        for line in datasets.listed(run.problems):
            typer.echo(line, err=True)
        typer.echo(f"全部问题已写入 Parquet 数据集 {datasets.sibling(out, '.problems')}", err=True)
        raise typer.Exit(code=2)
    _summary(
        "spark", run.households, run.persons, run.lines, run.failed_households, None, out, time.perf_counter() - start
    )


def _summary(
    engine: str, households: int, persons: int, lines: int, failed: int, counties: int | None, out: Path, seconds: float
) -> None:
    if failed:
        typer.echo(f"{failed} 户无法计算（无参数），详见 {out.with_name(out.name + '.errors')}", err=True)
    rate = households / seconds if seconds > 0 else float("inf")
    where = f" in {counties} counties" if counties is not None else ""
    typer.echo(
        f"[{engine}] {households} households, {persons} persons{where} → {lines} lines in {seconds:.2f} s: "
        f"{rate:,.0f} households/s, peak RSS {peak_rss_mib():,.0f} MiB (driver)",
        err=True,
    )
