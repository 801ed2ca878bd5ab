"""What operators read on the console at start-up and after a run (issue 18): no library
warning they can't act on, no retry-by-retry noise where the output says how it ended, no
repr of an internal object."""

from __future__ import annotations

import logging

import pytest
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

import bot.slack.app  # noqa: F401  (installs the filter on Bolt's logger)
from bot.cli.common import quiet_retries
from bot.outbox_dispatcher import DispatchStats
from connectors.http import RETRY_LOG


def test_bolt_keeps_quiet_about_the_token_it_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-env-file")  # .env is exported
    with caplog.at_level(logging.WARNING):
        AsyncApp(
            client=AsyncWebClient(token="xoxb-from-the-env-file"),
            signing_secret="secret",
            request_verification_enabled=False,
        )
        logging.getLogger("slack_bolt.AsyncApp").warning("something else Bolt says")
    assert "`token` will be unused" not in caplog.text
    assert "something else Bolt says" in caplog.text  # only that one notice is dropped


def test_retries_are_off_the_console_while_a_command_reports_them_and_back_after() -> None:
    retries = logging.getLogger(RETRY_LOG)
    assert retries.isEnabledFor(logging.WARNING)
    with quiet_retries():
        assert not retries.isEnabledFor(logging.WARNING)
    assert retries.isEnabledFor(logging.WARNING)  # services still log each one


def test_dispatch_stats_read_as_words() -> None:
    stats = DispatchStats(claimed=8, sent=7, retried=1, lost_claims=0)
    assert stats.summary() == "claimed 8, sent 7, retried 1"
    assert DispatchStats(lost_claims=2).summary() == "lost claims 2"
    assert DispatchStats().summary() == "nothing due"
