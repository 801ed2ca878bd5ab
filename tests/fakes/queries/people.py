"""In-memory fake of store/queries/people.py."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from store.models import (
    Appeal,
    Branch,
    ChatIdentity,
    Employee,
    Goal,
    KpiAdjustment,
    LinkCode,
    Period,
    Team,
)
from store.queries.appeals import UNDECIDED
from store.queries.people import PeopleQueries
from tests.fakes.queries.base import FakeQueries


class FakePeopleQueries(FakeQueries, PeopleQueries):
    """Answers the people queries from the fake unit of work's rows (and its audit list)."""

    def linked_account(self, platform: str, user_id: str) -> tuple[Employee, ChatIdentity] | None:
        for ident in self.all(ChatIdentity):
            if ident.platform == platform and ident.platform_user_id == user_id:
                person = self.uow.get(Employee, ident.employee_id)
                if person is not None and person.active:
                    return person, ident
        return None

    def chat_accounts(self, employee_id: int) -> list[ChatIdentity]:
        return [i for i in self.all(ChatIdentity) if i.employee_id == employee_id]

    def other_accounts(self, platform: str, employee_id: int, user_id: str) -> list[str]:
        return [
            i.platform_user_id
            for i in self.all(ChatIdentity)
            if i.platform == platform
            and i.employee_id == employee_id
            and i.platform_user_id != user_id
        ]

    def forget_accounts(self, platform: str, user_ids: Collection[str]) -> None:
        rows = self.uow.rows[ChatIdentity]
        for key, ident in list(rows.items()):
            if ident.platform == platform and ident.platform_user_id in user_ids:
                del rows[key]

    def claim_link_code(self, code_hash: str, now: datetime) -> int | None:
        for code in self.all(LinkCode):
            if code.code_hash == code_hash and code.used_at is None and code.expires_at > now:
                code.used_at = now
                return code.employee_id
        return None

    def expire_open_codes(self, employee_id: int, now: datetime) -> None:
        for code in self.all(LinkCode):
            if code.employee_id == employee_id and code.used_at is None and code.expires_at > now:
                code.expires_at = now

    def recent_events(self, actor: str, action: str, since: datetime, limit: int) -> list[datetime]:
        times = [
            a["at"]
            for a in self.uow.audits
            if a["actor"] == actor and a["action"] == action and a["at"] > since
        ]
        return sorted(times, reverse=True)[:limit]

    def branches_by_name(self) -> dict[str, Branch]:
        return {b.name: b for b in self.all(Branch)}

    def teams_by_name(self) -> dict[str, Team]:
        return {t.name: t for t in self.all(Team)}

    def employees_by_email(self) -> dict[str, Employee]:
        return {e.email: e for e in self.all(Employee)}

    def appeals_waiting_on(self, employee_id: int) -> list[Appeal]:
        return [
            a for a in self.all(Appeal) if a.handler_id == employee_id and a.status in UNDECIDED
        ]

    def appeals_filed_by(self, employee_id: int) -> list[Appeal]:
        return [
            a for a in self.all(Appeal) if a.employee_id == employee_id and a.status in UNDECIDED
        ]

    def teams_managed_by(self, employee_id: int) -> list[Team]:
        return sorted(
            (t for t in self.all(Team) if t.manager_id == employee_id), key=lambda t: t.name
        )

    def cards_sent_to(self, employee_id: int, kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [
            (r["dedupe_key"], r["payload"])
            for r in self.uow.outbox
            if r["recipient_id"] == employee_id and r["kind"] == kind
        ]

    def kpi_pending(self, adjustment_id: int) -> Employee | None:
        adj = self.uow.get(KpiAdjustment, adjustment_id)
        if adj is None or adj.status != "pending":
            return None
        goal = self.uow.get(Goal, adj.goal_id)
        return self.uow.get(Employee, goal.employee_id) if goal and goal.employee_id else None

    def team_goal_waiting(self, goal_id: int) -> bool:
        for g in self.all(Goal):
            if g.id != goal_id and g.parent_id != goal_id:
                continue
            period = self.uow.get(Period, g.period_id)
            waiting = g.status == "proposed" or g.proposed_target is not None
            if period is not None and period.status == "open" and waiting:
                return True
        return False

    def emails_linked_on(self, platform: str) -> set[str]:
        ids = {i.employee_id for i in self.all(ChatIdentity) if i.platform == platform}
        return {e.email for e in self.all(Employee) if e.id in ids}
