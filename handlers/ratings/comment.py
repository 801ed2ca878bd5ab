"""[Comments…] on the rating card: a form with one comment per person on that page."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.format import plural
from handlers.permissions import can_manage, deny
from handlers.press import Press, key_of
from handlers.ratings.card import comment_form, pages, rated_scorecards
from handlers.ratings.set import MAX_COMMENT
from handlers.scores.compute import ScoringSetup
from store.models import Employee, Period
from store.uow import UnitOfWork


def press_comments(press: Press, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup) -> Reply:
    """`rt:cm:<period>.<page>`: without answers, the form; with them, save what changed."""
    head, _, tail = press.value.partition(".")
    with uow:
        period = uow.get(Period, pid) if (pid := key_of(head)) is not None else None
        if period is None:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        if period.status == "closed":
            return Reply.say(t.RT_TITLE, t.RT_CLOSED.format(period=period.key), ok=False)
        if not press.form:
            config = scoring.config
            rows = uow.ratings.card_rows([actor.employee_id], period.id, rated_scorecards(config))
            cut = pages(rows, config.rating_scale)
            if not cut:
                return Reply.say(t.RT_TITLE, t.RT_NOBODY.format(period=period.key))
            page = min(max(key_of(tail) or 1, 1), len(cut))
            return Reply(cards=(comment_form(cut[page - 1], period, config.rating_scale, page),))
        return _save(uow, actor, period, press)


def _save(uow: UnitOfWork, actor: Actor, period: Period, press: Press) -> Reply:
    errors: list[tuple[str, str]] = []
    changes = []
    for name, raw in press.form.items():
        person = _person(uow, name)
        if person is None:
            continue  # not an input of ours
        if actor.employee_id == person.id or not can_manage(uow, actor, person):
            return deny("rating.comment", person, t.RT_NOT_MANAGER.format(name=person.name))
        text = raw.strip()
        row = uow.ratings.rating(person.id, period.id)
        if row is None:
            if text:
                errors.append((name, t.RT_COMMENT_FIRST.format(name=person.name)))
            continue
        if len(text) > MAX_COMMENT:
            errors.append((name, t.RT_COMMENT_TOO_LONG.format(limit=MAX_COMMENT, length=len(text))))
        elif text != row.note:
            changes.append((row, person, text))
    if errors:
        card = Card(t.INVALID_TITLE, tuple(m for _, m in errors))
        return Reply(cards=(card,), ok=False, errors=tuple(errors))
    for row, person, text in changes:
        uow.audit_row(
            row,
            actor.email,
            "rating.comment",
            before={"comment_chars": len(row.note)},
            after={"comment_chars": len(text), "employee": person.email, "period": period.key},
        )
        row.note = text
    uow.commit()
    saved = t.RT_COMMENTS_SAVED.format(comments=plural(len(changes), t.COMMENTS), period=period.key)
    return Reply.say(t.RT_COMMENTS_SAVED_TITLE, saved)


def _person(uow: UnitOfWork, name: str) -> Employee | None:
    """The person an input `e<id>` is about."""
    pid = key_of(name[1:]) if name.startswith("e") else None
    return uow.get(Employee, pid) if pid is not None else None
