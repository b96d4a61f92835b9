"""`jingzhun dashboard refresh`: the 一张图 summary job (``dashboard/counts.py``) from cron or by hand.

The pages never run it: they read the counts as last built and queue the job when the register moved
(``dashboard/tasks.py``), and every background job (month run, import) queues it when it finishes. From cron
(every few minutes, and after ``jingzhun run-month`` or ``registry import`` run from the command line, which
are not background jobs) it keeps the pages' 统计截至 recent. Heavy imports stay inside the command body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from jingzhun.core.actions import Actor

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


def refresh_after_demo(actor: Actor) -> str:
    """The demo builds its counts once at the end, so its first 一张图 and 工作台 show figures."""
    from jingzhun.dashboard.counts import refresh

    done = refresh(actor, everything=True)
    return f"一张图汇总已生成：{done.villages} 个村，台账月份 {len(done.months)} 个。"
