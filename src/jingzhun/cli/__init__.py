"""The front door: every command a user or cron runs (``jingzhun --help``).

Sub-command modules keep heavy imports (Django, Polars) inside the command bodies, so that
``jingzhun entitle`` on a small document starts fast and pure commands never touch a database.

Start-up: Typer ≥ 0.2x converts every option's value through a Pydantic ``TypeAdapter``, and building
the first one imports Pydantic (≈ 0.1–0.2 s, more than the rest of Typer). Every option here is a plain
``str``, ``bool`` or ``Path`` without checks, which needs no conversion at all, so
:func:`_plain_values_without_pydantic` gives those parameters a trivial converter and leaves anything
else (numbers, enums, lists, path checks, custom parsers) to Typer's own. If Typer's internals change,
the patch steps aside and Typer behaves as shipped (``tests/policy/test_startup.py`` notices the cost).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from jingzhun.cli import zh
from jingzhun.cli.checks import exit_app, monitor_app
from jingzhun.cli.crosscheck import app as crosscheck_app
from jingzhun.cli.dashboard import app as dashboard_app
from jingzhun.cli.exit_db import app as exit_db_app
from jingzhun.cli.filial import app as filial_app
from jingzhun.cli.insurance import app as insurance_app
from jingzhun.cli.ledger import ledger_app, report_app, run_month
from jingzhun.cli.medical import app as medical_app
from jingzhun.cli.monitor_db import monitor_run
from jingzhun.cli.points import app as points_app
from jingzhun.cli.policy import app as policy_app
from jingzhun.cli.policy import entitle
from jingzhun.cli.projects import app as projects_app
from jingzhun.cli.pv import app as pv_app
from jingzhun.cli.qr import app as qr_app
from jingzhun.cli.registry import app as registry_app
from jingzhun.cli.site import demo, migrate, serve
from jingzhun.cli.synth import synth


def _plain_values_without_pydantic() -> None:
    try:
        from typer import core
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # pragma: no cover - a Typer without these internals: keep its behaviour
        return
    original = getattr(core._TyperParameter, "get_runtime_param", None)
    if original is None or getattr(original, "_jingzhun_plain", False):  # pragma: no cover
        return

    class PlainParam(RuntimeParam):  # type: ignore[misc]
        """``str`` as given, ``Path(value)`` for a path without checks; anything unusual → Typer's own."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            kind = self.annotation
            if type(value) is str:
                if kind is str:
                    return value
                if kind is Path and (not os.path.exists(value) or os.access(value, os.R_OK)):
                    return Path(value)
            elif kind is bool and type(value) is bool:
                return value
            return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            info = descriptor.parameter_info
            plain = (
                descriptor.annotation in (str, bool, Path)
                and descriptor.file_annotation is None
                and getattr(info, "parser", None) is None
                and getattr(info, "click_type", None) is None
                and not getattr(info, "exists", False)
                and getattr(info, "file_okay", True)
                and getattr(info, "dir_okay", True)
                and getattr(info, "readable", True)
                and not getattr(info, "writable", False)
                and not getattr(info, "resolve_path", False)
                and not getattr(info, "allow_dash", False)
                and getattr(info, "path_type", None) is None
            )
            if not plain:
                return original(self)
            try:
                self._runtime_param = PlainParam(parameter_info=info, annotation=descriptor.annotation)
            except TypeError:  # pragma: no cover - RuntimeParam's fields changed: Typer's own conversion
                return original(self)
        return self._runtime_param

    get_runtime_param._jingzhun_plain = True  # type: ignore[attr-defined]
    core._TyperParameter.get_runtime_param = get_runtime_param


_plain_values_without_pydantic()
zh.install()

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
app.add_typer(medical_app, name="medical", help="住院一站式结算（settle 纯计算；import 导入医院结算导出）")
app.add_typer(insurance_app, name="insurance", help="一保通：慢性病门诊补充等跨模块计算")
app.add_typer(exit_app, name="exit", help="脱贫退出核查（纯计算）")
app.add_typer(monitor_app, name="monitor", help="防止返贫监测预警：assess 纯计算，run 按数据库评估并开案")
monitor_app.command("run", help="按月评估返贫预警（数据库），记录预警并开案；幂等")(monitor_run)
app.add_typer(crosscheck_app, name="crosscheck", help="数据比对：导入部门名单、比对疑点")
app.add_typer(exit_db_app, name="exit-db", help="脱贫退出核查（数据库中的建档立卡户，只读）")
app.add_typer(dashboard_app, name="dashboard", help="一张图：更新汇总表（审计记录）")
app.add_typer(filial_app, name="filial", help="孝亲敬老奖励：导入子女赡养费记录")
app.add_typer(pv_app, name="pv", help="村级光伏电站：导入电站和收益、年度报表")
app.add_typer(points_app, name="points", help="爱心超市积分：导入得分和兑换、村月度对账单")


def main() -> None:
    app()
