"""`jingzhun synth` (placeholder until the generator lands)."""

from __future__ import annotations

import typer


def synth(region: str = typer.Option("141102", "--region")) -> None:
    """生成合成县。"""
    raise typer.Exit(code=1)
