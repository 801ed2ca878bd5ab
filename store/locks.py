"""Short critical sections keyed on a row, for check-then-insert rules (allowances, duplicates)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# Namespaces of the two-key advisory locks (the one-key space, used by the audit chain,
# does not overlap with this one).
PRAISE_GIVER = 1
APPEAL_EMPLOYEE = 2
SYNC_SOURCE = 3  # session-level, held for a whole sync run (store/sync_lock.py)


def hold(session: Session, namespace: int, key: int) -> None:
    """Serialise transactions on (namespace, key) until commit or rollback.

    PostgreSQL: a transaction-level advisory lock. SQLite needs nothing: every perfbot
    transaction begins IMMEDIATE, so writers already run one at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(CAST(:ns AS integer), CAST(:key AS integer))"),
            {"ns": namespace, "key": key},
        )
