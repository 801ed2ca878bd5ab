"""The command dispatcher, timed and counted per platform for /metrics: the one edge every
platform's commands and button presses pass (handlers/ stays free of metrics)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from bot.metrics import Metrics
from handlers.actor import Actor
from handlers.cards import Reply
from handlers.commands import Command, Invalid
from handlers.dispatch import Dispatcher
from handlers.press import Press
from handlers.registry import ACTIONS, COMMANDS
from store.uow import UowFactory


class MeteredDispatcher(Dispatcher):
    """A Dispatcher that counts each command and press and times its answer."""

    def __init__(self, deps: Mapping[str, Any], metrics: Metrics) -> None:
        super().__init__(deps)
        self.metrics = metrics
        # (platform, name, outcome) -> its timer and counter: labels() takes a lock and
        # builds its key on every call, a few per cent of a /score answer. The labels are
        # few (known names only), so the children are kept.
        self._children: dict[tuple[str, str, str], tuple[Any, Any]] = {}

    def with_deps(self, **overrides: Any) -> Dispatcher:
        return MeteredDispatcher({**self._deps, **overrides}, self.metrics)

    def command(
        self, actor: Actor, cmd: Command | Invalid, *, uow: UowFactory | None = None
    ) -> Reply:
        start = time.perf_counter()
        reply = super().command(actor, cmd, uow=uow)
        entry = None if isinstance(cmd, Invalid) else COMMANDS.get(type(cmd))
        self._count(actor, entry.name if entry else "invalid", reply, start)
        return reply

    def press(self, actor: Actor, press: Press) -> Reply:
        start = time.perf_counter()
        reply = super().press(actor, press)
        # Only known ids become labels: anyone can send a made-up one.
        known = press.action if press.action in ACTIONS else "unknown"
        self._count(actor, f"press:{known}", reply, start)
        return reply

    def _count(self, actor: Actor, name: str, reply: Reply, start: float) -> None:
        key = (actor.platform, name, "ok" if reply.ok else "not_ok")
        children = self._children.get(key)
        if children is None:
            m = self.metrics
            children = (m.command_seconds.labels(key[0]), m.commands.labels(*key))
            self._children[key] = children
        children[0].observe(time.perf_counter() - start)
        children[1].inc()
