"""The Slack Web API clients, built from settings: the async one the app serves with, and a
blocking one for the operator's commands (directory lookups, `org import`)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient


def _base(api_url: str | None) -> str | None:
    return api_url if api_url is None or api_url.endswith("/") else api_url + "/"


def make_client(token: str, api_url: str | None = None) -> AsyncWebClient:
    """The Web API client; SLACK_API_URL (proxies, Enterprise Grid, tests) as its base URL."""
    kwargs: dict[str, Any] = {}
    if api_url:
        kwargs["base_url"] = _base(api_url)
    return AsyncWebClient(
        token=token,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            # One wait for a 429 here; a persistent one surfaces to the caller (who paces).
            AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        ],
        **kwargs,
    )


def make_sync_client(token: str, api_url: str | None = None, *, retries: int = 3) -> WebClient:
    """A blocking client whose 429s wait their Retry-After (in this thread), `retries` times."""
    return WebClient(
        token=token,
        base_url=_base(api_url) or WebClient.BASE_URL,
        retry_handlers=[
            ConnectionErrorRetryHandler(),
            RateLimitErrorRetryHandler(max_retry_count=retries),
        ],
    )
