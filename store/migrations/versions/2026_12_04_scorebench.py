"""score and score_line keep room on each page for a re-score's in-place updates

Revision ID: scorebench
Revises: targets
Create Date: 2026-12-04

PostgreSQL only (SQLite has no fillfactor): a re-score updates both tables in place
(store/score_write.py), and an update that changes no indexed column skips every index
(a HOT update) when the row's page has room for its new version. Existing pages get the
room as they are rewritten.
"""

from alembic import op

revision = "scorebench"
down_revision = "targets"
branch_labels = None
depends_on = None

TABLES = ("score", "score_line")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TABLES:
            op.execute(f"ALTER TABLE {name} SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TABLES:
            op.execute(f"ALTER TABLE {name} RESET (fillfactor)")
