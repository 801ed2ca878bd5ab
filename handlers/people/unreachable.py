"""A person the platforms can't reach any more: flag them once and tell their branch's HR."""

from __future__ import annotations

from handlers import strings as t
from handlers.cards import Card
from handlers.i18n import say
from handlers.notify import notify
from handlers.permissions import hr_for
from store.models import Employee
from store.uow import UnitOfWork


def report_unreachable(
    uow: UnitOfWork, employee_id: int, *, platform: str, reason: str, missed_title: str
) -> int:
    """Mark the employee unreachable and queue one notice per HR person of their branch
    (HR at headquarters, then admins, when the branch has none); returns notices queued.
    Does nothing if they are already flagged: one notice per episode."""
    person = uow.get(Employee, employee_id)
    if person is None or person.unreachable_since is not None:
        return 0
    person.unreachable_since = uow.clock()
    uow.audit_row(
        person,
        "dispatcher",
        "employee.unreachable",
        after={"platform": platform, "reason": str(reason)},
    )

    def card() -> Card:  # in each HR person's language
        return Card(
            title=t.UNREACHABLE_TITLE.format(name=person.name),
            lines=(
                t.UNREACHABLE_LINE.format(
                    name=person.name, email=person.email, platform=platform, reason=say(reason)
                ),
                t.UNREACHABLE_MISSED.format(title=missed_title),
                t.UNREACHABLE_NEXT,
            ),
        )

    since = person.unreachable_since.strftime("%Y%m%dT%H%M%S")
    queued = 0
    for hr_id in (hr.id for hr in hr_for(uow, person)):
        notice = notify(
            uow,
            kind="unreachable",
            dedupe_key=f"unreachable:{person.id}:{since}:{hr_id}",
            card=card,
            recipient_id=hr_id,
        )
        queued += notice is not None
    return queued
