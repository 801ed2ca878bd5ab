"""The buttons of a nudge digest: [Snooze Ana 1 week] and [Message Ana] ([Ana's score] is
`sc`); [Snooze 1 week] of one goal stays for cards queued before the digest."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply, chat_button
from handlers.format import day, shown
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
        uow.audit_row(goal, actor.email, "nudge.snooze", after={"snoozed_until": until.isoformat()})
        uow.commit()
        metric = goal.title or goal.metric or ""
        return Reply.say(
            t.SNOOZE_TITLE,
            t.SNOOZED.format(name=person.name, metric=metric, until=day(until)),
        )


def snooze_person(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """No nudges about this person (any of their goals) for a week (their managers only)."""
    with uow:
        person = uow.get(Employee, press.int_value() or 0)
        if person is None:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        if not can_manage(uow, actor, person):
            return deny("nudge.snooze", person, t.SNOOZE_NOT_YOURS.format(name=shown(person)))
        now = uow.clock()
        until = now + SNOOZE
        goals = uow.nudges.person_goal_ids(person.id)
        for goal_id in goals:
            uow.nudges.snooze(goal_id, until, now)
        uow.audit_row(
            person,
            actor.email,
            "nudge.snooze",
            after={"snoozed_until": until.isoformat(), "goals": goals},
        )
        uow.commit()
        return Reply.say(
            t.SNOOZE_TITLE, t.SNOOZED_PERSON.format(name=shown(person), until=day(until))
        )


def message_person(press: Press, *, uow: UnitOfWork, actor: Actor, contacts: Contacts) -> Reply:
    """How to reach the person: e-mail, their linked chat accounts, and a button opening a
    direct chat (each platform's renderer links its own account)."""
    with uow:
        person = uow.get(Employee, press.int_value() or 0)
        if person is None:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        if not can_view(uow, actor, person):
            return deny("nudge.message", person, t.NOT_YOURS.format(name=person.name))
        lines = [t.CONTACT_EMAIL.format(email=person.email)]
        accounts = uow.people.chat_accounts(person.id)
        for ident in accounts:
            if (words := contacts.get(ident.platform)) is not None:
                line = words[0] if ident.username else words[1]
                lines.append(line.format(user=ident.platform_user_id, username=ident.username))
        name = shown(person)
        # Without `action`, a renderer with no account of its platform shows no button.
        button = chat_button(t.CONTACT_OPEN.format(name=name), "", person.id, accounts)
        card = Card(
            title=t.CONTACT_TITLE.format(name=name),
            lines=tuple(lines),
            buttons=(button,) if accounts else (),
        )
        return Reply(cards=(card,))
