"""`jingzhun run-month`, `jingzhun ledger …`, `jingzhun report …` (placeholders until the ledger lands)."""

from __future__ import annotations

import typer

ledger_app = typer.Typer(no_args_is_help=True)
report_app = typer.Typer(no_args_is_help=True)


def run_month(month: str = typer.Argument(..., help="YYYY-MM")) -> None:
    """按月计算待遇并写入发放台账。"""
    raise typer.Exit(code=1)


@ledger_app.command("totals")
def totals(month: str = typer.Argument(..., help="YYYY-MM")) -> None:
    """某月发放合计。"""
    raise typer.Exit(code=1)


@report_app.command("month")
def report_month(month: str = typer.Argument(..., help="YYYY-MM")) -> None:
    """月通报。"""
    raise typer.Exit(code=1)
