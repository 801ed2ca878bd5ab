"""How to reach people: e-mail, name and chat identities, fetched for a batch at once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Branch, ChatIdentity, Employee


@dataclass
class Reach:
    """One person's addresses: platform -> user id, and platform -> private chat id."""

    employee_id: int
    email: str
    name: str
    branch_id: int
    active: bool
    unreachable_since: datetime | None
    identities: dict[str, str] = field(default_factory=dict)
    dm_channels: dict[str, str] = field(default_factory=dict)
    # The language to write in (as uow.org.locale_of decides it); None: English.
    locale: str | None = None
    mobile: str | None = None  # E.164, from the org file


def reach(session: Session, employee_ids: Collection[int]) -> dict[int, Reach]:
    """Addresses and languages of these employees (three queries, whatever the batch)."""
    if not employee_ids:
        return {}
    ids = sorted(set(employee_ids))
    rows = list(session.scalars(select(Employee).where(Employee.id.in_(ids))))
    people = {
        e.id: Reach(
            e.id,
            e.email,
            e.name,
            e.branch_id,
            e.active,
            e.unreachable_since,
            locale=e.locale,
            mobile=e.mobile,
        )
        for e in rows
    }
    idents = session.execute(
        select(
            ChatIdentity.employee_id,
            ChatIdentity.platform,
            ChatIdentity.platform_user_id,
            ChatIdentity.dm_channel,
            ChatIdentity.locale,
        )
        .where(ChatIdentity.employee_id.in_(ids))
        .order_by(ChatIdentity.linked_at, ChatIdentity.id)
    )
    said: dict[int, str] = {}  # what the platforms say, the newest link last
    for emp_id, platform, user_id, dm, locale in idents:
        person = people.get(emp_id)
        if person is not None:  # the latest link of a platform wins
            person.identities[platform] = user_id
            if dm:
                person.dm_channels[platform] = dm
            if locale:
                said[emp_id] = locale
    branches = {e.branch_id for e in rows}
    found = session.execute(select(Branch.id, Branch.locale).where(Branch.id.in_(branches)))
    branch_locale = {branch_id: locale for branch_id, locale in found}
    for person in people.values():
        person.locale = (
            person.locale or said.get(person.employee_id) or branch_locale.get(person.branch_id)
        )
    return people
