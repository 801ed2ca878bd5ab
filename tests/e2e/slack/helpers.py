"""Shared steps of the Slack flow tests: deliver the outbox, find posted cards, press them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.outbox_dispatcher import OutboxDispatcher
from bot.slack.client import make_client
from bot.slack.deliver import SlackDeliverer
from tests.e2e.slack.fake_slack import TOKEN, FakeSlack


def deliver(demo, fake: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    """Run the outbox dispatcher once, through Slack."""
    deliverer = SlackDeliverer(make_client(TOKEN, fake.api_url), demo.uow)
    asyncio.run(OutboxDispatcher(demo.uow, [deliverer]).run_once(budget=30))


def posted_to(fake: FakeSlack, channel: str, title: str) -> dict[str, Any]:
    """The message posted to `channel` whose fallback text starts with `title`."""
    for (ch, ts), msg in fake.messages.items():
        if ch == channel and msg["text"].startswith(title):
            return {"ts": ts, **msg}
    raise AssertionError(f"nothing titled {title!r} posted to {channel}: {fake.messages}")


def button(blocks: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    """The first button whose action_id starts with `prefix`."""
    return next(
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith(prefix)
    )


def view_of(call: dict[str, Any]) -> dict[str, Any]:
    return json.loads(call["view"]) if isinstance(call["view"], str) else call["view"]
