"""Unit of work: state, outbox rows and audit events commit together or not at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from store import audit, outbox
from store.db import read_only_options

Clock = Callable[[], datetime]


class UnitOfWork:
    """`with uow:` opens a transaction; `commit()` makes it durable; leaving rolls back."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self.clock = clock
        self._session: Session | None = None
        self._read_only = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside `with`")
        return self._session

    def reading(self) -> UnitOfWork:
        """`with uow.reading():` for work that only reads (the hot paths of chat commands):
        no write lock on SQLite, no BEGIN and ROLLBACK round trips on PostgreSQL
        (store.db.read_only_options). Nothing can be committed in it."""
        self._read_only = True
        return self

    def __enter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        # close() rolls back whatever wasn't committed but, unlike rollback(), leaves
        # loaded objects readable after the unit of work ends.
        self._session.close()
        self._session = None
        self._read_only = False

    def commit(self) -> None:
        """Commit everything done so far; the unit of work stays usable."""
        if self._read_only:
            raise RuntimeError("commit in a read-only unit of work (see reading())")
        self.session.commit()
        self.session.begin()

    def rollback(self) -> None:
        """Drop everything since the last commit."""
        self.session.rollback()
        self._begin()

    def _begin(self) -> None:
        session = self.session
        session.begin()
        if self._read_only:
            # Check the connection out now, set up for reading before anything begins; and
            # never flush (under autocommit a flush would be a write nobody committed).
            session.autoflush = False
            session.connection(execution_options=read_only_options(session.get_bind()))

    def audit(
        self,
        *,
        actor: str,
        action: str,
        entity: str,
        entity_id: object = "",
        before: Any = None,
        after: Any = None,
    ) -> None:
        """Record who changed what, chained to the previous event."""
        audit.append(
            self.session,
            at=self.clock(),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
        )

    def enqueue(
        self,
        *,
        dedupe_key: str,
        kind: str,
        payload: dict[str, Any],
        recipient_id: int | None = None,
        channel: str | None = None,
    ) -> bool:
        """Queue a notification in this transaction; False if its dedupe key was seen."""
        return outbox.enqueue(
            self.session,
            now=self.clock(),
            dedupe_key=dedupe_key,
            kind=kind,
            payload=payload,
            recipient_id=recipient_id,
            channel=channel,
        )


UowFactory = Callable[[], UnitOfWork]
