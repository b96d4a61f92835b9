"""`jingzhun crosscheck …`: import a department list as a dated snapshot, run the cross-check (数据比对).

Contract (DESIGN.md): ``import FILE --source KIND --as-of YYYY-MM-DD [--dry-run]`` — all or nothing, every
bad row as 第N行 [列] 消息 on stderr and exit 2; ``run [--source KIND] [--format json]`` — the hits, each list
row at most one person. Heavy imports stay inside the command bodies.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


def _fail(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code=2)


def _check_source(source: str) -> None:
    from jingzhun.monitoring.crosscheck.sources import SOURCES

    if source not in SOURCES:
        _fail([f"[--source] 未知的名单类别：{source}（可选：{' | '.join(SOURCES)}）"])


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="名单文件：.xlsx（第一个工作表）或 .csv")],
    source: Annotated[str, typer.Option("--source", help="名单类别：death | vehicle | business | …")],
    as_of: Annotated[str, typer.Option("--as-of", help="名单截至日期 YYYY-MM-DD")],
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不写入"),
) -> None:
    """导入部门比对名单（按截至日期留存）：全部正确才写入；有错误时逐条列出（第N行 [列] 消息），退出码 2。"""
    import getpass

    _check_source(source)
    try:
        date = dt.date.fromisoformat(as_of)
    except ValueError:
        _fail([f"[--as-of] 日期格式应为 YYYY-MM-DD：{as_of}"])
    if not file.exists():
        _fail([f"[文件] 找不到文件：{file}"])
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.crosscheck.importer import import_list

    report = import_list(
        file, source=source, as_of=date, actor=Actor.system(f"cli:{getpass.getuser()}"), dry_run=dry_run
    )
    if report.errors:
        _fail([*report.error_lines(), report.summary()])
    typer.echo(report.summary())


@app.command("run")
def run_command(
    source: Annotated[str | None, typer.Option("--source", help="只比对这一类名单（默认全部）")] = None,
    fmt: Annotated[str, typer.Option("--format", help="输出格式 table | json")] = "table",
    fuzzy_limit: Annotated[
        int | None, typer.Option("--fuzzy-limit", help="本次最多模糊比对多少行无身份证号的名单行（默认全部）")
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb（本机，默认）| spark（Apache Spark）")] = "duckdb",
    master: Annotated[
        str | None, typer.Option("--master", help="spark：Spark master，如 local[2]、spark://host:7077")
    ] = None,
) -> None:
    """比对最新一期名单与在册人员：身份证号精确比对，无证号的行按姓名+出生日期+村模糊比对（splink）；每个疑点交村核实。"""
    import getpass
    import json

    if source is not None:
        _check_source(source)
    if fmt not in ("table", "json"):
        _fail([f"[--format] 应为 table 或 json：{fmt}"])
    if engine not in ("duckdb", "spark"):
        _fail([f"[--engine] 应为 duckdb 或 spark：{engine}"])
    if master is not None and engine != "spark":
        _fail(["[--master] 需要 --engine spark"])
    spark = None
    if engine == "spark":
        try:
            from jingzhun.scale.spark_month import session
        except ImportError as exc:  # pragma: no cover - the spark group is installed by `make test`
            _fail([f"未安装 Spark：请先运行 uv sync --group spark（{exc}）"])
        spark = session(master, app="jingzhun-crosscheck")
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.monitoring.crosscheck.run import run_crosscheck

    result = run_crosscheck(
        Actor.system(f"cli:{getpass.getuser()}"), [source] if source else None, fuzzy_limit=fuzzy_limit, spark=spark
    )
    if fmt == "json":
        typer.echo(json.dumps({"hits": result.hits}, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    from jingzhun.monitoring.crosscheck.sources import SHORT

    table = Table(title="数据比对")
    for header in ("名单", "截至", "行数", "命中（精确）", "命中（模糊）"):
        table.add_column(header)
    for item in result.lists:
        mine = [h for h in result.hits if h["source"] == item["source"]]
        exact = sum(1 for h in mine if h["match"] == "exact")
        table.add_row(SHORT[item["source"]], item["as_of"], f"{item['rows']:,}", f"{exact:,}", f"{len(mine) - exact:,}")
    console = Console()
    console.print(table)
    console.print(
        f"新增疑点 {result.new} 个，已有疑点保持不变 {result.kept} 个，新增待甄别名单行 {result.flagged} 行"
        f"（多人同等匹配或身份证号多人共用，在数据比对页面甄别）；用时 {result.seconds:.1f} 秒。"
    )
