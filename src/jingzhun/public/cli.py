"""`jingzhun qr …` (placeholder until the 一码清 pages land)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("urls")
def urls() -> None:
    """列出公开页网址。"""
    raise typer.Exit(code=1)
