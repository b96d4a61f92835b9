#!/usr/bin/env bash
# The whole suite: lint, types, then pytest on SQLite (everything) and on PostgreSQL (database tests).
# PostgreSQL comes from PG_TEST_URL (default postgres://postgres@127.0.0.1:5432/test). Outside CI an
# unreachable PostgreSQL skips that second run with a warning; with CI=true it is an error.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
scripts/ensure-uv.sh --group spark   # + Apache Spark (pyspark) for the province-scale tests
scripts/ensure-browser.sh
scripts/ensure-java.sh

echo "== ruff =="
uv run ruff check src tests bench
uv run ruff format --check src tests bench
echo "== mypy --strict (pure packages) =="
uv run mypy
echo "== import-linter (architecture contracts, pyproject.toml) =="
uv run lint-imports

PG_TEST_URL=${PG_TEST_URL:-postgres://postgres@127.0.0.1:5432/test}
echo "== pytest: SQLite =="
env -u DATABASE_URL uv run pytest -n 2 "$@"

echo "== pytest: PostgreSQL ($PG_TEST_URL) =="
if uv run python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" \
     "${PG_TEST_URL/postgres:/postgresql:}" 2>/dev/null; then
  DATABASE_URL="$PG_TEST_URL" JINGZHUN_DB_TESTS_ONLY=1 uv run pytest -n 2 "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL 不可用：$PG_TEST_URL（CI 中不能跳过数据库测试）" >&2
  exit 1
else
  echo "警告：PostgreSQL 不可用（$PG_TEST_URL），跳过 PostgreSQL 测试。" >&2
fi
