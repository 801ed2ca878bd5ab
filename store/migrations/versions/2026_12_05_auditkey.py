"""audit chain: keyed links over a salted digest of the content; PostgreSQL refuses edits

Revision ID: auditkey
Revises: scorebench
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "auditkey"
down_revision = "scorebench"
branch_labels = None
depends_on = None

# The application may clear an event's personal content (an erasure: `erased` set, the
# link columns untouched) and nothing else: no other UPDATE, no DELETE, no TRUNCATE.
GUARD = """
CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN  -- nested: NEW has no fields on DELETE or TRUNCATE
        IF NEW.erased AND OLD.digest IS NOT NULL
           AND (NEW.id, NEW.at, NEW.action, NEW.entity, NEW.entity_id, NEW.salt, NEW.digest,
                NEW.keyed, NEW.prev_hash, NEW.hash)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.at, OLD.action, OLD.entity, OLD.entity_id, OLD.salt, OLD.digest,
                OLD.keyed, OLD.prev_hash, OLD.hash) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_event_no_edit BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard();
"""


def upgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("salt", sa.String(32), nullable=True))
        batch.add_column(sa.Column("digest", sa.String(64), nullable=True))
        batch.add_column(sa.Column("keyed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("erased", sa.Boolean(), nullable=False, server_default=sa.false()))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(GUARD)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER audit_event_no_edit ON audit_event")
        op.execute("DROP FUNCTION audit_event_guard()")
    with op.batch_alter_table("audit_event") as batch:
        for name in ("erased", "keyed", "digest", "salt"):
            batch.drop_column(name)
