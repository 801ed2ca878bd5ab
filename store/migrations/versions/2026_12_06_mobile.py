"""a person's mobile number (org file `mobile`, E.164), by which a chat platform's account
is linked when no e-mail matches

Revision ID: mobile
Revises: locale
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "mobile"
down_revision = "locale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("employee") as batch:
        batch.add_column(sa.Column("mobile", sa.String(32), nullable=True))
    # A unique index (not a constraint): SQLite adds one without re-creating the table.
    op.create_index("ix_employee_mobile", "employee", ["mobile"], unique=True)


def downgrade() -> None:
    # The index first (SQLite won't drop an indexed column), then a plain DROP COLUMN: batch
    # mode would re-create employee, which other tables' rows reference (see `locale`).
    op.drop_index("ix_employee_mobile", table_name="employee")
    op.drop_column("employee", "mobile")
