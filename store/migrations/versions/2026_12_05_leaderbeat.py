"""the scheduler leader's heartbeat (perfbot doctor, /metrics)

Revision ID: leaderbeat
Revises: displayname
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from store.models.base import UTCDateTime

revision = "leaderbeat"
down_revision = "displayname"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_leader",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("since", UTCDateTime(timezone=True), nullable=False),
        sa.Column("beat_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leader")),
    )


def downgrade() -> None:
    op.drop_table("scheduler_leader")
