"""the language of each person and branch (org file `locale`), and the one their chat
platform reports

Revision ID: locale
Revises: leaderbeat
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "locale"
down_revision = "leaderbeat"
branch_labels = None
depends_on = None

TABLES = ("branch", "employee", "chat_identity")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("locale", sa.String(16), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+ has it): batch mode would re-create employee, which
    # the rows of other tables still reference, and SQLite refuses to drop it.
    for table in reversed(TABLES):
        op.drop_column(table, "locale")
