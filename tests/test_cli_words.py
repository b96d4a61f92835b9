"""Typer's own usage errors in Chinese (``jingzhun.cli.zh.translate``); a message it does not know stays."""

from __future__ import annotations

import pytest

from jingzhun.cli.zh import translate


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Missing argument 'month'.", "缺少参数 'month'。"),
        ("Missing option '--out'.", "缺少选项 '--out'。"),
        ("No such option: --x (Possible options: --out)", "没有选项 --x（相近的选项：--out）"),
        ("No such option: --x", "没有选项 --x"),
        ("No such command 'lg'. Did you mean 'ledger'?", "没有命令 'lg'。是否要用 'ledger'？"),
        ("Option '--village' requires an argument.", "选项 '--village' 需要一个值。"),
        ("Got unexpected extra argument(s) (a b)", "多余的参数：a b"),
        (
            "Invalid value for '--port': Input should be a valid integer, unable to parse string as an integer",
            "'--port' 的值无效：应为整数",
        ),
        ("Invalid value for '--x': 'z' is not one of 'a', 'b'.", "'--x' 的值无效：'z' 不是可选值（'a', 'b'）之一"),
        ("Missing command.", "缺少子命令。"),
        ("输出格式 [--format] 须为 table | json", "输出格式 [--format] 须为 table | json"),
        ("Something Typer says that we never saw", "Something Typer says that we never saw"),
    ],
)
def test_translate(english: str, chinese: str) -> None:
    assert translate(english) == chinese
