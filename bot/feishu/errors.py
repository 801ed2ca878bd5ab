"""Feishu's refusals and settings that can't work, apart from bot/feishu/api.py so that
the modules catching them (deliver, health, members) load without the Lark SDK: its
package imports the whole Open API (about two seconds), paid only when Feishu is used."""

from __future__ import annotations


class ConfigError(Exception):
    """Feishu settings that can't work (no app id or secret, a domain that isn't one)."""


class FeishuError(Exception):
    """Feishu refused a call: HTTP `status`, Feishu's `code` and `msg`; `retry_after` when
    rate limited."""

    def __init__(
        self, status: int, code: int, msg: str, *, retry_after: float | None = None
    ) -> None:
        super().__init__(f"feishu: HTTP {status}, code {code}: {msg}")
        self.status, self.code, self.msg, self.retry_after = status, code, msg, retry_after
