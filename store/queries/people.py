"""Queries of the people use cases (handlers/people/)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update

from store.models import (
    Appeal,
    AuditEvent,
    Branch,
    ChatIdentity,
    Employee,
    Goal,
    KpiAdjustment,
    LinkCode,
    Outbox,
    Period,
    Team,
)
from store.queries.appeals import UNDECIDED
from store.queries.base import Queries


class PeopleQueries(Queries):
    """Named queries for handlers/people/: chat accounts, link codes, the organisation file."""

    def linked_account(self, platform: str, user_id: str) -> tuple[Employee, ChatIdentity] | None:
        """The active employee linked to a platform user id, with that chat account."""
        row = self.session.execute(
            select(Employee, ChatIdentity)
            .join(ChatIdentity, ChatIdentity.employee_id == Employee.id)
            .where(
                ChatIdentity.platform == platform,
                ChatIdentity.platform_user_id == user_id,
                Employee.active,
            )
        ).first()
        return (row[0], row[1]) if row is not None else None

    def chat_accounts(self, employee_id: int) -> list[ChatIdentity]:
        """Every chat account linked to an employee."""
        return list(
            self.session.scalars(
                select(ChatIdentity).where(ChatIdentity.employee_id == employee_id)
            ).all()
        )

    def other_accounts(self, platform: str, employee_id: int, user_id: str) -> list[str]:
        """The employee's other user ids on a platform (all but `user_id`)."""
        return list(
            self.session.scalars(
                select(ChatIdentity.platform_user_id).where(
                    ChatIdentity.platform == platform,
                    ChatIdentity.employee_id == employee_id,
                    ChatIdentity.platform_user_id != user_id,
                )
            ).all()
        )

    def forget_accounts(self, platform: str, user_ids: Collection[str]) -> None:
        """Delete these chat accounts of a platform (one statement)."""
        self.session.execute(
            delete(ChatIdentity)
            .where(ChatIdentity.platform == platform, ChatIdentity.platform_user_id.in_(user_ids))
            .execution_options(synchronize_session=False)
        )

    def claim_link_code(self, code_hash: str, now: datetime) -> int | None:
        """Use up a live code, returning its employee id (None: no such code); one UPDATE."""
        return self.session.execute(
            update(LinkCode)
            .where(LinkCode.code_hash == code_hash, LinkCode.used_at.is_(None))
            .where(LinkCode.expires_at > now)
            .values(used_at=now)
            .returning(LinkCode.employee_id)
            .execution_options(synchronize_session=False)
        ).scalar()

    def expire_open_codes(self, employee_id: int, now: datetime) -> None:
        """Make an employee's unused, unexpired link codes expire now."""
        self.session.execute(
            update(LinkCode)
            .where(LinkCode.employee_id == employee_id, LinkCode.used_at.is_(None))
            .where(LinkCode.expires_at > now)
            .values(expires_at=now)
            .execution_options(synchronize_session=False)
        )

    def recent_events(self, actor: str, action: str, since: datetime, limit: int) -> list[datetime]:
        """When `actor` did `action` after `since` (audit log), newest first, at most `limit`."""
        return list(
            self.session.scalars(
                select(AuditEvent.at)
                .where(
                    AuditEvent.actor == actor, AuditEvent.action == action, AuditEvent.at > since
                )
                .order_by(AuditEvent.at.desc())
                .limit(limit)
            ).all()
        )

    def branches_by_name(self) -> dict[str, Branch]:
        """Every branch, by name."""
        return {b.name: b for b in self.session.scalars(select(Branch))}

    def teams_by_name(self) -> dict[str, Team]:
        """Every team, by name."""
        return {t.name: t for t in self.session.scalars(select(Team))}

    def employees_by_email(self) -> dict[str, Employee]:
        """Everyone ever loaded (active or not), by e-mail."""
        return {e.email: e for e in self.session.scalars(select(Employee))}

    def appeals_waiting_on(self, employee_id: int) -> list[Appeal]:
        """The undecided appeals this person handles, in id order."""
        return self._undecided(Appeal.handler_id == employee_id)

    def appeals_filed_by(self, employee_id: int) -> list[Appeal]:
        """This person's own undecided appeals, in id order."""
        return self._undecided(Appeal.employee_id == employee_id)

    def _undecided(self, whose: ColumnElement[bool]) -> list[Appeal]:
        """Undecided appeals `whose` picks, in id order, locked for the hand-over."""
        stmt = select(Appeal).where(whose, Appeal.status.in_(UNDECIDED)).order_by(Appeal.id)
        return list(self.session.scalars(stmt.with_for_update()))

    def teams_managed_by(self, employee_id: int) -> list[Team]:
        """The teams this person manages, by name."""
        return list(
            self.session.scalars(
                select(Team).where(Team.manager_id == employee_id).order_by(Team.name)
            )
        )

    def cards_sent_to(self, employee_id: int, kind: str) -> list[tuple[str, dict[str, Any]]]:
        """(dedupe key, card) of every outbox row of this kind addressed to the person."""
        rows = self.session.execute(
            select(Outbox.dedupe_key, Outbox.payload)
            .where(Outbox.recipient_id == employee_id, Outbox.kind == kind)
            .order_by(Outbox.id)
        )
        return [(key, payload) for key, payload in rows]

    def kpi_pending(self, adjustment_id: int) -> Employee | None:
        """The person whose target a still-pending change request is about; None if decided."""
        return self.session.scalar(
            select(Employee)
            .join(Goal, Goal.employee_id == Employee.id)
            .join(KpiAdjustment, KpiAdjustment.goal_id == Goal.id)
            .where(KpiAdjustment.id == adjustment_id, KpiAdjustment.status == "pending")
        )

    def team_goal_waiting(self, goal_id: int) -> bool:
        """Whether a team goal of an open period, or one of its children, waits for the
        team manager's confirmation."""
        pending = (Goal.status == "proposed") | Goal.proposed_target.is_not(None)
        found = self.session.scalar(
            select(Goal.id)
            .join(Period, Period.id == Goal.period_id)
            .where(
                Period.status == "open",
                (Goal.id == goal_id) | (Goal.parent_id == goal_id),
                pending,
            )
            .limit(1)
        )
        return found is not None

    def emails_linked_on(self, platform: str) -> set[str]:
        """E-mails of everyone with a chat account on `platform` (active or not)."""
        return set(
            self.session.scalars(
                select(Employee.email)
                .join(ChatIdentity, ChatIdentity.employee_id == Employee.id)
                .where(ChatIdentity.platform == platform)
            )
        )

    def linked_accounts(self, platform: str) -> list[tuple[str, str, str]]:
        """(user id, e-mail, name) of every active person with an account on `platform`."""
        rows = self.session.execute(
            select(ChatIdentity.platform_user_id, Employee.email, Employee.name)
            .join(Employee, Employee.id == ChatIdentity.employee_id)
            .where(ChatIdentity.platform == platform, Employee.active)
            .order_by(ChatIdentity.platform_user_id)
        )
        return [(uid, email, name) for uid, email, name in rows]

    def recognition_channels(self) -> list[str]:
        """Every recognition channel a branch or team names (each once, sorted)."""
        found = set(self.session.scalars(select(Branch.recognition_channel)))
        found |= set(self.session.scalars(select(Team.recognition_channel)))
        return sorted(c for c in found if c)
