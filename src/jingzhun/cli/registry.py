"""`jingzhun registry …`: import a file, write the import template, count what is registered.

Heavy imports (Django, Polars, openpyxl) stay inside the command bodies so ``jingzhun --help`` is fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="导入文件：.xlsx（第一个工作表）或 .csv（UTF-8 或 GB18030）")],
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不写入"),
    update: bool = typer.Option(
        False, "--update", help="年度更新：按户编号与系统比对（新增、变化、迁入、文件中没有），全部正确才写入"
    ),
) -> None:
    """导入户籍或区域文件：全部正确才写入；有错误时逐条列出（第N行 [列] 消息），退出码 1。"""
    import getpass

    if update:
        _update(file, dry_run)
        return

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.registry.importer import import_file

    stderr = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        task = bar.add_task(f"导入 {file.name}", total=None)

        def tick(done: int, total: int) -> None:
            stage = "读取" if done * 3 <= total else "检查" if done * 3 <= 2 * total else "写入"
            bar.update(task, completed=done, total=total, description=f"{stage} {file.name}")

        report = import_file(file, actor=Actor.system(f"cli:{getpass.getuser()}"), dry_run=dry_run, progress=tick)
    if report.errors:
        for line in report.error_lines():
            typer.echo(line, err=True)
        typer.echo(report.summary(), err=True)
        raise typer.Exit(code=1)
    for line in report.assigned_lines():
        typer.echo(f"系统分配户编号：{line}")
    typer.echo(report.summary())


def _update(file: Path, dry_run: bool) -> None:
    """更新导入: the preview (every difference) and, without --dry-run, the same changes applied."""
    import getpass

    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.registry.update_import import apply_update, plan_update

    actor = Actor.system(f"cli:{getpass.getuser()}")
    report = plan_update(file, actor=actor) if dry_run else apply_update(file, actor=actor)
    if report.errors:
        for line in report.error_lines():
            typer.echo(line, err=True)
        typer.echo(report.summary(), err=True)
        raise typer.Exit(code=1)
    for line in report.lines():
        typer.echo(line)
    for old, new in report.assigned.items():
        typer.echo(f"系统分配户编号：{old} → {new}")
    typer.echo(report.summary())


@app.command("template")
def template_command(out: Annotated[Path, typer.Argument(help="输出文件，如 户籍导入模板.xlsx")]) -> None:
    """生成导入模板（.xlsx）：表头、下拉选项、示例户和“说明”工作表。"""
    from jingzhun.registry.template import write_template

    if out.suffix.lower() != ".xlsx":
        typer.echo("模板文件须以 .xlsx 结尾", err=True)
        raise typer.Exit(code=2)
    write_template(out)
    typer.echo(f"已生成导入模板：{out}")


@app.command("stats")
def stats(fmt: str = typer.Option("table", "--format", help="输出格式 table | json")) -> None:
    """户籍统计：区域数、在册户数、在册人数。"""
    import json

    from jingzhun.cli.djsetup import setup

    if fmt not in ("table", "json"):
        typer.echo(f"输出格式 [--format] 须为 table | json，得到 {fmt!r}", err=True)
        raise typer.Exit(code=2)

    setup()
    from jingzhun.registry.models import Household, Person, PersonStatus, Region

    data = {
        "regions": Region.objects.count(),
        "households": Household.objects.filter(active=True).count(),
        "persons": Person.objects.filter(status=PersonStatus.ACTIVE, household__active=True).count(),
    }
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="建档立卡户籍统计")
    for header in ("区域（个）", "在册户（户）", "在册人员（人）"):
        table.add_column(header, justify="right")
    table.add_row(*(f"{data[k]:,}" for k in ("regions", "households", "persons")))
    Console().print(table)
