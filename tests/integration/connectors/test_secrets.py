"""Secrets from the environment reach the wire and nowhere else: not logs, errors or reprs."""

from __future__ import annotations

import logging
import traceback

import pytest

from connectors.http import SourceError
from connectors.rest import RestConnector
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.support import PRESETS, connect, drain, source_config
from tests.integration.connectors.vendor_data import ENV, SECRET_VALUES

WRONG = {
    "HUBSPOT_TOKEN": "hs-wrong-but-still-secret",
    "ZENDESK_API_TOKEN": "zd-wrong-but-still-secret",
    "ERP_API_KEY": "erp-wrong-but-still-secret",
    "JIRA_API_TOKEN": "jira-wrong-but-still-secret",
    "ATTENDANCE_CLIENT_SECRET": "att-wrong-but-still-secret",
}


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text]


@pytest.mark.parametrize("preset", PRESETS)
def test_secrets_stay_out_of_logs_during_a_faulty_sync(
    vendor: FakeVendor, preset: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore included
    vendor.inject("status", "", skip=1, status=500)
    vendor.inject("reset", "", skip=1)
    with connect(vendor, preset) as connector:
        drain(connector)
        shown = repr(connector) + repr(connector.client) + repr(connector.config)
    assert "retry 1 of 5" in caplog.text
    assert _leaks(caplog.text + shown, SECRET_VALUES) == []


@pytest.mark.parametrize("preset", PRESETS)
def test_rejected_credentials_echoed_back_are_scrubbed(
    vendor: FakeVendor, preset: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    environ = ENV | WRONG
    config = source_config(vendor, preset)
    with (
        RestConnector.from_config(config, environ=environ, sleep=lambda s: None) as connector,
        pytest.raises(SourceError) as caught,
    ):
        drain(connector)
    error = caught.value
    assert error.status == 401
    shown = "".join(traceback.format_exception(error)) + repr(error) + caplog.text
    assert _leaks(shown, list(WRONG.values())) == []
    if preset != "attendance_leave":  # the token endpoint's answer is never quoted at all
        assert "***" in str(error)  # the fake echoed the credential; we scrubbed it
