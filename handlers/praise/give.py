"""`/praise @who <text> [#tags]`: praise with the person's contribution data attached (R6)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.commands import Praise as PraiseCmd
from handlers.common import local_today
from handlers.identity import find_person
from handlers.periods import resolve
from handlers.permissions import can_praise, can_view, deny
from handlers.praise.contribution import contribution_for, contribution_lines
from handlers.praise.notices import queue_praise
from handlers.scores.compute import ScoringSetup
from store.models import Employee, Period, Praise
from store.uow import UnitOfWork

_TAGS = re.compile(r"(?<!\S)#\w+")


@dataclass(frozen=True)
class PraisePolicy:
    """Who may praise, how often per day, and the recognition channel of last resort."""

    by_anyone: bool = False
    daily_allowance: int = 5
    channel: str | None = None


def give_praise(
    cmd: PraiseCmd,
    *,
    uow: UnitOfWork,
    actor: Actor,
    praise_policy: PraisePolicy,
    scoring: ScoringSetup | None = None,
) -> Reply:
    """Store the praise, tell the person and post it to the recognition channel; the data
    attached is only what the giver may see, the post only public figures at target."""
    with uow:
        target = find_person(uow, cmd.who)
        if target is None or not target.active:
            who = cmd.who.value
            return Reply.say(t.UNKNOWN_PERSON_TITLE, t.UNKNOWN_PERSON.format(who=who), ok=False)
        if target.id == actor.employee_id:
            return deny("praise.give", target, t.PRAISE_SELF)
        if not can_praise(uow, actor, target, by_anyone=praise_policy.by_anyone):
            return deny("praise.give", target, t.PRAISE_NOT_YOURS.format(name=target.name))
        if not any(c.isalnum() for c in _TAGS.sub("", cmd.text)):
            return Reply.say(t.PRAISE_TITLE, t.PRAISE_EMPTY, ok=False)
        # Count and insert under one lock, so parallel requests can't overspend the allowance.
        uow.praise.lock_giver(actor.employee_id)
        if given_today(uow, actor) >= praise_policy.daily_allowance:
            why = t.PRAISE_ALLOWANCE.format(n=praise_policy.daily_allowance)
            return deny("praise.give", target, why)
        period = _current_period(uow, target)
        row = Praise(
            giver_id=actor.employee_id,
            receiver_id=target.id,
            period_id=period.id if period else None,
            text=cmd.text,
            tags=list(cmd.tags),
            contribution=contribution_for(
                uow,
                target.id,
                period,
                cmd.text,
                visible=can_view(uow, actor, target, "figures"),
                public=_public_metrics(scoring),
            ),
            at=uow.clock(),
        )
        uow.add(row)
        uow.flush()
        notices = queue_praise(uow, row, actor, target, praise_policy.channel)
        # Audited last: on PostgreSQL the audit chain is one lock, held from here to commit.
        uow.audit_row(
            row,
            actor.email,
            "praise.give",
            after={"to": target.email, "tags": row.tags, "period": period.key if period else None},
        )
        uow.commit()
        channel = next((n.channel for n in notices if n.channel), None)
        lines: tuple[str, ...] = (t.PRAISE_SENT.format(name=target.name),)
        lines += (t.PRAISE_POSTED.format(channel=channel),) if channel else ()
        lines += contribution_lines(row.contribution)
        return Reply(cards=(Card(title=t.PRAISE_TITLE, lines=lines),), notices=tuple(notices))


def given_today(uow: UnitOfWork, actor: Actor) -> int:
    """How many praises the actor has given since midnight in their branch's time zone."""
    name = uow.org.branch_timezone(actor.branch_id)
    tz = ZoneInfo(name or "UTC")
    today = uow.clock().astimezone(tz).date()
    # Local midnights, converted separately: a DST day is 23 or 25 hours long.
    start, end = (
        datetime.combine(day, time(0), tz).astimezone(UTC) for day in (today, today + timedelta(1))
    )
    return uow.praise.given_between(actor.employee_id, start, end)


def praise_counts(
    uow: UnitOfWork, period: Period | int, employee_ids: Iterable[int]
) -> dict[int, int]:
    """Praise received in a period per person (everyone asked for is in the answer, 0 or more)."""
    ids = list(dict.fromkeys(employee_ids))
    period_id = period if isinstance(period, int) else period.id
    counts = dict.fromkeys(ids, 0)
    if ids:
        counts.update(uow.praise.received_counts(period_id, ids))
    return counts


def _public_metrics(scoring: ScoringSetup | None) -> Callable[[str, str], bool]:
    """Whether a scorecard's metric is marked `public: true` (none without a configuration)."""
    cards = scoring.config.scorecards if scoring else {}

    def public(scorecard: str, metric: str) -> bool:
        card = cards.get(scorecard)
        return card is not None and metric in card.public_metrics()

    return public


def _current_period(uow: UnitOfWork, person: Employee) -> Period | None:
    span = resolve(None, local_today(uow, person.branch_id, uow.clock()))
    return uow.org.period_by_key(span.key)
