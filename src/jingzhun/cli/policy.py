"""`jingzhun entitle` (pure entitlement computation) and `jingzhun policy …` (parameters and their sources).

Heavy imports (Polars, Rich) stay inside the command bodies so that ``jingzhun entitle`` on a document
starts fast. Exit status: 0 on success; 2 on invalid input, with every error on stderr and nothing on
stdout. A household with a missing parameter is not an input error: it is reported in the JSON
(``"errors"``, ``"total": null``) and on stderr, and the exit status stays 0.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from jingzhun.policy.money import fen_to_str

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

FORMATS = ("json", "table", "csv")


def fail(errors: list[str]) -> NoReturn:
    for error in errors:
        typer.echo(error, err=True)
    raise typer.Exit(code=2)


def read_document(source: str) -> Any:
    """YAML or JSON from a file or ``-`` (stdin), read by :mod:`jingzhun.policy.loader` (size and nesting
    bounded, YAML 1.2 scalars, duplicate keys refused); JSON when the text starts with ``{``."""
    from jingzhun.policy.loader import LoadError, load_text

    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail([f"无法读取输入文件 [INPUT]: {source}: {exc}"])
    try:
        return load_text(text)
    except LoadError as exc:
        fail(exc.errors)


def entitle(
    input: Annotated[
        str | None, typer.Argument(help="家庭文档（YAML 或 JSON；- 表示标准输入）", show_default=False)
    ] = None,
    month: Annotated[str, typer.Option("--month", help="计算月份 YYYY-MM")] = "",
    format: Annotated[str, typer.Option("--format", help="输出格式 json | table | csv")] = "json",
    reform: Annotated[Path | None, typer.Option("--reform", help="改革（参数覆盖）YAML 文件")] = None,
    compare: Annotated[bool, typer.Option("--compare", help="与现行参数对比（需 --reform）")] = False,
    households: Annotated[Path | None, typer.Option("--households", help="批量：户 Parquet 文件")] = None,
    persons: Annotated[Path | None, typer.Option("--persons", help="批量：人员 Parquet 文件")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="批量：输出待遇明细 Parquet 文件")] = None,
    cpi: Annotated[
        Path | None, typer.Option("--cpi", help='批量：CPI 文件（YAML/JSON，同文档的 cpi：{"2020-06": {all, food}}）')
    ] = None,
    history: Annotated[
        Path | None, typer.Option("--history", help="批量：已享受记录文件（YAML/JSON，同文档的 history）")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="批量：polars（本机，目录则逐县计算）| spark（Apache Spark）")
    ] = "polars",
    master: Annotated[
        str | None, typer.Option("--master", help="批量 spark：Spark master，如 local[2]、spark://host:7077")
    ] = None,
) -> None:
    """计算待遇（纯计算，不访问数据库）。"""
    import gc

    # A document of 10 000 households is a few million small Python objects (decoded JSON, members,
    # lines, explanations) and no reference cycles worth collecting: the cyclic collector's full passes
    # over them cost a third of the command's time. The command is one short-lived process.
    gc.disable()
    try:
        _entitle(input, month, format, reform, compare, households, persons, out, cpi, history, engine, master)
    finally:
        gc.enable()


def _entitle(
    input: str | None,
    month: str,
    format: str,
    reform: Path | None,
    compare: bool,
    households: Path | None,
    persons: Path | None,
    out: Path | None,
    cpi: Path | None,
    history: Path | None,
    engine: str = "polars",
    master: str | None = None,
) -> None:
    from jingzhun.policy.engine import parse_month

    errors: list[str] = []
    try:
        if not month:
            raise ValueError("缺少计算月份 [--month]（YYYY-MM）")
        parse_month(month)
    except ValueError as exc:
        errors.append(str(exc))
    if format not in FORMATS:
        errors.append(f"输出格式 [--format] 须为 {' | '.join(FORMATS)}，得到 {format!r}")
    if compare and reform is None:
        errors.append("对比 [--compare] 需要改革文件 [--reform]")
    batch = households is not None or persons is not None or out is not None
    if batch and (households is None or persons is None or out is None or input is not None):
        errors.append("批量计算需要同时给出 --households、--persons 与 --out，且不给 INPUT")
    if engine not in ("polars", "spark"):
        errors.append(f"计算引擎 [--engine] 须为 polars | spark，得到 {engine!r}")
    if not batch and (engine != "polars" or master is not None):
        errors.append("--engine spark 与 --master 仅用于批量计算（--households/--persons/--out）")
    if master is not None and engine != "spark":
        errors.append("--master 需要 --engine spark")
    if not batch and (cpi is not None or history is not None):
        errors.append("--cpi 与 --history 仅用于批量计算（文档中请写 cpi 与 history）")
    if not batch and input is None:
        errors.append("缺少家庭文档 [INPUT]（文件路径或 -）")
    if errors:
        fail(errors)
    params = _params(reform)
    if batch:
        assert households is not None and persons is not None and out is not None
        if engine == "spark" or households.is_dir():
            from jingzhun.cli.scale import run_partitioned, run_spark

            if engine == "spark":
                run_spark(households, persons, month, out, params, cpi=cpi, history=history, master=master)
            else:
                run_partitioned(households, persons, month, out, params, cpi=cpi, history=history)
            return
        from jingzhun.cli.policy_batch import run_batch

        run_batch(households, persons, month, out, params, cpi=cpi, history=history)
        return
    assert input is not None
    raw = read_document(input)
    from jingzhun.policy.document import DocumentError, parse_document
    from jingzhun.policy.engine import compute_document, month_end

    try:
        from jingzhun.policy.schema import max_household_size

        doc = parse_document(raw, month_end(parse_month(month)), max_household_size=max_household_size())
    except DocumentError as exc:
        fail(exc.errors)
    del raw  # the decoded text's objects: their memory serves the computation (fewer page faults)
    from jingzhun.policy.params_check import warnings_at

    for warning in warnings_at(params, parse_month(month)):
        typer.echo(warning, err=True)
    if compare:
        from jingzhun.policy.compare import compare_results, household_differences, print_comparison

        result = compute_document(doc, month, params=params)
        _report_household_errors([(h.id, h.errors) for h in result.households if h.errors], len(doc.households))
        before = compute_document(doc, month)
        print_comparison(compare_results(before, result), format, household_differences(before, result))
    elif format == "json" and not sys.stdout.isatty():
        from jingzhun.policy.render import write_entitlements_json

        failed = write_entitlements_json(doc, month, params, sys.stdout)
        _report_household_errors(failed, len(doc.households))
    else:
        result = compute_document(doc, month, params=params)
        _report_household_errors([(h.id, h.errors) for h in result.households if h.errors], len(doc.households))
        _print_result(result, format, params)


def _report_household_errors(failed: list[tuple[str, list[str]]], total: int, shown: int = 20) -> None:
    """Households that cannot be computed (无参数): the first few by name, then a count."""
    for household, errors in failed[:shown]:
        for error in errors:
            typer.echo(f"户 {household}：{error}", err=True)
    if len(failed) > shown:
        typer.echo(f"……另有 {len(failed) - shown} 户无法计算，详见输出中的 errors", err=True)
    if failed:
        typer.echo(f"共 {len(failed)} 户无法计算（无参数），其余 {total - len(failed)} 户已计算", err=True)


def _params(reform: Path | None) -> Any:
    from jingzhun.policy.params import ParameterFileError, load_parameters

    try:
        params = load_parameters()
    except ParameterFileError as exc:
        fail(exc.problems)
    if reform is None:
        return params
    import yaml

    from jingzhun.policy.params_load import date_string_loader
    from jingzhun.policy.reforms import ReformError, apply_reform, parse_reform

    try:
        raw = yaml.load(reform.read_text(encoding="utf-8"), Loader=date_string_loader())
        return apply_reform(params, parse_reform(raw, params))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        fail([f"无法读取改革文件 [--reform]: {reform}: {exc}"])
    except ReformError as exc:
        fail([f"改革文件 {reform}: {e}" for e in exc.errors])


def _print_result(result: Any, format: str, params: Any) -> None:
    from jingzhun.policy.explain import result_json

    if format == "json":
        from jingzhun.policy.engine import parse_month
        from jingzhun.policy.params_check import warnings_at

        out = result_json(result)
        warnings = warnings_at(params, parse_month(result.month))
        if warnings:
            out["warnings"] = warnings
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    elif format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["household", "program", "member", "amount"])
        for household in result.households:
            for line in household.lines:
                writer.writerow([household.id, line.program, line.member or "", fen_to_str(line.amount_fen)])
    else:
        _print_table(result)


def _print_table(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from jingzhun.policy.programs import NAMES_ZH

    table = Table(title=f"{result.month} 待遇明细")
    for column, justify in (
        ("户", "left"),
        ("项目", "left"),
        ("项目编号", "left"),
        ("成员", "left"),
        ("金额（元）", "right"),
        ("怎么算的", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    from jingzhun.policy.explain import sentence

    for household in result.households:
        if household.errors:
            table.add_row(household.id, "[red]无法计算[/red]", "", "", "", "；".join(household.errors))
            continue
        for line in household.lines:
            table.add_row(
                household.id,
                NAMES_ZH[line.program],
                line.program,
                line.member or "（户）",
                fen_to_str(line.amount_fen),
                sentence(line),
            )
        table.add_row(
            household.id,
            "[bold]合计[/bold]",
            "",
            "",
            f"[bold]{fen_to_str(household.total_fen)}[/bold]",
            "",
            end_section=True,
        )
    Console().print(table)


@app.command("list")
def list_parameters() -> None:
    """列出所有政策参数及其说明、单位与文件。"""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from jingzhun.policy.params import load_parameters

    tree = load_parameters()
    table = Table(title="政策参数")
    table.add_column("参数", no_wrap=True, min_width=max(map(len, tree.parameters)))
    for column in ("说明", "单位", "层级", "文件"):
        table.add_column(column)
    for name in sorted(tree.parameters):
        p = tree.parameters[name]
        levels = "、".join(sorted({_level_label(code) for code in p.series})) or "（无值）"
        table.add_row(name, escape(p.description_zh), p.unit, levels, p.file)
    Console().print(table)
    for warning in tree.warnings:
        typer.echo(warning, err=True)


@app.command("show")
def show_parameter(
    name: Annotated[str, typer.Argument(help="参数名，如 dibao.standard.rural")],
    region: Annotated[str, typer.Option("--region", help="区划代码")] = "141100",
    at: Annotated[str | None, typer.Option("--at", help="日期 YYYY-MM-DD（默认今天）")] = None,
) -> None:
    """显示参数在某地某日的取值及来源，并列出各层级的全部取值。"""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from jingzhun.policy import regions
    from jingzhun.policy.calc import to_json
    from jingzhun.policy.params import MissingParameter, load_parameters

    tree = load_parameters()
    errors = []
    if name not in tree:
        errors.append(f"未知参数 [NAME]: {name}")
    if region not in regions.NAMES:
        errors.append(f"未知区划代码 [--region]: {region}")
    try:
        day = dt.date.fromisoformat(at) if at else dt.date.today()
    except ValueError:
        errors.append(f"日期 [--at] 应为 YYYY-MM-DD: {at}")
    if errors:
        fail(errors)
    p = tree.get(name)
    console = Console()
    described = f"{escape(p.description_zh)} / {escape(p.description_en)}"
    console.print(f"[bold]{name}[/bold]  {described}  （单位 {p.unit}，文件 {p.file}）")
    try:
        r = tree.resolve(name, region, day)
        flags = [f for f, on in (("默认值，请按本地文件核定", r.default), ("日期为推定", r.date_assumed)) if on]
        value = json.dumps(to_json(r.value), ensure_ascii=False)
        source = f"{r.since.isoformat()} 起，来自{_level_label(r.region)} {regions.label(r.region)}"
        note = f"（{'；'.join(flags)}）" if flags else ""
        console.print(f"{regions.label(region)} 于 {day.isoformat()}：[bold]{value}[/bold]，{source}{note}")
        console.print(f"来源：{escape(r.reference)}")
    except MissingParameter as exc:
        console.print(f"[red]{exc}[/red]")
    table = Table(title="各层级取值")
    for column in ("层级", "区划", "起始日期", "取值", "默认", "日期推定", "来源"):
        table.add_column(column)
    for code, entries in sorted(p.series.items()):
        for e in entries:
            value = "null（废止）" if e.value is None else json.dumps(to_json(e.value), ensure_ascii=False)
            table.add_row(
                _level_label(code),
                regions.label(code),
                e.start.isoformat(),
                value,
                "是" if e.default else "",
                "是" if e.date_assumed else "",
                escape(e.reference),
            )
    console.print(table)


def _level_label(code: str) -> str:
    from jingzhun.policy import regions

    return {"national": "国家", "province": "省", "city": "市", "county": "县"}[regions.level_of(code)]


@app.command("check")
def check_parameters() -> None:
    """校验全部参数文件，并列出一致性警告（特困标准 ≥ 1.3 × 低保标准）。"""
    from jingzhun.policy.params import ParameterFileError, load_parameters

    try:
        tree = load_parameters()
    except ParameterFileError as exc:
        fail(exc.problems)
    typer.echo(f"参数文件有效：{len(tree.parameters)} 个参数")
    for warning in tree.warnings:
        typer.echo(warning)
    flagged = _flagged_values(tree)
    if flagged:
        typer.echo(f"默认值或推定日期（请按本地文件核定），共 {len(flagged)} 处：")
        for row in flagged:
            typer.echo(row)


def _flagged_values(tree: Any) -> list[str]:
    """Every dated value marked ``default`` or ``date_assumed``: parameter, region, date, flags."""
    from jingzhun.policy import regions

    rows = []
    for name in sorted(tree.parameters):
        parameter = tree.parameters[name]
        for code, entries in sorted(parameter.series.items()):
            for entry in entries:
                if entry.value is None or not (entry.default or entry.date_assumed):
                    continue
                flags = "、".join(f for f, on in (("默认值", entry.default), ("日期为推定", entry.date_assumed)) if on)
                rows.append(f"  {name}  {regions.label(code)}  {entry.start.isoformat()} 起：{flags}")
    return rows
