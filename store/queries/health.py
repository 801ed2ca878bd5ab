"""The install's health readings, one set shared by `perfbot doctor` and /metrics: the
outbox's backlog and failures, each source's last sync, the scheduler's heartbeat, and the
gaps in the organisation (people no chat can reach, periods without goals, scorecards)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, false, func, literal, or_, select

from said import from_data, joined
from store.models import (
    AuditEvent,
    ChatIdentity,
    Employee,
    Goal,
    Outbox,
    Period,
    SchedulerLeader,
    SyncCheckpoint,
)
from store.queries.base import Queries
from store.sync_state import LAST, SUCCEEDED_AT

NO_PLATFORM = "none"  # a failure no platform was tried for (no route, unreadable card)
SAMPLE = 5  # names listed with a count, so a line stays a line


@dataclass(frozen=True)
class OutboxHealth:
    pending: int
    oldest_created_at: datetime | None  # the oldest pending row's creation
    oldest_due_at: datetime | None  # the earliest due time among pending rows
    failed: int
    failed_since: dict[str, int]  # platform -> rows failed since the time asked


@dataclass(frozen=True)
class SourceSync:
    source: str
    running_since: datetime | None  # a run started and not finished (or died)
    last_success_at: datetime | None
    last: dict[str, Any]  # the last complete run's counts (fetched, new, ...)


@dataclass(frozen=True)
class Few:
    """How many, and the first few names."""

    count: int
    names: list[str]


@dataclass(frozen=True)
class SyncFailure:
    """A source's last failed sync: when, and the error it ended with."""

    at: datetime
    error: str


LEADER = "scheduler"  # the one row of scheduler_leader


@dataclass(frozen=True)
class Leader:
    holder: str
    since: datetime
    beat_at: datetime


class HealthQueries(Queries):
    """Named reads for the operator's health checks, plus the leader's heartbeat write."""

    def outbox(self, platforms: Sequence[str], failed_since: datetime) -> OutboxHealth:
        """Pending rows and the oldest due one; failed rows, and those failed since
        `failed_since` by the platform their error names (the dispatcher prefixes it)."""
        o = Outbox
        pending, created, due = self.session.execute(
            select(func.count(), func.min(o.created_at), func.min(o.next_attempt_at)).where(
                o.status == "pending"
            )
        ).one()
        failed = self.session.scalar(select(func.count()).where(o.status == "failed")) or 0
        # A failed row's next_attempt_at is the end of its last claim: about when it failed.
        platform = _platform_of(o.last_error, platforms)
        rows = self.session.execute(
            select(platform, func.count())
            .where(o.status == "failed", o.next_attempt_at >= failed_since)
            .group_by(platform)
        ).all()
        by_platform = {str(p): int(n) for p, n in rows}
        return OutboxHealth(int(pending), created, due, int(failed), by_platform)

    def sources(self) -> list[SourceSync]:
        """Every source that ever synced, from its checkpoint (one row each: cheap enough
        for every scrape)."""
        found = []
        for cp in self.session.scalars(select(SyncCheckpoint).order_by(SyncCheckpoint.source)):
            stats = cp.stats or {}
            last = dict(stats.get(LAST) or {})
            at = stats.get(SUCCEEDED_AT)
            # Checkpoints written before SUCCEEDED_AT: a complete run ended at updated_at.
            success = datetime.fromisoformat(at) if at else None
            if success is None and last.get("complete") and cp.run_started_at is None:
                success = cp.updated_at
            found.append(SourceSync(cp.source, cp.run_started_at, success, last))
        return found

    def sync_failures(self) -> dict[str, SyncFailure]:
        """Each source's last failed run, from the audit log (the doctor's, not a scrape's)."""
        a = AuditEvent
        last = (
            select(a.entity_id, func.max(a.id).label("last_id"))
            .where(a.entity == "source", a.action == "sync.failed")
            .group_by(a.entity_id)
            .subquery()
        )
        rows = self.session.execute(
            select(a.entity_id, a.at, a.after).join(last, a.id == last.c.last_id)
        )
        return {source: SyncFailure(at, _errors(after or {})) for source, at, after in rows}

    def leader(self) -> Leader | None:
        """The scheduler's last heartbeat, or None when no scheduler ever led here."""
        row = self.session.get(SchedulerLeader, LEADER)
        return None if row is None else Leader(row.holder, row.since, row.beat_at)

    def beat(self, holder: str, since: datetime, now: datetime) -> None:
        """The leader says it is alive (bot/scheduler.py writes it every BEAT_EVERY s)."""
        row = self.session.get(SchedulerLeader, LEADER)
        if row is None:
            row = SchedulerLeader(name=LEADER, holder=holder, since=since, beat_at=now)
            self.session.add(row)
        row.holder, row.since, row.beat_at = holder, since, now

    def without_chat(self) -> Few:
        """Active people with no chat account: notices can't reach them."""
        e = Employee
        linked = exists().where(ChatIdentity.employee_id == e.id)
        return self._few(select(e.name).where(e.active, ~linked).order_by(e.name))

    def periods_without_goals(self) -> Few:
        """Open periods with no goal at all: nothing to score or nudge."""
        p = Period
        has_goal = exists().where(Goal.period_id == p.id)
        return self._few(select(p.key).where(p.status == "open", ~has_goal).order_by(p.starts_on))

    def scorecards_in_use(self) -> dict[str | None, int]:
        """Active people per scorecard (None: people with no scorecard)."""
        e = Employee
        rows = self.session.execute(
            select(e.scorecard, func.count()).where(e.active).group_by(e.scorecard)
        )
        return {card: int(n) for card, n in rows}

    def people_on(self, scorecards: Sequence[str | None]) -> Few:
        """Active people whose scorecard is one of these (None: no scorecard)."""
        e = Employee
        named = [c for c in scorecards if c is not None]
        none = e.scorecard.is_(None) if None in scorecards else false()
        wanted = or_(e.scorecard.in_(named), none)
        return self._few(select(e.name).where(e.active, wanted).order_by(e.name))

    def _few(self, query: Any) -> Few:
        count = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        return Few(int(count), list(self.session.scalars(query.limit(SAMPLE))))


def _platform_of(error: Any, platforms: Sequence[str]) -> Any:
    """The platform a failed row's error names ("slack: ...", "unreachable on slack: ...",
    "gave up after 6 attempts: slack: ..."), else NO_PLATFORM."""
    whens = [
        (
            or_(
                error.like(f"{p}: %"),
                error.like(f"unreachable on {p}:%"),
                and_(error.like("gave up after %"), error.like(f"%: {p}: %")),
            ),
            literal(p),
        )
        for p in platforms
    ]
    return case(*whens, else_=literal(NO_PLATFORM)) if whens else literal(NO_PLATFORM)


def _errors(after: dict[str, Any]) -> str:
    """A failed run's errors, as stored: each one a Said again where the run kept its words
    (`said`), so the doctor says it in the operator's language; else the English."""
    english = [str(e) for e in after.get("errors") or []]
    said = after.get("said") or []
    told = [from_data(said[i]) if i < len(said) else None for i in range(len(english))]
    return joined("; ", [t or e for t, e in zip(told, english, strict=True)])
