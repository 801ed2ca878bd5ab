"""`/rate @who <score> [comment]`, `/rate [period]` (the card), and the card's buttons."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.commands import Rate
from handlers.common import Refused, actor_today, employee_for, period_for
from handlers.press import Press, key_of
from handlers.ratings.card import manager_cards
from handlers.ratings.set import MAX_COMMENT, Given, Rescore, give_rating, refusal
from handlers.scores.compute import ScoringSetup
from store.models import Employee, Period
from store.uow import UnitOfWork


def rate_person(
    cmd: Rate, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup, rescore: Rescore
) -> Reply:
    """Rate someone (their manager), or show the actor's rating card when no one is named."""
    with uow:
        period = period_for(uow, actor, cmd.period)
        if isinstance(period, Refused):
            return period.reply
        if cmd.who is None or cmd.score is None:
            return _card(uow, actor, period, scoring, 1)
        scale = scoring.config.rating_scale
        if cmd.score not in scale.values:
            why = t.RT_OFF_SCALE.format(score=cmd.score, low=scale.low, high=scale.high)
            return _usage(why)
        if len(cmd.comment) > MAX_COMMENT:
            return _usage(t.RT_COMMENT_LONG.format(length=len(cmd.comment), limit=MAX_COMMENT))
        person = employee_for(uow, actor, cmd.who, "rating.set")
        if isinstance(person, Refused):
            return person.reply
        no = refusal(uow, actor, person, period, scoring.config, actor_today(uow, actor))
        if no is not None:
            return no
        given = Given(cmd.score, cmd.comment or None)
        return give_rating(uow, actor, person, period, given, scoring.config, rescore)


def press_rate(
    press: Press, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup, rescore: Rescore
) -> Reply:
    """A number on the rating card: `rt:<period>.<employee>.<score>`."""
    parts = [key_of(p) for p in press.value.split(".")]
    if len(parts) != 3 or None in parts:
        return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
    period_id, person_id, score = (int(p or 0) for p in parts)
    with uow:
        period = uow.get(Period, period_id)
        person = uow.get(Employee, person_id)
        scale = scoring.config.rating_scale
        if period is None or person is None or score not in scale.values:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        no = refusal(uow, actor, person, period, scoring.config, actor_today(uow, actor))
        if no is not None:
            return no
        return give_rating(uow, actor, person, period, Given(score, None), scoring.config, rescore)


def press_page(press: Press, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup) -> Reply:
    """[Rating card] / [More]: a page of the actor's own rating card, `rt:pg:<period>.<page>`."""
    period_id, page = _ids(press.value)
    with uow.reading():
        period = uow.get(Period, period_id) if period_id else None
        if period is None:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        return _card(uow, actor, period, scoring, page)


def _card(uow: UnitOfWork, actor: Actor, period: Period, scoring: ScoringSetup, page: int) -> Reply:
    if period.status == "closed":
        return Reply.say(t.RT_TITLE, t.RT_CLOSED.format(period=period.key), ok=False)
    cards = manager_cards(uow, actor.employee_id, period, scoring.config)
    if not cards:
        return Reply.say(t.RT_TITLE, t.RT_NOBODY.format(period=period.key))
    return Reply(cards=(cards[min(max(page, 1), len(cards)) - 1],))


def _ids(value: str) -> tuple[int | None, int]:
    """`<period>.<page>` (page 1 when absent)."""
    head, _, tail = value.partition(".")
    return key_of(head), key_of(tail) or 1


def _usage(problem: str) -> Reply:
    card = Card(title=t.INVALID_TITLE, lines=(problem, t.USAGE["rate"]))
    return Reply(cards=(card,), ok=False)
