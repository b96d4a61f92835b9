"""`jingzhun entitle --households H.parquet --persons P.parquet --month YYYY-MM --out LINES.parquet`.

Prints households/s and peak memory on stderr. Households with a missing parameter get no lines; their
messages go to ``LINES.errors.parquet`` beside the output (and a count to stderr).
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import typer

from jingzhun.policy.params import ParameterTree


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_batch(
    households: Path,
    persons: Path,
    month: str,
    out: Path,
    params: ParameterTree,
    *,
    cpi: Path | None = None,
    history: Path | None = None,
) -> None:
    """Check the frames (``schema.check_frames``) and the side files, every error on stderr and exit 2
    with nothing written; then compute with the same CPI and history the document path would use."""
    import polars as pl

    from jingzhun.policy.engine import month_end, parse_month
    from jingzhun.policy.engine_batch import BatchInputError, compute_batch_with_errors
    from jingzhun.policy.schema import check_frames, read_frame, read_side

    try:
        h = read_frame(households)
        p = read_frame(persons)
    except (OSError, pl.exceptions.PolarsError) as exc:
        typer.echo(f"无法读取 Parquet 文件: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    errors = check_frames(h, p, month_end(parse_month(month)))
    person_ids = p["id"] if "id" in p.columns and not errors else pl.Series("id", [], dtype=pl.String)
    cpi_values, history_values, side_errors = read_side(cpi, history, person_ids)
    if errors or side_errors:
        for error in [*errors, *side_errors]:
            typer.echo(error, err=True)
        raise typer.Exit(code=2)
    start = time.perf_counter()
    try:
        result = compute_batch_with_errors(
            h, p, month, params=params, cpi=cpi_values or None, history=history_values or None
        )
    except BatchInputError as exc:
        for error in exc.errors:
            typer.echo(error, err=True)
        raise typer.Exit(code=2) from exc
    elapsed = time.perf_counter() - start
    result.lines.write_parquet(out)
    errors_path = out.with_name(out.stem + ".errors.parquet")
    if result.errors.height:
        result.errors.write_parquet(errors_path)
        failed = result.errors["household_id"].n_unique()
        typer.echo(f"{failed} 户无法计算（无参数），详见 {errors_path}", err=True)
    elif errors_path.exists():
        errors_path.unlink()
    rate = h.height / elapsed if elapsed > 0 else float("inf")
    typer.echo(
        f"{h.height} households, {p.height} persons → {result.lines.height} lines in {elapsed:.2f} s: "
        f"{rate:,.0f} households/s, peak RSS {peak_rss_mib():,.0f} MiB",
        err=True,
    )
