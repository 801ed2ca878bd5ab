"""The buttons of a nudge: [Snooze 1 week] and [Message Ana] ([Open score] is `sc`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.permissions import can_manage, can_view, deny
from handlers.press import Press
from store.models import Employee, Goal
from store.uow import UnitOfWork

SNOOZE = timedelta(days=7)
# How each chat platform shows a linked account, by the platform's stored name: the line
# when the account has a username, and when it has none; either may use {user} (the
# platform's user id) and {username}. The adapters' wording, injected at start-up.
Contacts = Mapping[str, tuple[str, str]]


def snooze_nudges(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """No nudges about this goal for a week (the person's managers only; audited)."""
    with uow:
        goal = uow.get(Goal, press.int_value() or 0)
        person = uow.get(Employee, goal.employee_id) if goal and goal.employee_id else None
        if goal is None or person is None:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        if not can_manage(uow, actor, person):
            return deny("nudge.snooze", person, t.SNOOZE_NOT_YOURS.format(name=person.name))
        now = uow.clock()
        until = now + SNOOZE
        uow.nudges.snooze(goal.id, until, now)
        uow.audit(
            actor=actor.email,
            action="nudge.snooze",
            entity="goal",
            entity_id=goal.id,
            after={"snoozed_until": until.isoformat()},
        )
        uow.commit()
        metric = goal.title or goal.metric or ""
        return Reply.say(
            t.SNOOZE_TITLE,
            t.SNOOZED.format(name=person.name, metric=metric, until=f"{until:%Y-%m-%d}"),
        )


def message_person(press: Press, *, uow: UnitOfWork, actor: Actor, contacts: Contacts) -> Reply:
    """How to reach the person: e-mail and their linked chat accounts."""
    with uow:
        person = uow.get(Employee, press.int_value() or 0)
        if person is None:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        if not can_view(uow, actor, person):
            return deny("nudge.message", person, t.NOT_YOURS.format(name=person.name))
        lines = [t.CONTACT_EMAIL.format(email=person.email)]
        for ident in uow.people.chat_accounts(person.id):
            if (shown := contacts.get(ident.platform)) is not None:
                line = shown[0] if ident.username else shown[1]
                lines.append(line.format(user=ident.platform_user_id, username=ident.username))
        card = Card(title=t.CONTACT_TITLE.format(name=person.name), lines=tuple(lines))
        return Reply(cards=(card,))
