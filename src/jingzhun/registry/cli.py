"""`jingzhun registry …` (placeholder until the registry importer lands)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("stats")
def stats(fmt: str = typer.Option("table", "--format", help="table | json")) -> None:
    """户籍统计：区域、户、人数。"""
    import json

    from jingzhun.djsetup import setup

    setup()
    from jingzhun.registry.models import Region

    data = {"regions": Region.objects.count(), "households": 0, "persons": 0}
    typer.echo(json.dumps(data, ensure_ascii=False))
