"""`jingzhun medical settle` — POLICY.md §7's one-stop settlement of inpatient stays, pure (no database).

Reads ``{"stays": [...]}`` as YAML or JSON, or a CSV whose header names the stay fields (a ``.csv`` file,
or on stdin text whose first line is a comma-separated header); ``-`` is stdin. Exit 0 with the JSON of
DESIGN.md (or a Chinese table with each line's arithmetic); exit 2 on invalid input with every error on
stderr and nothing on stdout. Heavy imports stay inside the command body.

`jingzhun medical import FILE [--dry-run]` — the database side: a hospital's settlement export (.xlsx/.csv,
``medical/importer.py``) recorded and settled in POLICY.md §7's order, all or nothing; every bad row on
stderr as ``第N行 [列]：…`` and exit 1, nothing written. ``--dry-run`` checks only.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

FORMATS = ("json", "table")


def _fail(errors: list[str]) -> NoReturn:
    for error in errors:
        typer.echo(error, err=True)
    raise typer.Exit(code=2)


@app.command("settle")
def settle(
    stays: Annotated[str, typer.Argument(help="住院文档（YAML、JSON 或 CSV；- 表示标准输入）", show_default=False)],
    format: Annotated[str, typer.Option("--format", help="输出格式 json | table")] = "json",
    cap_period: Annotated[
        str, typer.Option("--cap-period", help="“136”封顶期间：year（按年累计，默认）| stay（按次）")
    ] = "year",
) -> None:
    """住院一站式结算：基本医保、大病保险、补充医保、医疗救助、“136”兜底（纯计算，不访问数据库）。"""
    from jingzhun.policy.medical.settle import CAP_PERIODS, RulesCache
    from jingzhun.policy.medical.settle import settle as settle_stays
    from jingzhun.policy.medical.stays import StaysError
    from jingzhun.policy.params import ParameterFileError, load_parameters

    errors = []
    if format not in FORMATS:
        errors.append(f"输出格式 [--format] 须为 {' | '.join(FORMATS)}，得到 {format!r}")
    if cap_period not in CAP_PERIODS:
        errors.append(f"封顶期间 [--cap-period] 须为 {' | '.join(CAP_PERIODS)}，得到 {cap_period!r}")
    if errors:
        _fail(errors)
    try:
        cache = RulesCache(load_parameters())
    except ParameterFileError as exc:
        _fail(exc.problems)
    if format == "table":  # the explained reference path: one object per stay, its sentences as it goes
        try:
            settlements = settle_stays(_stays(_read(stays), cache.missing), cap_period, cache=cache)
        except StaysError as exc:
            _fail(exc.errors)
        from jingzhun.policy.medical import render

        render.print_table(settlements, cap_period)
        return
    from jingzhun.policy.medical import fast

    document = _read(stays)
    frame = fast.frame_from_csv(document) if isinstance(document, str) else _records(document, fast)
    result = fast.settle_frame(frame, cap_period, cache) if frame is not None else None
    if result is None:  # something is wrong or unusual: the reference parser names it, or accepts it
        try:
            checked = _stays(document, cache.missing)
        except StaysError as exc:
            _fail(exc.errors)
        result = fast.settle_frame(fast.frame_from_stays(checked), cap_period, cache)
        assert result is not None  # every stay the reference parser accepts has its parameters
    settled, used = result
    fast.write_json(settled, used, cap_period, sys.stdout)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="医院结算导出（.xlsx 第一个工作表或 .csv）", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查，不写入")] = False,
) -> None:
    """导入医院结算导出的出院记录并按序结算：全部正确才写入；有错误时逐条列出（第N行 [列]：消息），退出码 1。"""
    import getpass

    if not file.exists():
        typer.echo(f"[文件] 找不到文件：{file}", err=True)
        typer.echo("未写入任何数据。", err=True)
        raise typer.Exit(code=1)
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.medical.importer import import_stays

    result = import_stays(Actor.system(f"cli:{getpass.getuser()}"), file, dry_run=dry_run)
    if result.errors:
        for line in result.errors:
            typer.echo(line, err=True)
        typer.echo(f"发现 {len(result.errors)} 处错误，未写入任何数据。", err=True)
        raise typer.Exit(code=1)
    if dry_run:
        typer.echo(f"试运行：检查通过，将登记住院 {result.recorded} 条（未写入）。")
        return
    typer.echo(
        f"导入成功：登记住院 {result.recorded} 条（已登记跳过 {result.skipped} 条），"
        f"结算 {result.settlements} 条，调整 {result.adjustments} 条。"
    )


def _records(document: Any, fast: Any) -> Any:
    """The columns of a decoded ``{"stays": [...]}`` whose every stay is well formed, else None."""
    if type(document) is not dict or document.keys() != {"stays"}:
        return None
    return fast.frame_from_records(document["stays"])


def _stays(document: Any, check: Any) -> Any:
    """The reference parser: every stay checked one by one, every problem named."""
    from jingzhun.policy.medical.stays import parse_csv, parse_stays

    return parse_csv(document, check) if isinstance(document, str) else parse_stays(document, check)


def _read(source: str) -> Any:
    """CSV text as it is, or the decoded JSON/YAML document, whichever the file or stdin holds."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail([f"无法读取输入文件 [STAYS]: {source}: {exc}"])
    if source.lower().endswith(".csv") or (source == "-" and _looks_like_csv(text)):
        return text
    if text.lstrip().startswith("{"):
        import json

        import orjson

        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:  # the standard library says where, and reads what orjson refuses
            pass
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            _fail([f"输入不是有效的 JSON [STAYS]: 第 {exc.lineno} 行第 {exc.colno} 列: {exc.msg}"])
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError) as exc:
        _fail([f"输入不是有效的 YAML [STAYS]: {exc}"])


def _looks_like_csv(text: str) -> bool:
    first = text.lstrip("\ufeff").lstrip().split("\n", 1)[0]
    return "," in first and ":" not in first and not first.startswith(("{", "[", "#", "-"))
