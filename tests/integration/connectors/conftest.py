"""Fixtures: a fake vendor server per test, stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.connectors.fakes import FakeVendor


@pytest.fixture
def vendor() -> Iterator[FakeVendor]:
    server = FakeVendor().start()
    yield server
    server.stop()
