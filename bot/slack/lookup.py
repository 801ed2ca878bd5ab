"""Slack user ids by e-mail (users.lookupByEmail, Tier 3: 50+ a minute) for a directory sync:
a 429 waits its Retry-After (the SDK's retry handler); one still limited ends this run's
lookups, and the people left are looked up on the next run."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk.errors import SlackApiError

from bot import strings as bs
from bot.slack.client import make_sync_client
from said import Said

log = logging.getLogger(__name__)


class SlackEmailLookup:
    """Call with e-mails; returns e-mail -> Slack user id for those found (at most `limit`
    calls a run). `problems` says why lookups stopped early, if they did."""

    def __init__(
        self, token: str, api_url: str | None = None, *, limit: int = 500, retries: int = 3
    ) -> None:
        self._client = make_sync_client(token, api_url, retries=retries)
        self._limit = limit
        self.problems: list[str] = []
        self.calls = 0

    def __call__(self, emails: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for email in emails:
            if self.calls >= self._limit:
                self.problems.append(Said(bs.LOOKUP_LIMIT, limit=self._limit))
                break
            self.calls += 1
            try:
                resp = self._client.users_lookupByEmail(email=email)
            except SlackApiError as exc:
                error = str(exc.response.get("error") or exc.response.status_code)
                if error == "users_not_found":
                    continue
                # rate limited after the retries, or the token lacks users:read.email
                self.problems.append(Said(bs.LOOKUP_REFUSED, error=error))
                log.warning("slack lookup stopped: %s", error)
                break
            except Exception as exc:  # the connection failed after its retries
                self.problems.append(Said(bs.LOOKUP_FAILED, kind=type(exc).__name__))
                break
            user = resp.get("user") or {}
            if user.get("id") and not user.get("deleted") and not user.get("is_bot"):
                found[email] = str(user["id"])
        return found
