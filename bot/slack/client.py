"""The Slack Web API client, built once from settings."""

from __future__ import annotations

from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient


def make_client(token: str, api_url: str | None = None) -> AsyncWebClient:
    """The Web API client; SLACK_API_URL (proxies, Enterprise Grid, tests) as its base URL."""
    kwargs: dict[str, Any] = {}
    if api_url:
        kwargs["base_url"] = api_url if api_url.endswith("/") else api_url + "/"
    return AsyncWebClient(
        token=token,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            # One wait for a 429 here; a persistent one surfaces to the caller (who paces).
            AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        ],
        **kwargs,
    )
