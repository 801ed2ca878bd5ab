#!/usr/bin/env bash
# Set up, seed the demo company on SQLite and open the console as a sales manager.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/perfbot demo "$@"
