"""The port between the outbox dispatcher and each chat platform's delivery adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from handlers.cards import Card


@dataclass(frozen=True)
class Target:
    """Where one outbox row goes: a person (with their chat identities) or a channel."""

    employee_id: int | None
    email: str | None
    name: str | None
    channel: str | None = None
    # platform -> platform user id, and platform -> private chat id when known
    identities: dict[str, str] = field(default_factory=dict)
    dm_channels: dict[str, str] = field(default_factory=dict)
    locale: str | None = None  # the reader's language: the platform's own words use it
    mobile: str | None = None  # E.164: a platform may find someone never seen by it


class DeliveryError(Exception):
    """A delivery failed. `retry_after`: the platform asked us to wait (429).
    `unreachable`: the person blocked the bot or left; don't retry, tell HR instead.
    `permanent`: retrying can't help (bad request); mark the row failed."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        unreachable: bool = False,
        permanent: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.unreachable = unreachable
        self.permanent = permanent


class Deliverer(Protocol):
    """One chat platform's sender; the dispatcher paces calls to `per_second`."""

    platform: str
    per_second: float  # overall sustained rate the platform allows

    def can_reach(self, target: Target) -> bool:
        """True when this platform knows how to reach the target."""
        ...

    async def deliver(self, target: Target, card: Card) -> str:
        """Send the card; return a reference to the sent message (e.g. `C123:1700.01`).
        Raise DeliveryError on failure."""
        ...
