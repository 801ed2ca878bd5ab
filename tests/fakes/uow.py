"""An in-memory unit of work for unit tests of use cases (the fake repository and unit of
work of "Architecture Patterns with Python"): rows live in dicts keyed by model and id,
audit events and outbox rows in lists, and each feature's named queries are answered by
the fakes in tests/fakes/queries/ over those dicts. A use case that reaches past them for
the session fails loudly: its query belongs in store/queries/."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from itertools import count
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from store.uow import Clock, UnitOfWork
from tests.fakes.queries.appeals import FakeAppealsQueries
from tests.fakes.queries.closing import FakeClosingQueries
from tests.fakes.queries.goals import FakeGoalsQueries
from tests.fakes.queries.kpi import FakeKpiQueries
from tests.fakes.queries.nudges import FakeNudgesQueries
from tests.fakes.queries.org import FakeOrgQueries
from tests.fakes.queries.people import FakePeopleQueries
from tests.fakes.queries.praise import FakePraiseQueries
from tests.fakes.queries.ratings import FakeRatingsQueries
from tests.fakes.queries.reports import FakeReportsQueries
from tests.fakes.queries.scores import FakeScoresQueries

M = TypeVar("M")


class NoDatabase(AssertionError):
    """A use case under a unit test asked for the session: its query has no name yet."""


class FakeUnitOfWork(UnitOfWork):
    """Rows by model and id; `audits`, `outbox` and `commits` record what the use case did."""

    def __init__(self, clock: Clock, rows: Iterable[object] = ()) -> None:
        self.clock = clock
        self.rows: dict[type, dict[Any, Any]] = defaultdict(dict)
        self.audits: list[dict[str, Any]] = []
        self.outbox: list[dict[str, Any]] = []
        self.commits = 0
        self._ids = count(10_000)
        self._queries()
        for row in rows:
            self.add(row)

    def _queries(self) -> None:
        self.org = FakeOrgQueries(self)
        self.appeals = FakeAppealsQueries(self)
        self.closing = FakeClosingQueries(self)
        self.goals = FakeGoalsQueries(self)
        self.kpi = FakeKpiQueries(self)
        self.nudges = FakeNudgesQueries(self)
        self.people = FakePeopleQueries(self)
        self.praise = FakePraiseQueries(self)
        self.ratings = FakeRatingsQueries(self)
        self.reports = FakeReportsQueries(self)
        self.scores = FakeScoresQueries(self)

    @property
    def session(self) -> Session:
        raise NoDatabase("use case reached for uow.session: name the query in store/queries/")

    @property
    def connection(self) -> Connection:
        raise NoDatabase("use case reached for uow.connection: name the query in store/queries/")

    def reading(self) -> UnitOfWork:
        return self

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        """Nothing to undo in memory; tests of "nothing half-written" run on a database."""

    def get(self, model: type[M], key: object) -> M | None:
        return self.rows[model].get(key)

    def add(self, obj: object) -> None:
        _column_defaults(obj)
        if getattr(obj, "id", None) is None and hasattr(type(obj), "id"):
            obj.id = next(self._ids)  # type: ignore[attr-defined]
        self.rows[type(obj)][getattr(obj, "id", id(obj))] = obj

    def flush(self) -> None:
        return None

    def all(self, model: type[M]) -> list[M]:
        """Every row of a model, in id order."""
        return [self.rows[model][k] for k in sorted(self.rows[model], key=str)]

    def audit_row(
        self, row: Any, actor: str, action: str, *, before: Any = None, after: Any = None
    ) -> None:
        self.audit(
            actor=actor,
            action=action,
            entity=type(row).__tablename__,
            entity_id=row.id,
            before=before,
            after=after,
        )

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
        self.audits.append(
            {
                "actor": actor,
                "action": action,
                "entity": entity,
                "entity_id": str(entity_id),
                "before": before,
                "after": after,
                "at": self.clock(),
            }
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
        if any(row["dedupe_key"] == dedupe_key for row in self.outbox):
            return False
        self.outbox.append(
            {
                "dedupe_key": dedupe_key,
                "kind": kind,
                "payload": payload,
                "recipient_id": recipient_id,
                "channel": channel,
            }
        )
        return True


def _column_defaults(obj: object) -> None:
    """What a flush gives a new row: each column left unset gets its scalar default
    (KpiAdjustment.status "pending", Goal.unit "", ...)."""
    table = getattr(type(obj), "__table__", None)
    for col in table.columns if table is not None else ():
        default = col.default
        if default is not None and default.is_scalar and getattr(obj, col.key, None) is None:
            setattr(obj, col.key, default.arg)


def fixed_clock(at: datetime) -> Clock:
    """A clock that always says `at`."""
    return lambda: at
