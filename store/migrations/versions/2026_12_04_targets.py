"""targets that count: a goal's pending target and the split rules it was cascaded with

Revision ID: targets
Revises: ratings
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "targets"
down_revision = "ratings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("proposed_target", sa.Numeric(precision=18, scale=4), nullable=True)
        )
        batch_op.add_column(sa.Column("places", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column(
                "weights",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_column("weights")
        batch_op.drop_column("places")
        batch_op.drop_column("proposed_target")
