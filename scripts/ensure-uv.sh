#!/usr/bin/env bash
# Install uv with the machine's Python when it is missing, then sync the locked environment.
set -euo pipefail
export UV_PYTHON_DOWNLOADS=never
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv
fi
uv sync --locked --quiet "$@"
