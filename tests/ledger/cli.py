"""Run ``jingzhun …`` in-process (same test database), returning exit code, stdout and stderr."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from jingzhun.cli import app


def jingzhun(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)
