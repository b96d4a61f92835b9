"""`jingzhun pv import | template | report`: village PV stations and their revenue (光伏收益, POLICY.md §9).

Exit status as the other imports: 0 done; 1 refused (every bad row on stderr as ``第N行 [列] 消息``, nothing
written; an unknown village); 2 on a malformed invocation (a year that is not one, an unknown format).
Heavy imports stay inside the command bodies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from jingzhun.core.actions import Actor

app = typer.Typer(no_args_is_help=True)


def _fail(messages: list[str], code: int) -> NoReturn:
    for message in messages:
        typer.echo(message, err=True)
    raise typer.Exit(code=code)


def _actor() -> Actor:
    import getpass

    from jingzhun.core.actions import Actor

    return Actor.system(f"cli:{getpass.getuser()}")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="光伏电站和收益导入文件：.xlsx（第一个工作表）或 .csv")],
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不写入"),
) -> None:
    """导入光伏电站和年度发电量、收益：全部正确才写入；有错误时逐条列出（第N行 [列] 消息），退出码 1。"""
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.projects.pv_import import import_pv_file

    report = import_pv_file(file, actor=_actor(), dry_run=dry_run)
    if report.errors:
        _fail([*report.error_lines(), report.summary()], 1)
    typer.echo(report.summary())


@app.command("template")
def template_command(out: Annotated[Path, typer.Argument(help="输出文件，如 光伏收益导入模板.xlsx")]) -> None:
    """生成光伏电站和收益导入模板（.xlsx）：表头和一行示例。"""
    if out.suffix.lower() != ".xlsx":
        _fail(["模板文件须以 .xlsx 结尾"], 2)
    from jingzhun.cli.djsetup import setup

    setup()  # the importer's module reads the registry's models
    from jingzhun.projects.pv_import import write_template

    write_template(out)
    typer.echo(f"已生成光伏电站和收益导入模板：{out}")


@app.command("report")
def report_command(
    year: Annotated[str, typer.Option("--year", help="年度，如 2019")],
    village: Annotated[str | None, typer.Option("--village", help="村级区划代码（12 位）；默认全部")] = None,
    fmt: Annotated[str, typer.Option("--format", help="输出格式 table 或 json")] = "table",
) -> None:
    """各村光伏电站当年发电量、收益和按用途的分配，以及累计未分配收益。"""
    if not (year.isdigit() and len(year) == 4):
        _fail([f"年度 [--year] 应为四位数字，得到 {year!r}"], 2)
    if fmt not in ("table", "json"):
        _fail([f"输出格式 [--format] 应为 table 或 json，得到 {fmt!r}"], 2)
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.policy.money import fen_to_grouped
    from jingzhun.policy.projects_rules import PV_USES
    from jingzhun.projects.queries import pv_report
    from jingzhun.registry.models import Region, RegionLevel

    if village is not None and not Region.objects.filter(code=village, level=RegionLevel.VILLAGE).exists():
        _fail([f"村级区划代码 [--village] {village} 不存在"], 1)
    rows = pv_report(int(year), village or "")
    if fmt == "json":
        typer.echo(json.dumps({"year": int(year), "villages": [r.as_dict() for r in rows]}, ensure_ascii=False))
        return
    uses = "  ".join(PV_USES.values())
    typer.echo(f"村代码        村名      电站  装机（千瓦）  发电量（千瓦时）  收益（元）  {uses}  累计未分配（元）")
    for r in rows:
        spent = "  ".join(fen_to_grouped(r.uses[use]) for use in PV_USES)
        typer.echo(
            f"{r.village_code}  {r.village}  {r.stations}  {r.capacity_kw}  {r.generation_kwh}  "
            f"{fen_to_grouped(r.revenue_fen)}  {spent}  {fen_to_grouped(r.undistributed_fen)}"
        )
    total = sum(r.revenue_fen for r in rows)
    typer.echo(f"{year} 年：{len(rows)} 个村有光伏电站，当年收益合计 {fen_to_grouped(total)} 元。")
