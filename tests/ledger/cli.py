"""Run ``jingzhun …`` in-process (same test database), returning exit code, stdout and stderr."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from jingzhun.cli import app


def jingzhun(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def bank_file_sent(*args: str) -> Any:
    """``jingzhun ledger bank-file ARGS`` and then ``bank-sent`` of the batch it printed: the file handed to
    the bank (its lines become 已报盘), as before generating and confirming were two steps."""
    import re

    result = jingzhun("ledger", "bank-file", *args)
    if match := re.search(r"代发批次 #(\d+)", result.stdout):
        assert jingzhun("ledger", "bank-sent", match.group(1)).exit_code == 0
    return result
