"""`jingzhun monitor run YYYY-MM [--region CODE] [--format json|text]`: the monthly 返贫预警 assessment over
the database (POLICY.md §8; the rules are the pure `monitor assess`'s). Idempotent: re-running a month
creates only what is missing and never changes a flag a person has acted on. Exit 0; 1 when refused
(no parameters for the month, unknown region); 2 on a malformed month."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from jingzhun.cli.ledger import _actor, _fail, _month, _setup


def monitor_run(
    month: Annotated[str, typer.Argument(help="评估月份 YYYY-MM（2020-01 起）", show_default=False)],
    region: Annotated[
        str | None, typer.Option("--region", help="区域代码（县 6 位或乡镇、村 12 位）；默认全部")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="输出格式 text | json")] = "text",
) -> None:
    """按月评估防止返贫监测对象（数据库），记录预警并开案；可重复运行（幂等）。"""
    if fmt not in ("text", "json"):
        _fail([f"输出格式 [--format] 应为 text 或 json，得到 {fmt!r}"], 2)
    first = _month(month)
    prefix = _setup(region)
    from jingzhun.monitoring.cases.assess import run_assessment
    from jingzhun.monitoring.cases.queries import share_warning
    from jingzhun.policy.params import MissingParameter

    try:
        result = run_assessment(first, actor=_actor(), region_prefix=prefix)
    except MissingParameter as exc:
        _fail([f"评估月份 {month} [MONTH] 无监测参数（2020-01 起）：{exc}", "未写入任何记录。"], 1)
    warning = share_warning(prefix, first)
    if fmt == "json":
        typer.echo(json.dumps({**result.as_dict(), "share": warning.as_dict()}, ensure_ascii=False))
        return
    typer.echo(result.message)
    typer.echo(warning.message)
