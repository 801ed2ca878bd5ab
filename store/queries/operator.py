"""Queries of the operator's commands (bot/cli/): the tables `perfbot` prints (outbox,
audit log, unmatched records, the org, a period's goals) and its few repairs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from store import audit, audit_anchor, outbox
from store.models import (
    AuditEvent,
    Branch,
    Employee,
    Goal,
    Outbox,
    Period,
    Score,
    Team,
    UnmatchedRecord,
)
from store.person_data import Person, collect, person
from store.queries.base import Queries


class Scored(NamedTuple):
    """Someone with a score in a period."""

    id: int
    email: str
    period_id: int


class OperatorQueries(Queries):
    """Named reads and writes of `perfbot outbox | audit | unmatched | org | goals | person`."""

    def outbox_rows(self, status: str | None, limit: int) -> list[Outbox]:
        """Outbox rows, newest first, optionally of one status."""
        return list(outbox.listing(self.session, status=status, limit=limit))

    def requeue(self, row_id: int, now: datetime) -> Outbox | None:
        """A failed outbox row back to pending, due now; None if it had not failed."""
        return outbox.requeue(self.session, row_id, now=now)

    def verify_audit(self, key: bytes | None) -> audit.ChainReport:
        """Walk the audit chain and name the first event that doesn't hold."""
        return audit.verify(self.session, key)

    def lost_since(self, anchor: audit_anchor.Anchor) -> str:
        """What the audit log lost or rewrote since this anchor ("" when nothing)."""
        return audit_anchor.check(self.session, anchor)

    def anchor_audit(
        self, path: Path, key: bytes | None, at: datetime
    ) -> audit_anchor.Anchor | None:
        """Verify the audit chain, then anchor its head in `path`; None when it is broken."""
        return audit_anchor.anchor_head(self.session, path, key, at)

    def audit_tail(self, count: int) -> list[AuditEvent]:
        """The newest `count` audit events, oldest first."""
        q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(count)
        return list(reversed(self.session.scalars(q).all()))

    def unmatched(self, source: str | None, limit: int) -> list[UnmatchedRecord]:
        """Records no person or metric matched, by source, newest first."""
        u = UnmatchedRecord
        query = select(u).order_by(u.source, u.seen_at.desc(), u.record_id).limit(limit)
        if source:
            query = query.where(u.source == source)
        return list(self.session.scalars(query))

    def person(self, email: str) -> Person | None:
        """The person with this e-mail (case-insensitive), with what names her; or None."""
        return person(self.session, email)

    def personal_rows(self, who: Person) -> list[tuple[str, list[str], list[dict[str, Any]]]]:
        """(table, its columns, her rows) for every table that can hold a row about her."""
        return [
            (t.name, [c.name for c in t.columns], rows) for t, rows in collect(self.session, who)
        ]

    def roster(self) -> list[dict[str, Any]]:
        """Everyone, by e-mail: name, title, team, manager's e-mail, branch, role, scorecard."""
        boss = aliased(Employee)
        rows = self.session.execute(
            select(
                Employee.email,
                Employee.name,
                Employee.title,
                Team.name.label("team"),
                boss.email.label("manager"),
                Branch.name.label("branch"),
                Employee.role,
                Employee.scorecard,
                Employee.active,
            )
            .outerjoin(Team, Team.id == Employee.team_id)
            .outerjoin(boss, boss.id == Employee.manager_id)
            .join(Branch, Branch.id == Employee.branch_id)
            .order_by(Employee.email)
        )
        return [dict(r) for r in rows.mappings()]

    def goal_rows(self, period_key: str) -> list[dict[str, Any]]:
        """A period's goals in id order, with their parent's key, team and owner's e-mail."""
        owner, parent = aliased(Employee), aliased(Goal)
        rows = self.session.execute(
            select(
                Goal.id,
                Goal.level,
                Goal.parent_id,
                parent.key.label("parent_key"),
                Goal.key,
                Goal.title,
                Team.name.label("team"),
                owner.email.label("owner"),
                Goal.metric,
                Goal.target,
                Goal.proposed_target,
                Goal.unit,
                Goal.status,
                Goal.progress,
            )
            .join(Period, Period.id == Goal.period_id)
            .outerjoin(parent, parent.id == Goal.parent_id)
            .outerjoin(Team, Team.id == Goal.team_id)
            .outerjoin(owner, owner.id == Goal.employee_id)
            .where(Period.key == period_key)
            .order_by(Goal.id)
        )
        return [dict(r) for r in rows.mappings()]

    def scored(self, period_key: str) -> list[Scored]:
        """(employee id, e-mail, period id) of everyone with a score in the period, by e-mail."""
        rows = self.session.execute(
            select(Employee.id, Employee.email, Period.id)
            .join(Score, Score.employee_id == Employee.id)
            .join(Period, Period.id == Score.period_id)
            .where(Period.key == period_key)
            .order_by(Employee.email)
        )
        return [Scored(*r) for r in rows]

    def periods(self) -> list[Period]:
        """Every period, oldest first."""
        return list(self.session.scalars(select(Period).order_by(Period.starts_on)))

    def delivered_back_then(self, dedupe_keys: Sequence[str], at: datetime) -> int:
        """Settle these pending notices as sent at `at`: the demo's history (months it closes
        as if long ago) queues no cards for today; how many."""
        done = self.session.execute(
            update(Outbox)
            .where(Outbox.dedupe_key.in_(dedupe_keys), Outbox.status == "pending")
            .values(status="sent", sent_at=at, platform_ref="demo: history")
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0))
