"""Route parsed commands and button presses to their use cases, injecting what each needs."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Refusal, Reply
from handlers.commands import Command, Invalid, parse
from handlers.i18n import ENGLISH, current, speaking
from handlers.permissions import gone
from handlers.press import Press
from handlers.registry import ACTIONS, COMMANDS
from store.uow import UowFactory

log = logging.getLogger(__name__)
Handler = Callable[..., Reply]


class Dispatcher:
    """Built once at start-up with the dependencies; `uow` is a factory called per use."""

    def __init__(self, deps: Mapping[str, Any]) -> None:
        self._deps = dict(deps)
        self._bound: dict[Handler, Callable[[Any, Actor, UowFactory | None], Reply]] = {}

    def with_deps(self, **overrides: Any) -> Dispatcher:
        """A dispatcher like this one with some dependencies replaced (tests, a fake source)."""
        return Dispatcher({**self._deps, **overrides})

    def text(self, actor: Actor, text: str) -> Reply:
        """Parse a command line and run it; malformed input gets its usage."""
        with speaking(actor.locale):
            return self.command(actor, parse(text))

    @staticmethod
    def quick(cmd: Command | Invalid) -> bool:
        """Whether a parsed command is a quick read (help, one's own score) or only its
        usage: work a chat adapter may do where the request arrives, without a thread."""
        if isinstance(cmd, Invalid):
            return True
        entry = COMMANDS.get(type(cmd))
        return entry is not None and entry.quick(cmd)

    def command(
        self, actor: Actor, cmd: Command | Invalid, *, uow: UowFactory | None = None
    ) -> Reply:
        """Run a parsed command; malformed input gets its usage. `uow`: the units of work
        for this call instead of the usual ones (reads on a kept connection). Replies are
        in the actor's language."""
        with speaking(actor.locale):
            return self._command(actor, cmd, uow)

    def _command(self, actor: Actor, cmd: Command | Invalid, uow: UowFactory | None) -> Reply:
        if isinstance(cmd, Invalid) and cmd.typed and current() != ENGLISH:
            cmd = parse(cmd.typed)  # its words were written before the reader was known
        if isinstance(cmd, Invalid):
            return Reply(
                cards=(Card(title=t.INVALID_TITLE, lines=(cmd.problem, cmd.usage)),), ok=False
            )
        entry = COMMANDS.get(type(cmd))
        if entry is None:
            return Reply.say(t.INVALID_TITLE, t.NOT_HERE, ok=False)
        checked = entry.checks_active(cmd)  # in the use case's own read (one's own /score)
        return self._run(entry.handler, cmd, actor, uow, via=f"/{entry.name}", checked=checked)

    def press(self, actor: Actor, press: Press) -> Reply:
        """Run the use case behind a button (or a submitted form), in the actor's language."""
        handler = ACTIONS.get(press.action)
        with speaking(actor.locale):
            if handler is None:
                return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
            return self._run(handler, press, actor, via=press.action)

    def _run(
        self,
        handler: Handler,
        arg: Any,
        actor: Actor,
        uow: UowFactory | None = None,
        *,
        via: str,
        checked: bool = False,
    ) -> Reply:
        """`checked`: the use case reads whether the actor is still active itself (and
        answers a leaver with `gone`), so no separate read is made here."""
        bound = self._bound.get(handler) or self._bind(handler)
        try:
            active = checked or self._still_active(actor, uow)
            reply = bound(arg, actor, uow) if active else gone(arg)
            if reply.refusal is not None:
                self._audit_refusal(reply.refusal, actor, via)
            return reply
        except Exception:  # a bug must not take the bot down; the log has the details
            log.exception("handler %s failed", handler.__name__)
            return Reply.say(t.ERROR_TITLE, t.INTERNAL_ERROR, ok=False)

    def _still_active(self, actor: Actor, uow: UowFactory | None) -> bool:
        """Checked on every request, whatever resolved the actor: a platform's cache of who
        is who, or a console session opened before the person was deactivated."""
        units: UowFactory | None = uow or self._deps.get("uow")
        if units is None:
            return True
        with units().reading() as u:
            return u.org.is_active(actor.employee_id)

    def _audit_refusal(self, refusal: Refusal, actor: Actor, via: str) -> None:
        """The one path every refusal takes into the audit log, in its own unit of work (the
        handler's own, if any, was rolled back with whatever it had begun)."""
        with self._deps["uow"]() as unit:
            unit.audit(
                actor=actor.email,
                action="denied",
                entity="employee",
                entity_id=refusal.target_id if refusal.target_id is not None else "",
                after={"attempted": refusal.action, "why": refusal.why, "via": via},
            )
            unit.commit()

    def _bind(self, handler: Handler) -> Callable[[Any, Actor, UowFactory | None], Reply]:
        params = list(inspect.signature(handler).parameters)[1:]
        missing = [p for p in params if p not in self._deps and p != "actor"]
        if missing:
            raise TypeError(f"{handler.__name__} needs {missing}, not provided at start-up")

        def call(arg: Any, actor: Actor, uow: UowFactory | None) -> Reply:
            kwargs = {
                p: (uow or self._deps[p])() if p == "uow" else self._deps.get(p)
                for p in params
                if p != "actor"
            }
            if "actor" in params:
                kwargs["actor"] = actor
            return handler(arg, **kwargs)

        self._bound[handler] = call
        return call
