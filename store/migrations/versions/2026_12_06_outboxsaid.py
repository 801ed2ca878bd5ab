"""why an outbox row failed, as words to say again in the reader's language (said.to_data),
next to its English `last_error`

Revision ID: outboxsaid
Revises: mobile
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "outboxsaid"
down_revision = "mobile"
branch_labels = None
depends_on = None


def upgrade() -> None:
    doc = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("last_error_said", doc, nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN: batch mode would re-create outbox (see `mobile`).
    op.drop_column("outbox", "last_error_said")
