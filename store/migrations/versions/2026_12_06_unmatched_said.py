"""why a record was set aside, as words to say again in their reader's language (msgid and
values, said.to_data); `reason` keeps the English, and older rows have only that

Revision ID: unmatchedsaid
Revises: outboxsaid
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "unmatchedsaid"
down_revision = "outboxsaid"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unmatched_record") as batch:
        batch.add_column(
            sa.Column(
                "reason_said",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    # A plain DROP COLUMN, like `mobile`'s: no other table references unmatched_record, but
    # batch mode would copy every set-aside record to drop one column.
    op.drop_column("unmatched_record", "reason_said")
