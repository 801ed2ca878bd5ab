"""POST each notice as JSON to an HTTP endpoint, mapping its answers onto DeliveryError.

Request: {"to": {employee_id, email, name, channel, identities}, "card": {...}, "text": "..."}
Answers: 2xx delivered (JSON "id" is kept as the reference); 429 wait (Retry-After header
or JSON "retry_after", seconds); 410 unreachable (the person is gone); other 4xx permanent;
5xx, timeouts and connection errors are retried by the dispatcher.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from bot.config import Settings
from bot.delivery import DeliveryError, Target
from bot.plain_text import render
from handlers.cards import Card
from store.uow import UowFactory

PLATFORM = "webhook"


def make_deliverer(settings: Settings, uow: UowFactory) -> WebhookDeliverer | None:
    """The webhook deliverer when PERFBOT_WEBHOOK_URL is set (bot/platforms.py asks)."""
    hook = settings.webhook
    if not hook.url:
        return None
    return WebhookDeliverer(
        hook.url,
        per_second=hook.per_second,
        per_target_interval=hook.per_target_interval,
        timeout=hook.timeout,
        token=hook.token.get_secret_value() if hook.token else None,
    )


class WebhookDeliverer:
    platform = PLATFORM

    def __init__(
        self,
        url: str,
        *,
        per_second: float = 30.0,
        per_target_interval: float = 1.0,
        timeout: float = 10.0,
        token: str | None = None,
    ) -> None:
        self.url, self.per_second = url, per_second
        self.per_target_interval = per_target_interval
        self._timeout, self._token = timeout, token
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def can_reach(self, target: Target) -> bool:
        return bool(target.email or target.channel)

    async def deliver(self, target: Target, card: Card) -> str:
        body = {
            "to": {
                "employee_id": target.employee_id,
                "email": target.email,
                "name": target.name,
                "channel": target.channel,
                "identities": target.identities,
            },
            "card": card.to_dict(),
            "text": render(card),
        }
        try:
            resp = await self._http().post(self.url, json=body)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        if resp.is_success:
            return str(_json(resp).get("id") or f"http:{resp.status_code}")
        detail = f"HTTP {resp.status_code}: {resp.text[:200]}"
        if resp.status_code == 429:
            raise DeliveryError(detail, retry_after=_retry_after(resp))
        if resp.status_code == 410:
            raise DeliveryError(detail, unreachable=True)
        if 400 <= resp.status_code < 500 and resp.status_code not in (408, 425):
            raise DeliveryError(detail, permanent=True)
        raise DeliveryError(detail)

    def _http(self) -> httpx.AsyncClient:
        # An AsyncClient belongs to the event loop it was first used on.
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
            self._client = httpx.AsyncClient(timeout=self._timeout, headers=headers)
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _json(resp: httpx.Response) -> dict[str, Any]:
    try:
        data = resp.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _retry_after(resp: httpx.Response) -> float:
    raw = resp.headers.get("Retry-After") or _json(resp).get("retry_after")
    try:
        return max(0.0, float(raw)) if raw is not None else 1.0
    except (TypeError, ValueError):
        return 1.0  # an HTTP date or garbage: wait a little, the dispatcher retries
