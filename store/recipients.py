"""How to reach people: e-mail, name and chat identities, fetched for a batch at once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ChatIdentity, Employee


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


def reach(session: Session, employee_ids: Collection[int]) -> dict[int, Reach]:
    """Addresses of these employees (two queries, whatever the batch size)."""
    if not employee_ids:
        return {}
    ids = sorted(set(employee_ids))
    people = {
        e.id: Reach(e.id, e.email, e.name, e.branch_id, e.active, e.unreachable_since)
        for e in session.scalars(select(Employee).where(Employee.id.in_(ids)))
    }
    idents = session.execute(
        select(
            ChatIdentity.employee_id,
            ChatIdentity.platform,
            ChatIdentity.platform_user_id,
            ChatIdentity.dm_channel,
        )
        .where(ChatIdentity.employee_id.in_(ids))
        .order_by(ChatIdentity.linked_at)
    )
    for emp_id, platform, user_id, dm in idents:
        person = people.get(emp_id)
        if person is not None:  # the latest link of a platform wins
            person.identities[platform] = user_id
            if dm:
                person.dm_channels[platform] = dm
    return people
