"""`jingzhun filial …` — 孝亲敬老奖励: import 子女赡养费 records (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


@app.command("import")
def import_support(
    path: Annotated[Path, typer.Argument(help=".xlsx 或 .csv")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查，不写入")] = False,
) -> None:
    """导入子女赡养费记录：有任何错误行则整份文件不写入，逐行列出错误（第N行 [列]：…），退出码 1。"""
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.assistance.filial_import import import_support_file
    from jingzhun.core.actions import Actor
    from jingzhun.policy.money import fen_to_grouped

    report = import_support_file(path, actor=Actor.system("cli"), dry_run=dry_run)
    if report.errors:
        for error in report.errors:
            typer.echo(error, err=True)
        typer.echo(f"共 {len(report.errors)} 处错误，未写入任何记录。", err=True)
        raise typer.Exit(code=1)
    verb = "检查通过（--dry-run，未写入）" if dry_run else "已导入"
    typer.echo(f"{verb}：子女赡养费 {report.rows} 笔，共 {fen_to_grouped(report.amount_fen)} 元")
