"""Typer's own words in Chinese: the help pages' frame and the usage errors (``jingzhun … --help``).

Every command and option has its Chinese help, but the frame around them was Typer's English — "Usage:",
"Options", "[default: 2018]", "Show this message and exit." — and so were the errors Typer raises before a
command runs: "Missing option '--out'.", "No such option: --bogus", "Invalid value for '--port': Input should
be a valid integer". Typer 0.29 vendors Click with these strings written inline (no gettext catalog), so
:func:`install` translates them where they are made: the help option's text, the usage line's prefix, the
Rich help's panel titles and labels (``typer.rich_utils`` is imported only when help or an error is shown —
``jingzhun entitle`` must not load Rich — so its constants are set as it loads) and each usage error's
``format_message``. A message without a translation stays as Typer wrote it; if Typer's internals change,
each patch steps aside (``tests/test_readme_runs.py`` notices English coming back).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

HELP_OPTION = "显示本帮助并退出。"
USAGE = "用法："

RICH_CONSTANTS = {
    "DEPRECATED_STRING": "（已停用） ",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "查看帮助：[blue]{command_path} {help_option}[/]",
}
RICH_WORDS = {"env var: {var}": "环境变量：{var}", "default: {default}": "默认：{default}", "required": "必填"}

VALUE_PROBLEMS: Sequence[tuple[str, str]] = (
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid number.*", "应为数字"),
    (r"Input should be a valid boolean.*", "应为 true 或 false"),
    (r"Value (.+) is not a valid (\w+)\.", r"\1 不是有效的 \2"),
    (r"(.+) is not one of (.+)\.", r"\1 不是可选值（\2）之一"),
)
MESSAGES: Sequence[tuple[str, str]] = (
    (r"Missing argument (.+)\.", r"缺少参数 \1。"),
    (r"Missing option (.+)\.", r"缺少选项 \1。"),
    (r"Missing parameter:? ?(.*)", r"缺少参数 \1"),
    (r"Missing command\.", "缺少子命令。"),
    (r"No such option: (\S+) \(Possible options: (.+)\)", r"没有选项 \1（相近的选项：\2）"),
    (r"No such option: (\S+)", r"没有选项 \1"),
    (r"No such command (.+?)\. Did you mean (.+)\?", r"没有命令 \1。是否要用 \2？"),
    (r"No such command (.+?)\.", r"没有命令 \1。"),
    (r"Option (.+) requires an argument\.", r"选项 \1 需要一个值。"),
    (r"Option (.+) requires (\d+) arguments\.", r"选项 \1 需要 \2 个值。"),
    (r"Got unexpected extra argument\(s\) \((.+)\)", r"多余的参数：\1"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多余的参数：\1"),
)


def translate(message: str) -> str:
    """Typer's English usage error in Chinese, or the message unchanged."""
    invalid = re.fullmatch(r"Invalid value for (.+?): (.*)", message, re.S) or re.fullmatch(
        r"Invalid value()(?:: )?(.*)", message, re.S
    )
    if invalid:
        field, problem = invalid.groups()
        for pattern, words in VALUE_PROBLEMS:
            if re.fullmatch(pattern, problem, re.S):
                problem = re.sub(pattern, words, problem, flags=re.S)
                break
        return f"{field} 的值无效：{problem}" if field else f"值无效：{problem}"
    for pattern, words in MESSAGES:
        if re.fullmatch(pattern, message, re.S):
            return re.sub(pattern, words, message, flags=re.S)
    return message


def _translated(format_message: Callable[[Any], str]) -> Callable[[Any], str]:
    def format_in_chinese(self: Any) -> str:
        return translate(format_message(self))

    format_in_chinese._jingzhun_zh = True  # type: ignore[attr-defined]
    return format_in_chinese


def _patch_rich_utils(module: ModuleType) -> None:
    for name, words in RICH_CONSTANTS.items():
        if hasattr(module, name):
            setattr(module, name, words)
    english = getattr(module, "_", None)
    if callable(english):
        module._ = lambda text: RICH_WORDS.get(text, english(text))  # type: ignore[attr-defined]


class _RichUtilsLoaded(importlib.abc.MetaPathFinder):
    """Sets ``typer.rich_utils``' words as it is first imported (it loads Rich, so never eagerly)."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "typer.rich_utils":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        loader = spec.loader if spec else None
        if spec is None or loader is None or not hasattr(loader, "exec_module"):  # pragma: no cover
            return spec
        execute = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            execute(module)
            _patch_rich_utils(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def install() -> None:
    try:
        from typer._click import core, exceptions, formatting
    except ImportError:  # pragma: no cover - a Typer without its vendored Click: keep its words
        return

    get_help_option = getattr(core.Command, "get_help_option", None)
    if get_help_option is not None and not getattr(get_help_option, "_jingzhun_zh", False):

        def help_option_in_chinese(self: Any, ctx: Any) -> Any:
            option = get_help_option(self, ctx)
            if option is not None:
                option.help = HELP_OPTION
            return option

        help_option_in_chinese._jingzhun_zh = True  # type: ignore[attr-defined]
        core.Command.get_help_option = help_option_in_chinese  # type: ignore[method-assign]

    write_usage = getattr(formatting.HelpFormatter, "write_usage", None)
    if write_usage is not None and not getattr(write_usage, "_jingzhun_zh", False):

        def write_usage_in_chinese(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(self, prog, args, USAGE if prefix is None else prefix)

        write_usage_in_chinese._jingzhun_zh = True  # type: ignore[attr-defined]
        formatting.HelpFormatter.write_usage = write_usage_in_chinese  # type: ignore[method-assign]

    for error in vars(exceptions).values():
        if not (isinstance(error, type) and issubclass(error, exceptions.UsageError)):
            continue
        # UsageError itself (ctx.fail: "Missing command.", extra arguments) formats as ClickException does
        own = error.__dict__.get("format_message") or (error is exceptions.UsageError and error.format_message)
        if own and not getattr(own, "_jingzhun_zh", False):
            error.format_message = _translated(own)  # type: ignore[method-assign,assignment]

    if "typer.rich_utils" in sys.modules:
        _patch_rich_utils(sys.modules["typer.rich_utils"])
    elif not any(isinstance(finder, _RichUtilsLoaded) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RichUtilsLoaded())
