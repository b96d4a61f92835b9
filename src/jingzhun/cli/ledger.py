"""`jingzhun run-month`, `jingzhun ledger …` and `jingzhun report …`.

Exit status: 0 on success; 1 when the work was refused (a run in progress, a month before 2014-01 or
after next month, a returns file with errors, a reversal not allowed) — nothing is written then; 2 on
invalid arguments. Messages are Chinese, money is yuan with two decimals. Django and Polars are imported
inside the commands so that ``jingzhun --help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from jingzhun.policy.money import fen_to_grouped, fen_to_str

ledger_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
report_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
cpi_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
ledger_app.add_typer(cpi_app, name="cpi", help="月度 CPI 涨幅（价格临时补贴的触发依据）：录入与查看。")

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _fail(messages: list[str], code: int) -> NoReturn:
    for message in messages:
        typer.echo(message, err=True)
    raise typer.Exit(code=code)


def _month(text: str) -> dt.date:
    if not MONTH.match(text):
        _fail([f"月份 [MONTH] 应为 YYYY-MM，得到 {text!r}"], 2)
    return dt.date(int(text[:4]), int(text[5:]), 1)


def _setup(region: str | None = None) -> str:
    """Start Django; return the region prefix of ``--region`` (checked to exist)."""
    from jingzhun.cli.djsetup import setup

    setup()
    if not region:
        return ""
    from jingzhun.core.scope import region_prefix
    from jingzhun.registry.models import Region

    try:
        prefix = region_prefix(region)
    except ValueError as exc:
        _fail([f"区域代码 [--region] {exc}"], 2)
    if not Region.objects.filter(code=region).exists():
        _fail([f"区域代码 [--region] 不存在：{region}"], 2)
    return prefix


def _actor() -> Any:
    import getpass

    from jingzhun.core.actions import Actor

    return Actor.system(f"cli:{getpass.getuser()}")


def run_month(
    month: str = typer.Argument(..., help="发放月份 YYYY-MM"),
    region: str | None = typer.Option(None, "--region", help="区域代码（县 6 位或乡镇、村 12 位）；默认全部"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只计算和比对，不写入台账"),
) -> None:
    """按月计算待遇并写入发放台账：幂等（重复运行不重复发放）、原子（中断不留半截）。"""
    first = _month(month)
    prefix = _setup(region)
    from django.core.exceptions import ValidationError
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from jingzhun.ledger.locks import RunInProgress
    from jingzhun.ledger.runs import run_month as run

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                for task in tasks.values():
                    bar.update(task, completed=bar.tasks[task].total)
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        try:
            result = run(first, region_prefix=prefix, actor=_actor(), dry_run=dry_run, progress=progress)
        except RunInProgress as exc:
            _fail([str(exc)], 1)
        except ValidationError as exc:
            _fail([*exc.messages, "未写入任何记录。"], 1)
    _print_run(result)


def _print_run(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from jingzhun.policy.vocabulary import PROGRAM_NAMES

    console = Console()
    scope = result.region_prefix or "全部区域"
    title = f"{result.month} 月度发放（{scope}）" + ("  [试算，未写入]" if result.dry_run else "")
    table = Table(title=title)
    table.add_column("项目")
    table.add_column("本月净额（元）", justify="right")
    table.add_column("本次新增（元）", justify="right")
    added = result.changes.get("added_by_program", {})
    for program, fen in result.by_program.items():
        table.add_row(PROGRAM_NAMES.get(program, program), fen_to_str(fen), fen_to_str(added.get(program, 0)))
    table.add_row(
        "[bold]合计[/bold]", f"[bold]{fen_to_str(result.total_fen)}[/bold]", fen_to_str(result.amount_added_fen)
    )
    console.print(table)
    c = result.changes
    console.print(
        f"享受户数 {result.households} 户；本次写入 {result.lines_added} 行。"
        f"变化：新增 {c['new']}，增加 {c['increased']}，减少 {c['decreased']}，停发 {c['stopped']}，"
        f"人工冲正保持不变 {c['pinned']}；计算出但未在册（不发放）{c['not_enrolled_lines']} 行。"
    )
    if c["error_households"]:
        console.print(f"[red]{c['error_households']} 户无法计算（缺少参数），例如：[/red]")
        from jingzhun.policy.explain import error_text  # the parameter's Chinese name, as the pages say it

        for household, message in c["errors"][:5]:
            console.print(f"  户 {household}：{error_text(message)}")
    run = f"（运行编号 #{result.run_id}）" if result.run_id else ""
    console.print(f"[bold]{result.message}[/bold]{run}")


@ledger_app.command("totals")
def totals(
    month: str = typer.Argument(..., help="发放月份 YYYY-MM"),
    format: str = typer.Option("table", "--format", help="输出格式 table | json"),
    region: str | None = typer.Option(None, "--region", help="区域代码；默认全部"),
) -> None:
    """某月发放合计（含冲正、调整后的净额）。"""
    first = _month(month)
    if format not in ("table", "json"):
        _fail([f"输出格式 [--format] 须为 table | json，得到 {format!r}"], 2)
    prefix = _setup(region)
    from jingzhun.ledger.queries import month_totals

    t = month_totals(first, prefix)
    if format == "json":
        data = {
            "lines": t.lines,
            "households": t.households,
            "amount": fen_to_str(t.amount_fen),
            "by_program": {program: fen_to_str(fen) for program, fen in t.by_program.items()},
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    from jingzhun.policy.vocabulary import PROGRAM_NAMES

    table = Table(title=f"{month} 发放合计（{prefix or '全部区域'}）")
    table.add_column("项目")
    table.add_column("编号")
    table.add_column("净额（元）", justify="right")
    for program, fen in t.by_program.items():
        table.add_row(PROGRAM_NAMES.get(program, program), program, fen_to_str(fen))
    table.add_row("[bold]合计[/bold]", "", f"[bold]{fen_to_str(t.amount_fen)}[/bold]")
    Console().print(table)
    typer.echo(f"台账 {t.lines} 行，享受 {t.households} 户。")


@ledger_app.command("reverse")
def reverse(
    line_id: int = typer.Argument(..., help="台账行编号"),
    reason: str = typer.Option(..., "--reason", help="冲正原因（必填，记入审计）"),
) -> None:
    """冲正一条发放记录：追加一条金额相反的冲正行。"""
    _setup()
    from django.core.exceptions import PermissionDenied, ValidationError

    from jingzhun.ledger.actions import reverse_payment

    try:
        reversal = reverse_payment(_actor(), line_id, reason)
    except (ValidationError, PermissionDenied) as exc:
        _fail(list(getattr(exc, "messages", [str(exc)])), 1)
    typer.echo(f"已冲正台账行 #{line_id}：冲正记录 #{reversal.pk}，金额 {fen_to_str(reversal.amount_fen)} 元。")


@ledger_app.command("bank-file")
def bank_file(
    run_or_month: Annotated[str, typer.Argument(help="月份 YYYY-MM，或月度运行编号")],
    out: Annotated[Path, typer.Option("--out", help="输出文件 .csv 或 .xlsx")],
    region: str | None = typer.Option(None, "--region", help="区域代码；默认全部"),
) -> None:
    """生成银行代发文件（每户一行，末行合计并与台账对账）。交给银行后用 bank-sent 批次号确认已报盘。"""
    if out.suffix.lower() not in (".csv", ".xlsx"):
        _fail([f"输出文件 [--out] 须为 .csv 或 .xlsx：{out}"], 2)
    if not MONTH.match(run_or_month) and not run_or_month.isdigit():
        _fail([f"[RUN_OR_MONTH] 应为 YYYY-MM 或运行编号，得到 {run_or_month!r}"], 2)
    prefix = _setup(region)
    from jingzhun.ledger.bankfiles import export_bank_file
    from jingzhun.ledger.models import MonthRun

    run = None
    if run_or_month.isdigit():
        run = MonthRun.objects.filter(pk=int(run_or_month)).first()
        if run is None:
            _fail([f"月度运行 #{run_or_month} 不存在"], 2)
        first, prefix = run.month, run.region_prefix
    else:
        first = _month(run_or_month)
    plan = export_bank_file(_actor(), first, prefix, run, out)
    typer.echo(f"已生成 {out}：{len(plan.rows)} 笔，合计 {fen_to_grouped(plan.total_fen)} 元。")
    if plan.batch_id is not None:
        typer.echo(
            f"代发批次 #{plan.batch_id}：所含发放仍为待发；文件交给银行后请确认报盘："
            f"jingzhun ledger bank-sent {plan.batch_id}"
        )
    if plan.carried:
        typer.echo(f"{len(plan.carried)} 户净额≤0，未列入本文件，留待下次抵扣。")
    if plan.no_account:
        typer.echo(f"{len(plan.no_account)} 户缺少银行账号，未报盘：{'、'.join(no for no, _ in plan.no_account[:10])}")


@ledger_app.command("bank-sent")
def bank_sent(batch: Annotated[int, typer.Argument(help="代发批次号（bank-file 输出的 #号）")]) -> None:
    """确认代发文件已交银行（已报盘）：所含发放记为已报盘，之后才能导入银行回盘。"""
    _setup()
    from django.core.exceptions import PermissionDenied, ValidationError

    from jingzhun.ledger.actions import confirm_bank_batch
    from jingzhun.ledger.models import BankBatch

    found = BankBatch.objects.filter(pk=batch).first()
    if found is None:
        _fail([f"代发批次 #{batch} 不存在 [BATCH]"], 2)
    try:
        count = confirm_bank_batch(_actor(), found)
    except (ValidationError, PermissionDenied) as exc:
        _fail([*getattr(exc, "messages", [str(exc)]), "未写入任何记录。"], 1)
    typer.echo(f"已确认报盘：代发批次 #{batch}（{found.file_name}），{count} 条台账行记为已报盘。")


def _bank_results(file: Path, default: str) -> None:
    if not file.is_file():
        _fail([f"文件不存在 [FILE]：{file}"], 2)
    _setup()
    from django.core.exceptions import PermissionDenied, ValidationError

    from jingzhun.ledger.bankreturns import import_results

    try:
        result = import_results(_actor(), file, default=default)
    except ValidationError as exc:
        _fail([f"{file.name}：{m}" for m in exc.messages] + ["未写入任何记录。"], 1)
    except PermissionDenied as exc:
        _fail([str(exc), "未写入任何记录。"], 1)
    if result.paid_lines:
        typer.echo(f"已确认到账（已发放）{result.paid_lines} 条台账行，合计 {fen_to_grouped(result.paid_fen)} 元。")
    if result.returned_lines:
        typer.echo(
            f"已标记退回并重新排队 {result.returned_lines} 条台账行，合计 {fen_to_grouped(result.returned_fen)} 元；"
            "将随下一次代发文件重新发放。"
        )
    typer.echo(f"回盘文件合计 {fen_to_grouped(result.file_fen)} 元，与台账逐笔核对一致。")
    for batch in result.batches:
        typer.echo(batch.line())


@ledger_app.command("bank-returns")
def bank_returns(file: Annotated[Path, typer.Argument(help="银行退回文件 .csv 或 .xlsx")]) -> None:
    """导入银行退票：标记为退回并重新排入下一次代发文件（全部成功或全部不写入）。

    文件列：参考号、金额（元），可选 账号、状态、退回原因；有「状态」列时，状态为「成功」的行确认到账。
    """
    _bank_results(file, "returned")


@ledger_app.command("bank-confirm")
def bank_confirm(file: Annotated[Path, typer.Argument(help="银行回盘（成功）文件 .csv 或 .xlsx")]) -> None:
    """导入银行回盘：逐笔核对参考号与金额（到分），标记为已发放（全部成功或全部不写入）。

    文件列：参考号、金额（元），可选 账号、状态、退回原因；有「状态」列时，状态为「失败/退回」的行按退票处理。
    可有一行参考号为「合计」，其金额须等于各行之和。
    """
    _bank_results(file, "paid")


@ledger_app.command("statement")
def statement(
    household_no: Annotated[str, typer.Argument(help="户编号")],
    out: Annotated[Path, typer.Option("--out", help="输出 PDF 文件")],
) -> None:
    """民生账本：一户历月每笔发放及其依据（PDF，内嵌中文字体）。"""
    if out.suffix.lower() != ".pdf":
        _fail([f"输出文件 [--out] 须为 .pdf：{out}"], 2)
    _setup()
    from jingzhun.ledger.pdf import FontMissing
    from jingzhun.ledger.statements import build_statement, statement_pdf
    from jingzhun.registry.models import Household

    household = Household.objects.filter(household_no=household_no).first()
    if household is None:
        _fail([f"户编号 [HOUSEHOLD_NO] 不存在：{household_no}"], 2)
    try:
        statement_pdf(build_statement(household), out)
    except FontMissing as exc:
        _fail([str(exc)], 1)
    typer.echo(f"已生成 {out}")


@report_app.command("month")
def report_month(
    month: Annotated[str, typer.Argument(help="月份 YYYY-MM")],
    out: Annotated[Path, typer.Option("--out", help="输出文件 .xlsx 或 .pdf")],
    region: str | None = typer.Option(None, "--region", help="区域代码；默认全部"),
    prepared_by: str = typer.Option("", "--prepared-by", help="落款的制表人；默认留空待签"),
    reviewer: str = typer.Option("", "--reviewer", help="落款的审核人；默认留空待签"),
) -> None:
    """月通报：县、乡镇、村各项目享受人数和金额，与上月比较，并对照离石区 2018 年公布数字。"""
    first = _month(month)
    if out.suffix.lower() not in (".xlsx", ".pdf"):
        _fail([f"输出文件 [--out] 须为 .xlsx 或 .pdf：{out}"], 2)
    prefix = _setup(region)
    from jingzhun.ledger.pdf import FontMissing
    from jingzhun.ledger.report import build_report
    from jingzhun.ledger.report_files import report_pdf, report_xlsx
    from jingzhun.ledger.report_words import signature

    report = build_report(first, prefix)
    sign = signature(report, prepared_by=prepared_by, reviewer=reviewer)
    try:
        (report_xlsx if out.suffix.lower() == ".xlsx" else report_pdf)(report, out, sign)
    except FontMissing as exc:
        _fail([str(exc)], 1)
    typer.echo(f"已生成 {out}")


@cpi_app.command("set")
def cpi_set(
    month: Annotated[str, typer.Argument(help="月份 YYYY-MM")],
    all_items: Annotated[str, typer.Option("--all-items", help="居民消费价格指数同比涨幅（%），如 5.2")],
    food: Annotated[str, typer.Option("--food", help="食品价格指数同比涨幅（%），如 21.9")],
    source: Annotated[str, typer.Option("--source", help="数据来源（必填），如 吕梁市统计局月报")],
) -> None:
    """录入（或更正）某月 CPI 同比涨幅；重跑该月 run-month 后价格临时补贴按差额调整。仅县级。"""
    first = _month(month)
    _setup()
    from django.core.exceptions import PermissionDenied, ValidationError

    from jingzhun.ledger.actions import set_cpi

    try:
        entry = set_cpi(_actor(), first, all_items=all_items, food=food, source=source)
    except ValidationError as exc:
        _fail([*exc.messages, "未写入任何记录。"], 2)
    except PermissionDenied as exc:
        _fail([str(exc), "未写入任何记录。"], 1)
    typer.echo(
        f"已录入 {month} CPI：居民消费价格同比涨幅 {entry.all_items}%，食品 {entry.food}%（来源：{entry.source}）。"
        f"重新运行 jingzhun run-month {month} 后价格临时补贴按差额调整。"
    )


@cpi_app.command("list")
def cpi_list(format: str = typer.Option("table", "--format", help="输出格式 table | json")) -> None:
    """已录入的各月 CPI 同比涨幅（每月以最后一次录入为准）。"""
    if format not in ("table", "json"):
        _fail([f"输出格式 [--format] 须为 table | json，得到 {format!r}"], 2)
    _setup()
    from jingzhun.ledger.queries import cpi_entries, decimal_text

    entries = cpi_entries()
    if format == "json":
        data = [
            {
                "month": f"{e.month:%Y-%m}",
                "all": decimal_text(e.all_items),
                "food": decimal_text(e.food),
                "source": e.source,
                "entered_by": e.actor_label,
                "entered_at": e.entered_at.isoformat(),
            }
            for e in entries
        ]
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="月度 CPI 同比涨幅（%）")
    for name in ("月份", "居民消费价格", "食品", "来源", "录入人", "录入时间"):
        table.add_column(name, justify="right" if name in ("居民消费价格", "食品") else "left")
    for e in entries:
        table.add_row(
            f"{e.month:%Y-%m}",
            decimal_text(e.all_items),
            decimal_text(e.food),
            e.source,
            e.actor_label,
            f"{e.entered_at:%Y-%m-%d %H:%M}",
        )
    Console().print(table)
    if not entries:
        typer.echo("尚未录入任何月份的 CPI：价格临时补贴不会发放。")
