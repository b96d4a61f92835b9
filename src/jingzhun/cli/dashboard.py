"""`jingzhun dashboard refresh`: the 一张图 summary job (``dashboard/counts.py``) from cron or by hand.

The pages run the same job before they read; from cron after a month run or a large import it keeps the
first page view fast. Heavy imports stay inside the command body.
"""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("refresh")
def refresh_command(
    everything: bool = typer.Option(False, "--all", help="重建全部村（数据库被直接修改过时）"),
) -> None:
    """更新一张图和工作台的汇总表（按村在册户数、致贫原因、台账月度汇总）；有变动时写一条审计记录。"""
    import getpass

    from jingzhun.cli.djsetup import setup

    setup()
    from jingzhun.core.actions import Actor
    from jingzhun.dashboard.counts import refresh

    done = refresh(Actor.system(f"cli:{getpass.getuser()}"), everything=everything)
    if not done.changed:
        typer.echo("汇总表已是最新，无需更新。")
        return
    months = "、".join(f"{m:%Y-%m}" for m in done.months) or "无"
    scope = "全部" if done.full else "有变动的"
    typer.echo(f"已重建{scope} {done.villages} 个村的汇总；台账月份：{months}。")
