#!/usr/bin/env bash
# Install uv with the machine's Python when it is missing, then sync the locked environment.
set -euo pipefail
export UV_PYTHON_DOWNLOADS=never
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv
fi
# --compile-bytecode: site-packages compiled once at install. This machine sets PYTHONDONTWRITEBYTECODE=1, so
# otherwise every `jingzhun` run recompiles Polars/NumPy/Typer (~0.6 s of a one-household entitle's start-up).
# (Not `[tool.uv] compile-bytecode`: that re-checks all files on every `uv run`.)
uv sync --locked --quiet --compile-bytecode "$@"
