"""The console platform: type commands as any employee, see cards and others' notices."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from bot import strings as bs
from bot.console import texts as st
from bot.console.parse import ConsoleError, parse_line
from bot.console.render import render
from handlers.actor import Actor
from handlers.cards import Reply
from handlers.dispatch import Dispatcher
from handlers.i18n import normalize, speaking
from handlers.identity import actor_by_email
from handlers.press import Press
from handlers.registry import ACTIONS
from said import Said
from store.uow import UnitOfWork


class UnknownUser(LookupError):
    """No active employee has this e-mail."""


class ConsoleSession:
    """One person at the console; `handle` runs a line and returns what they'd see."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        uow: Callable[[], UnitOfWork],
        email: str,
        locale: str | None = None,
    ) -> None:
        """`locale`: speak this language to the person instead of their own (`zh-CN`)."""
        self._dispatcher, self._uow = dispatcher, uow
        with uow() as u:
            actor = actor_by_email(u, email, "console")
        if actor is None:
            raise UnknownUser(Said(bs.CONSOLE_UNKNOWN_USER, email=email))
        if locale:
            actor = replace(actor, locale=normalize(locale))
        self.actor: Actor = actor

    def handle(self, line: str) -> Reply:
        """One input line to a Reply, in the person's language."""
        with speaking(self.actor.locale):
            return self._handle(line)

    def prompt_help(self) -> str:
        """Who you are and how to type, in your language."""
        a = self.actor
        with speaking(a.locale):
            return st.YOU_ARE.format(name=a.name, email=a.email, role=a.role, help=st.PROMPT_HELP)

    def _handle(self, line: str) -> Reply:
        parsed = parse_line(line)
        if isinstance(parsed, ConsoleError):
            return Reply.say(st.TITLE, parsed.problem, ok=False)
        if isinstance(parsed, str):
            return self._dispatcher.text(self.actor, parsed)
        if not parsed.value and parsed.action not in ACTIONS:
            # `press ap:acc:42`, the callback as a card shows it, means `press ap:acc 42`.
            action, _, value = parsed.action.rpartition(":")
            parsed = Press(action, value, parsed.form)
        return self._dispatcher.press(self.actor, parsed)

    def as_text(self, reply: Reply) -> str:
        """Cards, then each notice with its recipient."""
        parts = [render(c) for c in reply.cards]
        emails = self._emails(n.recipient_id for n in reply.notices)
        with speaking(self.actor.locale):
            for n in reply.notices:
                to = emails.get(n.recipient_id or -1) or n.channel or "?"
                parts.append(st.NOTICE_TO.format(to=to) + "\n" + _indent(render(n.card)))
        return "\n\n".join(parts)

    def as_json(self, line: str, reply: Reply) -> dict[str, Any]:
        """The neutral cards and notices of one reply, for scripts."""
        emails = self._emails(n.recipient_id for n in reply.notices)
        return {
            "input": line,
            "ok": reply.ok,
            "cards": [c.to_dict(image_data=False) for c in reply.cards],
            "notices": [
                {
                    "to": emails.get(n.recipient_id or -1),
                    "channel": n.channel,
                    "dedupe_key": n.dedupe_key,
                    "card": n.card.to_dict(image_data=False),
                }
                for n in reply.notices
            ],
        }

    def _emails(self, ids: Iterable[int | None]) -> dict[int, str]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        with self._uow() as u:
            return {i: e.email for i, e in u.org.employees_by_id(wanted).items()}


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
