"""`jingzhun exit check` and `jingzhun monitor assess`: POLICY.md §8's pure checks (DESIGN.md's contracts).

Both read a YAML or JSON document (``-`` for stdin), touch no database, and print JSON (the contract's
shape, nothing more) or a Chinese table with one plain-arithmetic sentence per criterion or flag and the
parameters used. Exit status 0; 2 on invalid input — every error on stderr, nothing on stdout. Dates in
the document are read as text so that a bad one is named by household, member and field rather than
failing the whole YAML parse. Heavy imports stay inside the command bodies.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

exit_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
monitor_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

FORMATS = ("json", "table")
DocArg = Annotated[str, typer.Argument(help="文档（YAML 或 JSON；- 表示标准输入）", show_default=False)]
FormatOpt = Annotated[str, typer.Option("--format", help="输出格式 json | table")]


@exit_app.callback()
def _exit_group() -> None:
    """脱贫退出核查（纯计算，不访问数据库）。"""


@monitor_app.callback()
def _monitor_group() -> None:
    """防止返贫监测预警（纯计算，不访问数据库）。"""


@exit_app.command("check")
def exit_check(
    doc: DocArg,
    year: Annotated[str, typer.Option("--year", help="评估年度 YYYY")] = "",
    format: FormatOpt = "json",
) -> None:
    """脱贫退出核查：收入、义务教育、基本医疗、住房安全、饮水安全（POLICY.md §8）。"""
    errors = _format_errors(format)
    if not re.fullmatch(r"\d{4}", year):
        errors.insert(0, f"评估年度 [--year] 须为四位年份 YYYY，得到 {year!r}")
    if errors:
        fail(errors)
    from jingzhun.policy.check_fields import CheckInputError
    from jingzhun.policy.exit_check import check_exit_document

    raw = read_document(doc)
    try:
        results = check_exit_document(raw, int(year), _params())
    except CheckInputError as exc:
        fail(exc.errors)
    if format == "json":
        body = [{"id": r.id, "exit_ok": r.exit_ok, "failed": list(r.failed)} for r in results]
        _print_json({"year": int(year), "households": body})
        return
    from jingzhun.policy.exit_check import CRITERIA_ZH

    ok = sum(r.exit_ok for r in results)
    lines = [f"{year} 年度脱贫退出核查：{len(results)} 户，可退出 {ok} 户，未达标 {len(results) - ok} 户", ""]
    for r in results:
        verdict = "可退出" if r.exit_ok else f"不可退出（未达标：{'、'.join(CRITERIA_ZH[c] for c in r.failed)}）"
        lines.append(f"户 {r.id}：{verdict}")
        lines.extend(f"  {'✓' if c.ok else '✗'} {c.sentence}" for c in r.criteria())
    lines.extend(_parameter_lines(p for r in results for p in r.rules.parameters))
    sys.stdout.write("\n".join(lines) + "\n")


@monitor_app.command("assess")
def monitor_assess(
    doc: DocArg,
    month: Annotated[str, typer.Option("--month", help="评估月份 YYYY-MM")] = "",
    format: FormatOpt = "json",
) -> None:
    """返贫预警：按月评估监测对象的风险标识与预警等级（POLICY.md §8）。"""
    errors = _format_errors(format)
    first = _month(month)
    if first is None:
        errors.insert(0, f"评估月份 [--month] 须为 YYYY-MM，得到 {month!r}")
    if errors:
        fail(errors)
    assert first is not None
    from jingzhun.policy.check_fields import CheckInputError
    from jingzhun.policy.monitoring import assess_document

    raw = read_document(doc)
    try:
        results = assess_document(raw, first, _params())
    except CheckInputError as exc:
        fail(exc.errors)
    if format == "json":
        body = [{"id": r.id, "flags": list(r.flags), "level": r.level} for r in results]
        _print_json({"month": f"{first:%Y-%m}", "households": body})
        return
    from jingzhun.policy.monitoring import FLAGS_ZH, LEVELS_ZH

    flagged = sum(r.level is not None for r in results)
    lines = [f"{first:%Y-%m} 返贫预警：{len(results)} 户，预警 {flagged} 户", ""]
    for r in results:
        if r.level is None:
            lines.append(f"户 {r.id}：无预警")
        else:
            lines.append(f"户 {r.id}：{LEVELS_ZH[r.level]}预警（{'、'.join(FLAGS_ZH[f] for f in r.flags)}）")
        lines.extend(f"  {reason}" for reason in r.reasons())
    lines.extend(_parameter_lines(p for r in results for p in r.rules.parameters))
    sys.stdout.write("\n".join(lines) + "\n")


def fail(errors: list[str]) -> NoReturn:
    for error in errors:
        typer.echo(error, err=True)
    raise typer.Exit(code=2)


def read_document(source: str) -> Any:
    """YAML or JSON from a file or ``-``; JSON when the text starts with ``{``. Dates stay text."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail([f"无法读取输入文件 [DOC]: {source}: {exc}"])
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            fail([f"输入不是有效的 JSON [DOC]: 第 {exc.lineno} 行第 {exc.colno} 列: {exc.msg}"])
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc,valid-type]
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        fail([f"输入不是有效的 YAML [DOC]: {exc}"])


def _format_errors(format: str) -> list[str]:
    return [] if format in FORMATS else [f"输出格式 [--format] 须为 {' | '.join(FORMATS)}，得到 {format!r}"]


def _month(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}", text) or not 1 <= int(text[5:]) <= 12:
        return None
    return dt.date(int(text[:4]), int(text[5:]), 1)


def _print_json(value: Any) -> None:
    """Indented for a person at a terminal; compact into a file or pipe (100 000 households)."""
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=indent) + "\n")


def _params() -> Any:
    from jingzhun.policy.params import ParameterFileError, load_parameters

    try:
        return load_parameters()
    except ParameterFileError as exc:
        fail(exc.problems)


def _parameter_lines(used: Any) -> list[str]:
    """Each parameter value used, once: name, value, since, level — and 默认值 where POLICY.md says so."""
    from jingzhun.policy import regions
    from jingzhun.policy.money import fraction_to_str

    seen: dict[tuple[str, str, dt.date], Any] = {}
    for p in used:
        seen.setdefault((p.name, p.region, p.since), p)
    lines = ["", "参数："]
    for (name, region, since), p in seen.items():
        value = str(p.value).lower() if isinstance(p.value, bool | int) else fraction_to_str(p.value)
        note = "（默认值，请按本地文件核定）" if p.default else ""
        lines.append(f"  {name} = {value}（{since.isoformat()} 起，{regions.label(region)}）{note}")
    return lines
