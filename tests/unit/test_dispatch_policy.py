"""PERFBOT_OUTBOX_* reach the dispatcher's policy: each setting but the idle poll."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.outbox_dispatcher import DispatchPolicy
from bot.policy import dispatch_policy


def test_every_outbox_setting_but_the_poll_reaches_the_dispatcher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "MAX_ATTEMPTS": "3",
        "LEASE_SECONDS": "45",
        "BACKOFF_SECONDS": "5",
        "BACKOFF_MAX_SECONDS": "60",
        "BATCH": "7",
        "POLL_SECONDS": "9",
    }.items():
        monkeypatch.setenv(f"PERFBOT_OUTBOX_{name}", value)
    policy = dispatch_policy(Settings())
    assert (policy.max_attempts, policy.lease_seconds, policy.batch) == (3, 45.0, 7)
    assert (policy.backoff_seconds, policy.backoff_max_seconds) == (5.0, 60.0)
    defaults = DispatchPolicy()
    assert (policy.jitter, policy.max_in_flight) == (defaults.jitter, defaults.max_in_flight)
