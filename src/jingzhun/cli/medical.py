"""`jingzhun medical settle` — POLICY.md §7's one-stop settlement of inpatient stays, pure (no database).

Reads ``{"stays": [...]}`` as YAML or JSON, or a CSV whose header names the stay fields (a ``.csv`` file,
or on stdin text whose first line is a comma-separated header); ``-`` is stdin. Exit 0 with the JSON of
DESIGN.md (or a Chinese table with each line's arithmetic); exit 2 on invalid input with every error on
stderr and nothing on stdout. Heavy imports stay inside the command body.
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
    try:
        settlements = settle_stays(_read(stays, cache.missing), cap_period, cache=cache)
    except StaysError as exc:
        _fail(exc.errors)
    from jingzhun.policy.medical import render

    if format == "json":
        render.write_json(settlements, sys.stdout)
    else:
        render.print_table(settlements, cap_period)


def _read(source: str, check: Any) -> Any:
    """The validated stays of a file or stdin, whichever of CSV, JSON or YAML it is."""
    from jingzhun.policy.medical.stays import parse_csv, parse_stays

    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail([f"无法读取输入文件 [STAYS]: {source}: {exc}"])
    if source.lower().endswith(".csv") or (source == "-" and _looks_like_csv(text)):
        return parse_csv(text, check)
    if text.lstrip().startswith("{"):
        import json

        try:
            return parse_stays(json.loads(text), check)
        except json.JSONDecodeError as exc:
            _fail([f"输入不是有效的 JSON [STAYS]: 第 {exc.lineno} 行第 {exc.colno} 列: {exc.msg}"])
    import yaml

    try:
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError) as exc:
        _fail([f"输入不是有效的 YAML [STAYS]: {exc}"])
    return parse_stays(raw, check)


def _looks_like_csv(text: str) -> bool:
    first = text.lstrip("\ufeff").lstrip().split("\n", 1)[0]
    return "," in first and ":" not in first and not first.startswith(("{", "[", "#", "-"))
