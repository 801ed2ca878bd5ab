"""a person's display name (org file `display_name`); reminders sent for pending goals and
target changes

Revision ID: displayname
Revises: auditkey
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from store.models.base import UTCDateTime

revision = "displayname"
down_revision = "auditkey"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("employee") as batch:
        batch.add_column(sa.Column("display_name", sa.String(200), nullable=True))
    with op.batch_alter_table("goal") as batch:
        batch.add_column(sa.Column("reminded_at", UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("kpi_adjustment") as batch:
        batch.add_column(sa.Column("reminded_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kpi_adjustment") as batch:
        batch.drop_column("reminded_at")
    with op.batch_alter_table("goal") as batch:
        batch.drop_column("reminded_at")
    with op.batch_alter_table("employee") as batch:
        batch.drop_column("display_name")
