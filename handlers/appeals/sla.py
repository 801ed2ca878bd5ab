"""Appeal SLA, run by the scheduler: remind the handler, then escalate to HR (business days)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers import strings as t
from handlers.appeals.common import Opened, card_for
from handlers.appeals.correction import HasSpecs
from handlers.appeals.escalate import already_with_hr, escalate
from handlers.cards import Card
from handlers.digest import merge
from handlers.format import plural
from handlers.notify import notify, speaking_to
from scoring.pace import business_days
from store.uow import Clock, UnitOfWork

ACTOR = "scheduler"


@dataclass(frozen=True)
class SlaReport:
    """What one check did: appeals looked at, reminded, escalated, and due but with no HR."""

    checked: int = 0
    reminded: tuple[int, ...] = field(default=())
    escalated: tuple[int, ...] = field(default=())
    stuck: tuple[int, ...] = field(default=())


def waited(filed: datetime, now: datetime, tz: str) -> int:
    """Business days (Mon-Fri) since the filing day, in the branch's time zone."""
    zone = ZoneInfo(tz)
    filed_on: date = filed.astimezone(zone).date()
    return business_days(filed_on + timedelta(days=1), now.astimezone(zone).date())


def check_appeal_slas(
    *,
    uow: UnitOfWork | Callable[[], UnitOfWork],
    clock: Clock,
    remind_after_days: int = 2,
    escalate_after_days: int = 5,
    scoring: HasSpecs | None = None,
) -> SlaReport:
    """Remind once after `remind_after_days`, escalate once after `escalate_after_days`.

    Only appeals waiting on their handler count ("open"; not those waiting for the
    employee's answer). `uow` may be a unit of work or the factory of one; `scoring`
    (the metric definitions) lets HR's card list the right source records.
    """
    u = uow() if callable(uow) else uow
    reminded, escalated, stuck = [], [], []
    for_hr: list[tuple[int, int, Card]] = []
    with u:
        now = clock()
        # Row-locked: a second scheduler skips the rows this one is working on.
        rows = u.appeals.waiting_on_handlers()
        for a, person, period, tz in rows:
            days, o = waited(a.created_at, now, tz), Opened(a, person, period)
            if days >= escalate_after_days and a.escalated_at is None and not already_with_hr(u, o):
                exclude = {a.handler_id} if a.handler_id else set()
                if escalate(u, o, scoring, by=ACTOR, exclude=exclude, for_hr=for_hr) is None:
                    stuck.append(a.id)
                    continue
                a.reminded_at = a.reminded_at or now  # the escalation supersedes a reminder
                escalated.append(a.id)
            elif days >= remind_after_days and a.reminded_at is None and a.handler_id:
                _remind(u, o, scoring, days)
                reminded.append(a.id)
        _hr_digests(u, for_hr)
        u.commit()
    return SlaReport(len(rows), tuple(reminded), tuple(escalated), tuple(stuck))


def _hr_digests(uow: UnitOfWork, for_hr: list[tuple[int, int, Card]]) -> None:
    """One card per HR person for this run's escalations (one appeal: its own card)."""
    by_hr: dict[int, list[tuple[int, Card]]] = defaultdict(list)
    for hr_id, appeal_id, card in for_hr:
        by_hr[hr_id].append((appeal_id, card))
    for hr_id, items in by_hr.items():
        ids = sorted(i for i, _ in items)
        digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
        key = f"appeal:{ids[0]}:escalate" if len(ids) == 1 else f"appeals:{hr_id}:{digest}"
        with speaking_to(uow, hr_id):
            title = t.AP_ESCALATED_DIGEST.format(n=len(ids))
            card = merge(title, [c for _, c in sorted(items, key=lambda x: x[0])])
        notify(uow, kind="appeal", dedupe_key=key, card=card, recipient_id=hr_id)


def _remind(uow: UnitOfWork, o: Opened, scoring: HasSpecs | None, days: int) -> None:
    a = o.appeal
    a.reminded_at = uow.clock()
    uow.audit_row(
        a, ACTOR, "appeal.remind", after={"handler_id": a.handler_id, "business_days": days}
    )
    with speaking_to(uow, a.handler_id):
        heading = t.AP_REMINDER_TITLE.format(
            id=a.id, name=o.person.name, days=plural(days, t.BUSINESS_DAYS)
        )
        card = card_for(uow, scoring, o, heading)
    key = f"appeal:{a.id}:remind"
    notify(uow, kind="appeal", dedupe_key=key, card=card, recipient_id=a.handler_id)
