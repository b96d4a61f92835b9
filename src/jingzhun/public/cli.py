"""`jingzhun qr …`: the 一码清 public URLs and printable door labels.

Both commands first give every township, village and household in scope a token (through
``ensure_tokens`` as the system actor), so a new village is ready to print in one step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)

BASE_HELP = "公开页网址前缀（默认取设置 PUBLIC_BASE_URL，即环境变量 JINGZHUN_PUBLIC_BASE_URL）"
LEVEL_NAMES = {"township": "乡镇", "village": "村", "household": "户"}


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)


def _base(given: str | None) -> str:
    """``--base`` if given, else ``settings.PUBLIC_BASE_URL`` (call after Django setup)."""
    if given:
        return given
    from django.conf import settings

    return str(getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000"))


@app.command("urls")
def urls(
    village: str | None = typer.Option(None, "--village", help="只列出该村（12 位村级区划代码）及其各户"),
    base: str | None = typer.Option(None, "--base", help=BASE_HELP),
    fmt: str = typer.Option("table", "--format", help="table | json"),
) -> None:
    """列出乡镇、村、户的一码清公开页网址（缺少的二维码令牌先自动生成）。"""
    import json

    from jingzhun.djsetup import setup

    if fmt not in ("table", "json"):
        raise _fail(f"不支持的输出格式：{fmt}（可选 table、json）[format]")
    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.public.actions import ensure_tokens
    from jingzhun.public.listing import UnknownVillage, find_village, public_links

    prefix = ""
    if village:
        try:
            prefix = find_village(village).code
        except UnknownVillage as e:
            raise _fail(str(e)) from None
    ensure_tokens(Actor.system("jingzhun qr urls"), prefix)
    links = public_links(prefix, _base(base))
    if fmt == "json":
        typer.echo(json.dumps(links, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"一码清公开页（{len(links)} 个）")
    table.add_column("层级")
    table.add_column("代码")
    table.add_column("网址", overflow="fold")
    for link in links:
        table.add_row(LEVEL_NAMES[link["level"]], link["code"], link["url"])
    Console().print(table)


@app.command("labels")
def labels(
    village: Annotated[str, typer.Option("--village", help="村级区划代码（12 位）")],
    out: Annotated[Path, typer.Option("--out", help="输出 PDF 文件")],
    base: str | None = typer.Option(None, "--base", help=BASE_HELP),
) -> None:
    """生成本村各户门牌二维码标签（A4，每页 2×4 张，内嵌中文字体）。"""
    from jingzhun.djsetup import setup

    setup()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from jingzhun.core.actions import Actor
    from jingzhun.public.actions import ensure_tokens
    from jingzhun.public.labels import FontMissing, register_font, write_labels
    from jingzhun.public.listing import UnknownVillage, find_village, village_labels

    try:
        register_font()
        region = find_village(village)
    except (FontMissing, UnknownVillage) as e:
        raise _fail(str(e)) from None
    ensure_tokens(Actor.system("jingzhun qr labels"), region.code)
    rows = village_labels(region, _base(base))
    progress = Progress(
        TextColumn("门牌标签"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=Console(stderr=True)
    )
    with progress:
        task = progress.add_task("labels", total=len(rows))
        pages = write_labels(rows, out, title=f"{region.name} 一码清门牌标签", advance=lambda: progress.advance(task))
    typer.echo(f"已生成 {out}：{len(rows)} 户，{pages} 页。", err=True)
