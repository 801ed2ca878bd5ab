"""In-memory fake of store/queries/org.py."""

from __future__ import annotations

from collections.abc import Collection

from store.models import Branch, ChatIdentity, Employee, Period
from store.queries.org import ActorRow, OrgQueries
from tests.fakes.queries.base import FakeQueries


class FakeOrgQueries(FakeQueries, OrgQueries):
    """Answers the kernel's queries from the fake unit of work's rows."""

    def _actor_row(self, e: Employee | None) -> ActorRow | None:
        if e is None or not e.active:
            return None
        branch = self.uow.get(Branch, e.branch_id)
        tz = branch.timezone if branch else None
        return (e.id, e.email, e.name, e.role, e.branch_id, tz, self.locale_of(e.id))

    def locale_of(self, employee_id: int) -> str | None:
        e = self.uow.get(Employee, employee_id)
        if e is None:
            return None
        said = [i for i in self.all(ChatIdentity) if i.employee_id == e.id and i.locale]
        branch = self.uow.get(Branch, e.branch_id)
        newest = max(said, key=lambda i: (i.linked_at, i.id)).locale if said else None
        return e.locale or newest or (branch.locale if branch else None)

    def actor_row_by_email(self, email: str) -> ActorRow | None:
        found = [e for e in self.all(Employee) if e.email.lower() == email and e.active]
        return self._actor_row(found[0] if found else None)

    def actor_row_by_identity(self, platform: str, user_id: str) -> ActorRow | None:
        return self._actor_row(self.employee_by_chat(platform, user_id))

    def is_active(self, employee_id: int) -> bool:
        e = self.uow.get(Employee, employee_id)
        return e is not None and e.active

    def identity(self, platform: str, user_id: str) -> ChatIdentity | None:
        return next(
            (
                i
                for i in self.all(ChatIdentity)
                if i.platform == platform and i.platform_user_id == user_id
            ),
            None,
        )

    def employee_by_email(self, email: str) -> Employee | None:
        return next((e for e in self.all(Employee) if e.email.lower() == email.lower()), None)

    def employee_by_chat(self, platform: str, user_id: str) -> Employee | None:
        ident = self.identity(platform, user_id)
        return self.uow.get(Employee, ident.employee_id) if ident else None

    def employee_ids_by_username(self, username: str) -> set[int]:
        return {
            i.employee_id
            for i in self.all(ChatIdentity)
            if (i.username or "").lower() == username.lower()
        }

    def employees_by_local_part(self, name: str) -> list[Employee]:
        return [e for e in self.all(Employee) if e.email.lower().startswith(f"{name.lower()}@")]

    def branch_timezone(self, branch_id: int) -> str | None:
        branch = self.uow.get(Branch, branch_id)
        return branch.timezone if branch else None

    def branch_is_hq(self, branch_id: int) -> bool:
        branch = self.uow.get(Branch, branch_id)
        return bool(branch and branch.is_hq)

    def company_locale(self) -> str | None:
        hq = sorted((b for b in self.all(Branch) if b.is_hq), key=lambda b: b.id)
        return hq[0].locale if hq else None

    def period_by_key(self, key: str) -> Period | None:
        return next((p for p in self.all(Period) if p.key == key), None)

    def manager_id_of(self, employee_id: int) -> int | None:
        e = self.uow.get(Employee, employee_id)
        return e.manager_id if e else None

    def approvers(self, person: Employee, exclude: Collection[int]) -> list[Employee]:
        hq = {b.id for b in self.all(Branch) if b.is_hq}
        pool = [
            e
            for e in self.all(Employee)
            if e.active and e.id != person.id and e.id not in set(exclude)
        ]
        for found in (
            [e for e in pool if e.role == "hr" and e.branch_id == person.branch_id],
            [e for e in pool if e.role == "hr" and e.branch_id in hq],
            [e for e in pool if e.role == "admin"],
        ):
            if found:
                return sorted(found, key=lambda e: e.id)
        return []

    def active_ids(self, branch_id: int | None = None) -> list[int]:
        return [
            e.id
            for e in self.all(Employee)
            if e.active and (branch_id is None or e.branch_id == branch_id)
        ]

    def chain_ids(self, manager_id: int) -> list[int]:
        below: list[int] = []
        frontier = [manager_id]
        while frontier:
            frontier = [e.id for e in self.all(Employee) if e.manager_id in frontier]
            below += frontier
        return [i for i in below if (e := self.uow.get(Employee, i)) and e.active]

    def employees_by_id(self, ids: Collection[int]) -> dict[int, Employee]:
        return {e.id: e for e in self.all(Employee) if e.id in set(ids)}

    def name_of(self, employee_id: int | None) -> str | None:
        e = self.uow.get(Employee, employee_id)
        return e.name if e else None

    def email_of(self, employee_id: int) -> str | None:
        e = self.uow.get(Employee, employee_id)
        return e.email if e else None

    def direct_reports(self, manager_id: int) -> list[Employee]:
        return sorted(
            (e for e in self.all(Employee) if e.manager_id == manager_id and e.active),
            key=lambda e: e.name,
        )

    def branches(self) -> list[Branch]:
        return sorted(self.all(Branch), key=lambda b: b.id)

    def branch_calendars(self) -> list[tuple[int, str, str]]:
        return [(b.id, b.name, b.timezone) for b in self.all(Branch)]

    def open_periods(self) -> list[Period]:
        return [p for p in self.all(Period) if p.status == "open"]
