"""Give or change a manager rating: who may, for which period, then store, audit, re-score.

Who may rate: anyone above the person in their reporting chain, or an admin
(permissions.can_manage, the rule /kpi follows), never the person. The card and the
reminders go to the direct manager, who is accountable for it; a skip-level manager can
still rate when the direct one is away, and the card then says who did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Button, Card, Reply
from handlers.format import num
from handlers.permissions import can_manage, deny
from handlers.ratings.card import rated_scorecards
from scoring.config import ScoringConfig
from store.models import Employee, ManagerRating, Period
from store.uow import UnitOfWork

Rescore = Callable[[UnitOfWork, int, list[int]], None]
MAX_COMMENT = 1000


@dataclass(frozen=True)
class Given:
    """A rating about to be stored: the score and a comment (None keeps the current one)."""

    score: int
    comment: str | None


def refusal(
    uow: UnitOfWork,
    actor: Actor,
    person: Employee,
    period: Period,
    config: ScoringConfig,
    today: date,
) -> Reply | None:
    """Why the actor may not rate this person for this period (audited when it is a
    permission), or None when they may."""
    if actor.employee_id == person.id:
        return deny("rating.set", person, t.RT_SELF_RATE)
    if not can_manage(uow, actor, person):
        return deny("rating.set", person, t.RT_NOT_MANAGER.format(name=person.name))
    if person.scorecard not in rated_scorecards(config):
        why = t.RT_NO_DIMENSION.format(name=person.name, scorecard=person.scorecard or "none")
        return Reply.say(t.RT_TITLE, why, ok=False)
    if period.status == "closed":
        return Reply.say(t.RT_TITLE, t.RT_CLOSED.format(period=period.key), ok=False)
    if period.starts_on > today:
        return Reply.say(t.RT_TITLE, t.RT_NOT_STARTED.format(period=period.key), ok=False)
    return None


def give_rating(
    uow: UnitOfWork,
    actor: Actor,
    person: Employee,
    period: Period,
    given: Given,
    config: ScoringConfig,
    rescore: Rescore,
) -> Reply:
    """Store (or replace) the rating, audit before and after, re-score and commit."""
    row = uow.ratings.rating(person.id, period.id)
    before = None if row is None else {"rating": row.rating, "rater": row.rater_id}
    total_before = _total(uow, person.id, period.id)
    if row is None:
        row = ManagerRating(employee_id=person.id, period_id=period.id, note="")
        uow.add(row)
    row.rating, row.rater_id, row.at = given.score, actor.employee_id, uow.clock()
    if given.comment is not None:
        row.note = given.comment
    uow.audit_row(
        row,
        actor.email,
        "rating.set",
        before=before,
        after={
            "rating": given.score,
            "rater": actor.employee_id,
            "employee": person.email,
            "period": period.key,
            "comment": bool(row.note),
        },
    )
    rescore(uow, period.id, [person.id])
    total_after = _total(uow, person.id, period.id)
    uow.commit()
    high = config.rating_scale.high
    was = t.RT_WAS.format(rating=before["rating"]) if before else ""
    lines = [
        t.RT_DONE.format(
            name=person.name, rating=given.score, high=high, period=period.key, was=was
        )
    ]
    if total_after is not None:
        lines.append(t.RT_MOVED.format(old=num(total_before, 2), new=num(total_after, 2)))
    card = Card(
        t.RT_DONE_TITLE.format(name=person.name),
        tuple(lines),
        buttons=(Button(t.RT_CARD_BUTTON, "rt:pg", f"{period.id}.1"),),
    )
    return Reply(cards=(card,))


def _total(uow: UnitOfWork, employee_id: int, period_id: int) -> Decimal | None:
    return uow.scores.total(employee_id, period_id)
