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


@app.command("rank")
def rank_command(
    county: Annotated[str, typer.Option("--county", help="县级区划代码，如 141102")],
    year: Annotated[int, typer.Option("--year", help="年度")],
    output: Annotated[str, typer.Option("--format", help="输出格式 table 或 json")] = "table",
) -> None:
    """入库排序：按 parameters/projects/ranking.yaml 的标准为该县该年度的项目打分并排名（不改动已匹配的资金）。"""
    import getpass
    import json

    if output not in ("table", "json"):
        typer.echo(f"输出格式 [--format] 须为 table | json，得到 {output!r}", err=True)
        raise typer.Exit(code=2)

    from jingzhun.cli.djsetup import setup

    setup()
    from django.core.exceptions import PermissionDenied, ValidationError

    from jingzhun.core.actions import Actor
    from jingzhun.projects.ranking_actions import rank_projects

    try:
        ranked = rank_projects(Actor.system(f"cli:{getpass.getuser()}"), county, year)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            typer.echo(message, err=True)
        raise typer.Exit(code=1) from exc
    rows = [{"rank": p.rank, "score": str(p.score), "code": p.code, "name": p.name} for p in ranked]
    if output == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['rank']:>4}  {row['score']:>6}  {row['code']}  {row['name']}")
    typer.echo(f"已排序 {len(rows)} 个项目（{county}，{year} 年）。")


@app.command("match")
def match_command(
    code: Annotated[str, typer.Argument(help="资金编号（已登记的资金；或与下列选项一起登记新资金）")],
    county: Annotated[str | None, typer.Option("--county", help="县级区划代码（登记新资金时）")] = None,
    year: Annotated[int | None, typer.Option("--year", help="年度（登记新资金时）")] = None,
    source: Annotated[str | None, typer.Option("--source", help="资金来源 central、province …")] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="金额（元，登记新资金时）")] = None,
    note: Annotated[str, typer.Option("--note", help="文号或说明")] = "",
) -> None:
    """按序匹配：把资金按入库排名依次分配给项目，直到用完；每个项目不超过预算。再次运行不会重复分配。"""
    import getpass

    from jingzhun.cli.djsetup import setup

    setup()
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from jingzhun.core.actions import Actor
    from jingzhun.policy.money import fen_to_grouped, yuan_to_fen
    from jingzhun.projects.models import Fund
    from jingzhun.projects.ranking_actions import create_fund, match_fund

    actor = Actor.system(f"cli:{getpass.getuser()}")
    try:
        with transaction.atomic():  # a new fund is registered only together with its match
            fund = Fund.objects.select_related("county").filter(code=code).first()
            if fund is None:
                if county is None or year is None or source is None or amount is None:
                    typer.echo(f"资金 {code} 未登记：请同时给出 --county --year --source --amount", err=True)
                    raise typer.Exit(code=1)
                fen = yuan_to_fen(amount)
                fund = create_fund(
                    actor, code=code, source=source, county_code=county, year=year, amount_fen=fen, note=note
                )
            result = match_fund(actor, fund)
    except ValueError as exc:  # the amount
        typer.echo(f"[amount] {exc}", err=True)
        raise typer.Exit(code=1) from exc
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            typer.echo(message, err=True)
        raise typer.Exit(code=1) from exc
    for a in result.allocations:
        typer.echo(f"第{a.rank_at_match}名  {a.project.code}  {fen_to_grouped(a.amount_fen)} 元")
    typer.echo(
        f"资金 {fund.code}：本次分配 {len(result.allocations)} 个项目，结余 {fen_to_grouped(result.unspent_fen)} 元"
        + (f"；已满额跳过 {'、'.join(result.full)}" if result.full else "")
    )
