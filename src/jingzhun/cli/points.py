"""`jingzhun points import | statement`: 爱心超市 points by file, and a village's monthly statement.

Exit status: 0 done; 1 refused (every bad row on stderr as ``第N行 [列] 消息``, nothing written; an unknown
village); 2 on a malformed invocation (a month not YYYY-MM, an --out that is neither .pdf nor .xlsx).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from jingzhun.cli.pv import _actor, _fail

app = typer.Typer(no_args_is_help=True)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="爱心超市积分导入文件：.xlsx（第一个工作表）或 .csv")],
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不写入"),
) -> None:
    """导入得分和兑换记录：全部正确才写入（积分余额不会小于 0）；有错误时逐条列出（第N行 [列] 消息），退出码 1。"""
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.projects.points_files import import_points_file

    report = import_points_file(file, actor=_actor(), dry_run=dry_run)
    if report.errors:
        _fail([*report.error_lines(), report.summary()], 1)
    typer.echo(report.summary())


@app.command("statement")
def statement_command(
    village: Annotated[str, typer.Option("--village", help="村级区划代码（12 位）")],
    month: Annotated[str, typer.Option("--month", help="月份 YYYY-MM")],
    out: Annotated[Path | None, typer.Option("--out", help="输出文件 .pdf 或 .xlsx；不给则打印表格")] = None,
) -> None:
    """一个村各户的爱心超市积分月度对账单：上月结余、本月得分、兑换、结余和明细（与户页的对账单相同）。"""
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", month):
        _fail([f"月份 [--month] 应为 YYYY-MM，得到 {month!r}"], 2)
    if out is not None and out.suffix.lower() not in (".pdf", ".xlsx"):
        _fail([f"输出文件 [--out] 应以 .pdf 或 .xlsx 结尾，得到 {out.name!r}"], 2)
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.projects import points_files as pf
    from jingzhun.registry.models import Region, RegionLevel

    region = Region.objects.filter(code=village, level=RegionLevel.VILLAGE).first()
    if region is None:
        _fail([f"村级区划代码 [--village] {village} 不存在"], 1)
    rows = pf.village_statement(village, month)
    title = f"{region.name}爱心超市积分对账单 · {month}"
    if out is None:
        typer.echo(title)
        typer.echo("  ".join(pf.SUMMARY))
        for line in pf.summary_rows(rows):
            typer.echo("  ".join(str(c) for c in line))
    elif out.suffix.lower() == ".xlsx":
        pf.write_xlsx(out, title, rows)
    else:
        from jingzhun.core.fonts import FontMissing

        try:
            pf.write_pdf(out, title, rows)
        except FontMissing as exc:
            _fail([str(exc)], 1)
    typer.echo(f"{region.name} {month}：{len(rows)} 户有积分记录" + (f"，已写出 {out}" if out else "") + "。")
