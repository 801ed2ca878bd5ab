#!/usr/bin/env bash
# Set up, then lint, type-check, check the layer contracts and run every test
# (each database test runs on SQLite and on PostgreSQL; see tests/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
# One command per line: under `set -e` a failure on the left of `&&` would not stop the run.
echo "== ruff";          ruff check .
                         ruff format --check .
echo "== mypy";          mypy
echo "== import-linter"; lint-imports
echo "== pytest";        pytest --cov --cov-report=term:skip-covered "$@"
# Whatever today's date is: the whole suite again (SQLite) with this process's real clock
# moved to 23:30 UTC on 29 Feb 2028 (1 March in Shanghai), so any product code that reads the
# host's clock instead of perfbot's one clock fails here (tests/conftest.py real_date).
echo "== pytest at another real date"
PERFBOT_TEST_REAL_DATE=2028-02-29T23:30:00Z pytest -k "not postgresql" "$@"
