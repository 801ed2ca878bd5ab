"""ratings: the employee's self-assessment per period (/self)

Revision ID: ratings
Revises: appeals
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa
import store.models.base

revision = 'ratings'
down_revision = 'appeals'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('self_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_self_assessment_employee_id_employee')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_self_assessment_period_id_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment')),
    sa.UniqueConstraint('employee_id', 'period_id', name=op.f('uq_self_assessment_employee_id_period_id'))
    )


def downgrade() -> None:
    op.drop_table('self_assessment')
