#!/usr/bin/env bash
# Until the first release, the schema is one initial migration regenerated from the models.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f store/migrations/versions/*_initial_schema.py /tmp/perfbot_regen.db
.venv/bin/python - <<'PY'
from alembic import command
from store.db import make_engine
from store.schema import alembic_config
engine = make_engine("sqlite:////tmp/perfbot_regen.db")
cfg = alembic_config(engine)
with engine.begin() as conn:
    cfg.attributes["connection"] = conn
    command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
PY
rm -f /tmp/perfbot_regen.db*
ls store/migrations/versions
