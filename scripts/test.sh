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
