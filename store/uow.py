"""Unit of work: state, outbox rows and audit events commit together or not at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from store import audit, outbox

Clock = Callable[[], datetime]


class UnitOfWork:
    """`with uow:` opens a transaction; `commit()` makes it durable; leaving rolls back."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self.clock = clock
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside `with`")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self._session.begin()
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

    def commit(self) -> None:
        """Commit everything done so far; the unit of work stays usable."""
        self.session.commit()
        self.session.begin()

    def rollback(self) -> None:
        """Drop everything since the last commit."""
        self.session.rollback()
        self.session.begin()

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
