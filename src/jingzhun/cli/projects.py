"""`jingzhun projects …`: import a projects file, write its template, synthesise a county's projects.

Heavy imports (Django, Polars, openpyxl) stay inside the command bodies so ``jingzhun --help`` is fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="项目资金导入文件：.xlsx（第一个工作表）或 .csv")],
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不写入"),
) -> None:
    """导入项目和资金（一笔资金一行）：全部正确才写入；有错误时逐条列出（第N行 [列] 消息），退出码 1。"""
    import getpass

    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.projects.importer import import_file

    report = import_file(file, actor=Actor.system(f"cli:{getpass.getuser()}"), dry_run=dry_run)
    if report.errors:
        for line in report.error_lines():
            typer.echo(line, err=True)
        typer.echo(report.summary(), err=True)
        raise typer.Exit(code=1)
    typer.echo(report.summary())


@app.command("template")
def template_command(out: Annotated[Path, typer.Argument(help="输出文件，如 项目资金导入模板.xlsx")]) -> None:
    """生成项目资金导入模板（.xlsx）：表头、示例项目和“说明”工作表。"""
    from jingzhun.projects.template import write_template

    if out.suffix.lower() != ".xlsx":
        typer.echo("模板文件须以 .xlsx 结尾", err=True)
        raise typer.Exit(code=2)
    write_template(out)
    typer.echo(f"已生成项目资金导入模板：{out}")


@app.command("synth")
def synth_command(
    regions: Annotated[Path, typer.Option("--regions", help="合成县的 regions.csv（jingzhun synth 的输出）")] = Path(
        "var/synth/regions.csv"
    ),
    households: Annotated[
        Path | None, typer.Option("--households", help="households.csv：按各村户数定受益户数（可省略）")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="随机种子：相同参数生成相同文件")] = 2018,
    out: Annotated[Path, typer.Option("--out", help="输出文件")] = Path("var/synth/projects.csv"),
) -> None:
    """为合成县的各村生成扶贫项目和资金（导入格式，每村 1–3 个项目）。"""
    from jingzhun.synth.projects import generate_projects

    try:
        result = generate_projects(regions, seed, out, households_path=households)
    except (OSError, ValueError) as exc:
        typer.echo(f"错误：{exc}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(f"已写出 {out}：项目 {result.projects} 个，资金 {result.allocations} 笔。")
