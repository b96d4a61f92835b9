"""`jingzhun exit-db check`: the exit check (POLICY.md §8) over the registry's households, read-only.

The document is built from the database (monitoring/exit/check.py says how) and checked by the same pure
rules as ``jingzhun exit check``; the output has the same shape, each household by its 户编号:
``{"year": 2020, "households": [{"id": "1411020010010001", "exit_ok": false, "failed": ["income"]}]}``.
Only registered-poor households not yet exited are checked unless ``--all-registered``.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("check")
def check(
    year: Annotated[int, typer.Option("--year", help="评估年度，例如 2020")],
    region: Annotated[str, typer.Option("--region", help="区域代码（县 6 位或乡镇、村 12 位）；默认全部")] = "",
    all_registered: Annotated[
        bool, typer.Option("--all-registered", help="也核查已脱贫户（享受或不再享受政策）")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="输出格式 json | table")] = "json",
) -> None:
    """核查数据库中建档立卡户是否达到脱贫退出标准（只读）。"""
    if fmt not in ("json", "table"):
        typer.echo(f"未知的格式：{fmt}（可选：json、table）[--format]", err=True)
        raise typer.Exit(code=2)
    if year < 2014 or year > 2100:
        typer.echo(f"评估年度 {year} 不合理 [--year]", err=True)
        raise typer.Exit(code=2)
    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.scope import region_prefix
    from jingzhun.monitoring.exit.check import check_households
    from jingzhun.monitoring.exit.queries import not_exited
    from jingzhun.registry.models import Household, Region

    prefix = ""
    if region:  # a township's 12-digit code is not its villages' prefix: it gave no household at all
        if not Region.objects.filter(code=region).exists():
            typer.echo(f"区域代码 [--region] 不存在：{region}", err=True)
            raise typer.Exit(code=2)
        prefix = region_prefix(region)
    if all_registered:
        households = Household.objects.filter(
            village__code__startswith=prefix, registered_year__isnull=False, active=True
        )
    else:
        households = not_exited(prefix)
    numbers = dict(households.values_list("id", "household_no"))
    results = check_households(list(numbers), year)
    rows = sorted(
        ({"id": numbers[pk], "exit_ok": r.exit_ok, "failed": list(r.failed)} for pk, r in results.items()),
        key=lambda row: str(row["id"]),
    )
    if fmt == "json":
        typer.echo(json.dumps({"year": year, "households": rows}, ensure_ascii=False))
        return
    for pk, r in sorted(results.items(), key=lambda item: numbers[item[0]]):
        typer.echo(f"{numbers[pk]}\t{'达到退出标准' if r.exit_ok else '未通过：' + '；'.join(r.failed_zh())}")
