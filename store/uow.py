"""Unit of work: state, outbox rows and audit events commit together or not at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any, TypeVar, Unpack

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from store import audit, outbox
from store.audit import Change
from store.db import read_only_options
from store.models.base import Base
from store.outbox import Message
from store.queries.appeals import AppealsQueries
from store.queries.closing import ClosingQueries
from store.queries.delivery import DeliveryQueries
from store.queries.demo import DemoQueries
from store.queries.goals import GoalsQueries
from store.queries.health import HealthQueries
from store.queries.jobs import JobsQueries
from store.queries.kpi import KpiQueries
from store.queries.nudges import NudgesQueries
from store.queries.operator import OperatorQueries
from store.queries.org import OrgQueries
from store.queries.people import PeopleQueries
from store.queries.praise import PraiseQueries
from store.queries.ratings import RatingsQueries
from store.queries.reports import ReportsQueries
from store.queries.scores import ScoresQueries

Clock = Callable[[], datetime]
M = TypeVar("M")


class KeptConnection:
    """One connection kept open for reads made one at a time on one thread (the Slack
    app's event loop answering quick reads): a read then takes no connection from the
    pool and gives none back, which cost as much as the statement of a /score."""

    # A reader in WAL mode is almost never kept waiting (a checkpoint, a recovery); when it
    # is, an event loop must not wait the writers' 30 s: the read fails and is answered
    # with an apology instead.
    SQLITE_BUSY_MS = 250

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def take(self) -> Connection:
        """The kept connection, opened (again) when there is none."""
        if self._conn is None:
            # Read-only before anything runs on it: no BEGIN (IMMEDIATE, on SQLite) ever.
            conn = self._engine.connect().execution_options(**read_only_options(self._engine))
            if self._engine.dialect.name == "sqlite":
                conn.detach()  # its own busy timeout: it must not go back to the pool
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {self.SQLITE_BUSY_MS}")
            self._conn = conn
        return self._conn

    def give_back(self, failed: bool) -> None:
        """After a read; a failed one drops the connection (it may be broken)."""
        if failed:
            self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class UnitOfWork:
    """`with uow:` opens a transaction; `commit()` makes it durable; leaving rolls back.

    Use cases reach the database only through it: `get`, `add` and `flush` for rows by
    their key, and each feature's named queries (`uow.org`, `uow.goals`, ... in
    store/queries/), so a unit test can hand them an in-memory fake instead."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Clock, audit_key: bytes | None = None
    ) -> None:
        self._sessions = sessions
        self.clock = clock
        self._audit_key = audit_key  # keys the audit chain's links (PERFBOT_AUDIT_KEY)
        self._session: Session | None = None
        self._reader: Connection | None = None  # reading(): its connection, no session yet
        self._read_only = False
        self._kept: KeptConnection | None = None
        self._queries()

    def _queries(self) -> None:
        self.org = OrgQueries(self)
        self.appeals = AppealsQueries(self)
        self.closing = ClosingQueries(self)
        self.delivery = DeliveryQueries(self)
        self.demo = DemoQueries(self)
        self.goals = GoalsQueries(self)
        self.health = HealthQueries(self)
        self.jobs = JobsQueries(self)
        self.kpi = KpiQueries(self)
        self.nudges = NudgesQueries(self)
        self.operator = OperatorQueries(self)
        self.people = PeopleQueries(self)
        self.praise = PraiseQueries(self)
        self.ratings = RatingsQueries(self)
        self.reports = ReportsQueries(self)
        self.scores = ScoresQueries(self)

    def get(self, model: type[M], key: object) -> M | None:
        """The row of `model` with this primary key, or None."""
        return self.session.get(model, key)

    def add(self, obj: object) -> None:
        """A new row, written at the next flush or commit."""
        self.session.add(obj)

    def flush(self) -> None:
        """Write pending changes now (new rows get their ids), without committing."""
        self.session.flush()

    @property
    def session(self) -> Session:
        if self._session is None:
            if self._reader is None:
                raise RuntimeError("unit of work used outside `with`")
            # A reader's session only when something asks for one, on its connection.
            self._session = self._sessions(bind=self._reader, autoflush=False)
        return self._session

    @property
    def connection(self) -> Connection:
        """The connection of this unit of work, for Core statements: a reader's costs no
        ORM session (on /score that session was half the time of the read)."""
        if self._reader is not None:
            return self._reader
        return self.session.connection()

    def reading(self) -> UnitOfWork:
        """`with uow.reading():` for work that only reads (the hot paths of chat commands):
        no write lock on SQLite, no BEGIN and ROLLBACK round trips on PostgreSQL
        (store.db.read_only_options). Nothing can be committed in it."""
        self._read_only = True
        return self

    def reads_on(self, kept: KeptConnection) -> UnitOfWork:
        """Let reading() use this kept connection instead of one from the pool."""
        self._kept = kept
        return self

    def __enter__(self) -> UnitOfWork:
        if self._read_only:
            if self._kept is not None:
                self._reader = self._kept.take()
                return self
            engine = self._sessions.kw["bind"]
            assert isinstance(engine, Engine)
            self._reader = engine.connect().execution_options(**read_only_options(engine))
            return self
        self._session = self._sessions()
        self._session.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever wasn't committed but, unlike rollback(), leaves
        # loaded objects readable after the unit of work ends.
        if self._session is not None:
            self._session.close()
        if self._reader is not None and self._kept is not None:
            self._kept.give_back(failed=exc_type is not None)
        elif self._reader is not None:
            self._reader.close()
        self._session, self._reader = None, None
        self._read_only = False

    def commit(self) -> None:
        """Commit everything done so far; the unit of work stays usable."""
        if self._read_only:
            raise RuntimeError("commit in a read-only unit of work (see reading())")
        self.session.commit()
        self.session.begin()

    def commit_unless_raced(self) -> bool:
        """Commit; False, with everything since the last commit dropped, when a unique
        constraint says another writer stored the same thing first."""
        try:
            self.commit()
        except IntegrityError:
            self.rollback()
            return False
        return True

    def rollback(self) -> None:
        """Drop everything since the last commit."""
        if self._reader is not None:  # nothing was written; forget what was loaded
            if self._session is not None:
                self._session.rollback()
            return
        self.session.rollback()
        self.session.begin()

    def audit(self, *, entity_id: object = "", **change: Unpack[Change]) -> None:
        """Record who changed what, chained to the previous event."""
        audit.append(
            self.session, key=self._audit_key, at=self.clock(), entity_id=str(entity_id), **change
        )

    def audit_row(
        self, row: Base, actor: str, action: str, *, before: Any = None, after: Any = None
    ) -> None:
        """Record a change to one row: its table names the entity, its id the id (a new
        row is flushed first, which gives it one)."""
        self.session.flush()
        self.audit(
            actor=actor,
            action=action,
            entity=row.__tablename__,
            entity_id=row.__mapper__.primary_key_from_instance(row)[0],
            before=before,
            after=after,
        )

    def enqueue(self, **message: Unpack[Message]) -> bool:
        """Queue a notification in this transaction; False if its dedupe key was seen."""
        return outbox.enqueue(self.session, now=self.clock(), **message)


UowFactory = Callable[[], UnitOfWork]
