"""The front door: every command a user or cron runs (``jingzhun --help``).

Sub-command modules keep heavy imports (Django, Polars) inside the command bodies, so that
``jingzhun entitle`` on a small document starts fast and pure commands never touch a database.
"""

from __future__ import annotations

import typer

from jingzhun.cli.checks import exit_app, monitor_app
from jingzhun.cli.ledger import ledger_app, report_app, run_month
from jingzhun.cli.medical import app as medical_app
from jingzhun.cli.policy import app as policy_app
from jingzhun.cli.policy import entitle
from jingzhun.cli.projects import app as projects_app
from jingzhun.cli.qr import app as qr_app
from jingzhun.cli.registry import app as registry_app
from jingzhun.cli.site import demo, migrate, serve
from jingzhun.cli.synth import synth

app = typer.Typer(
    name="jingzhun",
    help="精准扶贫与社会救助平台 jingzhun — 命令行工具",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("migrate", help="创建或升级 DATABASE_URL 指定的数据库")(migrate)
app.command("serve", help="启动网站（默认 http://127.0.0.1:8000）")(serve)
app.command("demo", help="演示：生成合成县 → 导入 → 运行一个月 → 启动网站")(demo)
app.command("synth", help="生成合成县的户籍导入文件")(synth)
app.command("entitle", help="计算待遇（纯计算，不访问数据库）")(entitle)
app.command("run-month", help="按月计算待遇并写入发放台账（幂等、原子）")(run_month)
app.add_typer(ledger_app, name="ledger", help="发放台账：合计、冲正、银行文件")
app.add_typer(report_app, name="report", help="月通报等报表")
app.add_typer(registry_app, name="registry", help="建档立卡户籍：导入、模板、统计")
app.add_typer(policy_app, name="policy", help="政策参数：查看参数值及其来源")
app.add_typer(qr_app, name="qr", help="一码清：公开页网址与门牌二维码标签")
app.add_typer(projects_app, name="projects", help="项目资金库：导入、模板、合成项目、入库排序、按序匹配")
app.add_typer(medical_app, name="medical", help="住院一站式结算（纯计算，不访问数据库）")
app.add_typer(exit_app, name="exit", help="脱贫退出核查（纯计算）")
app.add_typer(monitor_app, name="monitor", help="防止返贫监测预警（纯计算）")


def main() -> None:
    app()
