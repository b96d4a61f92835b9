"""`jingzhun entitle` and `jingzhun policy …` (placeholder until the policy engine lands)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_parameters() -> None:
    """列出所有政策参数。"""
    raise typer.Exit(code=1)


def entitle(month: str = typer.Option(..., "--month")) -> None:
    """计算待遇。"""
    raise typer.Exit(code=1)
