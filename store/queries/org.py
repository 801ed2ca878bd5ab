"""Queries of the handlers kernel: people, chat identities, branches, periods, who covers whom."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import bindparam, func, select

from store.models import Branch, ChatIdentity, Employee, Period
from store.queries.base import Queries

# Resolving the actor runs before every chat command, so it is one prebuilt Core select of
# the columns an Actor needs, the branch's time zone joined in (no ORM entity to load, no
# statement to build and hash per call).
_emp, _branch, _ident = Employee.__table__.c, Branch.__table__.c, ChatIdentity.__table__.c
# A person's language: the org file's, else what their chat platform last said (the newest
# linked account that says one), else their branch's; None: English.
_known = ChatIdentity.__table__.alias("known")
_PLATFORM_LOCALE = (
    select(_known.c.locale)
    .where(_known.c.employee_id == _emp.id, _known.c.locale.is_not(None))
    .order_by(_known.c.linked_at.desc(), _known.c.id.desc())
    .limit(1)
    .correlate(Employee.__table__)
    .scalar_subquery()
)
_LOCALE = func.coalesce(_emp.locale, _PLATFORM_LOCALE, _branch.locale)
_WITH_BRANCH = Employee.__table__.outerjoin(Branch.__table__, _branch.id == _emp.branch_id)
_ACTOR = select(
    _emp.id, _emp.email, _emp.name, _emp.role, _emp.branch_id, _branch.timezone, _LOCALE
).select_from(_WITH_BRANCH)
_BY_EMAIL = _ACTOR.where(func.lower(_emp.email) == bindparam("email"), _emp.active)
_BY_MOBILE = _ACTOR.where(_emp.mobile == bindparam("mobile"), _emp.active)
_BY_IDENTITY = _ACTOR.join(ChatIdentity.__table__, _ident.employee_id == _emp.id).where(
    _ident.platform == bindparam("platform"),
    _ident.platform_user_id == bindparam("user"),
    _emp.active,
)

_ACTIVE = select(_emp.active).where(_emp.id == bindparam("id"))
_LOCALE_OF = select(_LOCALE).select_from(_WITH_BRANCH).where(_emp.id == bindparam("id"))

ActorRow = tuple[int, str, str, str, int, str | None, str | None]
"""employee id, e-mail, name, role, branch id, the branch's time zone, the person's locale."""


def _row(found: Sequence[Any] | None) -> ActorRow | None:
    return tuple(found) if found else None


class OrgQueries(Queries):
    """Who is who: employees, their chat accounts, branches and periods."""

    def actor_row_by_email(self, email: str) -> ActorRow | None:
        """The active employee with this (lower-case) e-mail, as the columns of an Actor."""
        return _row(self.session.execute(_BY_EMAIL, {"email": email}).first())

    def actor_row_by_mobile(self, mobile: str) -> ActorRow | None:
        """The active employee with this (E.164) mobile number, as the columns of an Actor."""
        return _row(self.session.execute(_BY_MOBILE, {"mobile": mobile}).first())

    def actor_row_by_identity(self, platform: str, user_id: str) -> ActorRow | None:
        """The active employee linked to a platform user id, as the columns of an Actor."""
        found = self.connection.execute(_BY_IDENTITY, {"platform": platform, "user": user_id})
        return _row(found.first())

    def is_active(self, employee_id: int) -> bool:
        """Whether this employee is still active (checked before every command)."""
        return bool(self.connection.execute(_ACTIVE, {"id": employee_id}).scalar())

    def locale_of(self, employee_id: int) -> str | None:
        """The language to write to this person in (None: English)."""
        return self.connection.execute(_LOCALE_OF, {"id": employee_id}).scalar()

    def identity(self, platform: str, user_id: str) -> ChatIdentity | None:
        """The chat account of a platform user, linked or not."""
        return self.session.scalar(
            select(ChatIdentity).where(
                ChatIdentity.platform == platform, ChatIdentity.platform_user_id == user_id
            )
        )

    def employee_by_email(self, email: str) -> Employee | None:
        """Anyone (active or not) with this e-mail, case-insensitively."""
        return self.session.scalar(
            select(Employee).where(func.lower(Employee.email) == email.lower())
        )

    def employee_by_chat(self, platform: str, user_id: str) -> Employee | None:
        """The employee a platform user id is linked to."""
        return self.session.scalar(
            select(Employee)
            .join(ChatIdentity, ChatIdentity.employee_id == Employee.id)
            .where(ChatIdentity.platform == platform, ChatIdentity.platform_user_id == user_id)
        )

    def employee_ids_by_username(self, username: str) -> set[int]:
        """Everyone with a linked chat account of this user name (any platform)."""
        return set(
            self.session.scalars(
                select(ChatIdentity.employee_id).where(
                    func.lower(ChatIdentity.username) == username.lower()
                )
            )
        )

    def employees_by_local_part(self, name: str) -> list[Employee]:
        """Everyone whose e-mail starts `name@`."""
        return list(
            self.session.scalars(
                select(Employee).where(func.lower(Employee.email).like(f"{name.lower()}@%"))
            )
        )

    def branch_timezone(self, branch_id: int) -> str | None:
        return self.session.scalar(select(Branch.timezone).where(Branch.id == branch_id))

    def branch_is_hq(self, branch_id: int) -> bool:
        return bool(self.session.scalar(select(Branch.is_hq).where(Branch.id == branch_id)))

    def company_locale(self) -> str | None:
        """The headquarters' language (its branch's `locale` in the org file)."""
        hq = select(Branch.locale).where(Branch.is_hq.is_(True)).order_by(Branch.id).limit(1)
        return self.session.scalar(hq)

    def period_by_key(self, key: str) -> Period | None:
        return self.session.scalar(select(Period).where(Period.key == key))

    def manager_id_of(self, employee_id: int) -> int | None:
        return self.session.scalar(select(Employee.manager_id).where(Employee.id == employee_id))

    def approvers(self, person: Employee, exclude: Collection[int]) -> list[Employee]:
        """HR of the person's branch, else HR at headquarters, else admins (active, never
        the person nor anyone in `exclude`), in id order."""
        base = select(Employee).where(
            Employee.active.is_(True), Employee.id.not_in({person.id, *exclude})
        )
        hq = select(Branch.id).where(Branch.is_hq.is_(True))
        for q in (
            base.where(Employee.role == "hr", Employee.branch_id == person.branch_id),
            base.where(Employee.role == "hr", Employee.branch_id.in_(hq)),
            base.where(Employee.role == "admin"),
        ):
            found = list(self.session.scalars(q.order_by(Employee.id)))
            if found:
                return found
        return []

    def active_ids(self, branch_id: int | None = None) -> list[int]:
        """Every active employee's id (of one branch, if given)."""
        q = select(Employee.id).where(Employee.active.is_(True))
        if branch_id is not None:
            q = q.where(Employee.branch_id == branch_id)
        return list(self.session.scalars(q))

    def chain_ids(self, manager_id: int) -> list[int]:
        """The active people anywhere below a manager (one recursive query)."""
        chain = (
            select(Employee.id)
            .where(Employee.manager_id == manager_id)
            .cte("chain", recursive=True)
        )
        chain = chain.union(select(Employee.id).where(Employee.manager_id == chain.c.id))
        return list(
            self.session.scalars(
                select(Employee.id).where(
                    Employee.id.in_(select(chain.c.id)), Employee.active.is_(True)
                )
            )
        )

    def employees_by_id(self, ids: Collection[int]) -> dict[int, Employee]:
        """These employees (active or not), by id, in one statement."""
        return {e.id: e for e in self.session.scalars(select(Employee).where(Employee.id.in_(ids)))}

    def name_of(self, employee_id: int | None) -> str | None:
        """An employee's name (active or not)."""
        return self.session.scalar(select(Employee.name).where(Employee.id == employee_id))

    def email_of(self, employee_id: int) -> str | None:
        """A person's e-mail (active or not); None when there is no such person."""
        return self.session.scalar(select(Employee.email).where(Employee.id == employee_id))

    def direct_reports(self, manager_id: int) -> list[Employee]:
        """A manager's active direct reports, by name."""
        return list(
            self.session.scalars(
                select(Employee)
                .where(Employee.manager_id == manager_id, Employee.active)
                .order_by(Employee.name)
            ).all()
        )

    def branches(self) -> list[Branch]:
        """Every branch, in id order."""
        return list(self.session.scalars(select(Branch).order_by(Branch.id)))

    def branch_calendars(self) -> list[tuple[int, str, str]]:
        """(id, name, time zone) of every branch: what a branch's working days depend on."""
        rows = self.session.execute(select(Branch.id, Branch.name, Branch.timezone))
        return [(bid, name, tz) for bid, name, tz in rows]

    def open_periods(self) -> list[Period]:
        """Every period not closed yet."""
        return list(self.session.scalars(select(Period).where(Period.status == "open")).all())
