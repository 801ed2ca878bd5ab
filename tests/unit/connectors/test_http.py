"""The HTTP client's retry policy, on httpx.MockTransport with a fake clock: no real waiting."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

import httpx
import pytest

from connectors.auth import BearerAuth
from connectors.http import HttpClient, RetryPolicy, SourceError, parse_retry_after

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TOKEN = "unit-secret-token"


class Clock:
    """Monotonic time that only sleeping moves."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Answer = httpx.Response | Exception


def scripted(answers: Sequence[Answer]) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering from a script (the last answer repeats)."""
    seen: list[httpx.Request] = []
    queue: Iterator[Answer] = iter(answers)
    last: list[Answer] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = next(queue, None)
        if answer is None:
            answer = last[0]
        last[:] = [answer]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handle), seen


def client(
    answers: Sequence[Answer],
    *,
    policy: RetryPolicy = RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=8.0),
    random: Callable[[], float] = lambda: 1.0,
) -> tuple[HttpClient, Clock, list[httpx.Request]]:
    transport, seen = scripted(answers)
    clock = Clock()
    http = HttpClient(
        "crm",
        "https://api.example.com",
        auth=BearerAuth(TOKEN),
        retry=policy,
        transport=transport,
        sleep=clock.sleep,
        random=random,
        clock=clock,
        now=lambda: NOW,
    )
    return http, clock, seen


def ok(data: object = None) -> httpx.Response:
    return httpx.Response(200, json={"ok": True} if data is None else data)


def test_5xx_is_retried_with_exponential_backoff() -> None:
    http, clock, seen = client([httpx.Response(500), httpx.Response(502), ok()])
    assert http.request_json("GET", "/x").data == {"ok": True}
    assert clock.sleeps == [1.0, 2.0] and len(seen) == 3


def test_full_jitter_draws_between_zero_and_the_ceiling() -> None:
    http, clock, _ = client([httpx.Response(503)] * 3 + [ok()], random=lambda: 0.25)
    http.request_json("GET", "/x")
    assert clock.sleeps == [0.25, 0.5, 1.0]


def test_backoff_ceiling_is_capped_by_max_delay() -> None:
    policy = RetryPolicy(max_attempts=7, base_delay=1.0, max_delay=3.0, max_total=100)
    http, clock, _ = client([httpx.Response(500)] * 6 + [ok()], policy=policy)
    http.request_json("GET", "/x")
    assert clock.sleeps == [1.0, 2.0, 3.0, 3.0, 3.0, 3.0]


def test_429_waits_exactly_retry_after_seconds() -> None:
    http, clock, _ = client([httpx.Response(429, headers={"Retry-After": "7"}), ok()])
    http.request_json("GET", "/x")
    assert clock.sleeps == [7.0]


def test_429_retry_after_http_date() -> None:
    header = {"Retry-After": "Sun, 01 Mar 2026 12:00:42 GMT"}
    http, clock, _ = client([httpx.Response(429, headers=header), ok()])
    http.request_json("GET", "/x")
    assert clock.sleeps == [42.0]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0", 0.0),
        ("120", 120.0),
        ("Sun, 01 Mar 2026 12:01:00 GMT", 60.0),
        ("Sun, 01 Mar 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_attempts_are_capped() -> None:
    http, clock, seen = client([httpx.Response(503)])
    with pytest.raises(SourceError) as caught:
        http.request_json("GET", "/deals")
    assert len(seen) == 4 and len(clock.sleeps) == 3
    assert caught.value.status == 503
    assert str(caught.value).startswith("crm: GET /deals: gave up after 4 attempts")


def test_total_retry_time_is_capped() -> None:
    policy = RetryPolicy(max_attempts=50, base_delay=1.0, max_delay=8.0, max_total=20.0)
    http, clock, _ = client([httpx.Response(500)], policy=policy)
    with pytest.raises(SourceError, match="retry budget spent"):
        http.request_json("GET", "/x")
    assert sum(clock.sleeps) <= 20.0 and clock.sleeps == [1.0, 2.0, 4.0, 8.0]


def test_retry_after_beyond_the_budget_gives_up_at_once() -> None:
    http, clock, _ = client([httpx.Response(429, headers={"Retry-After": "86400"})])
    with pytest.raises(SourceError, match="retry budget spent"):
        http.request_json("GET", "/x")
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "fault",
    [
        httpx.ReadTimeout("read timed out"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.ConnectError("connection refused"),
        httpx.ReadError("[Errno 104] Connection reset by peer"),
        httpx.RemoteProtocolError("peer closed connection without sending complete body"),
    ],
)
def test_transport_faults_are_retried(fault: Exception) -> None:
    http, clock, _ = client([fault, ok()])
    assert http.request_json("GET", "/x").data == {"ok": True}
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize("body", [b'{"results": [1, 2', b"<html>Bad gateway</html>", b"\xff\xfe"])
def test_broken_json_body_is_retried(body: bytes) -> None:
    http, clock, _ = client([httpx.Response(200, content=body), ok()])
    assert http.request_json("GET", "/x").data == {"ok": True}
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 501])
def test_client_errors_fail_at_once(status: int) -> None:
    http, clock, seen = client([httpx.Response(status, text="nope")])
    with pytest.raises(SourceError) as caught:
        http.request_json("GET", "/x")
    assert caught.value.status == status and len(seen) == 1 and clock.sleeps == []


def test_secret_echoed_by_the_server_is_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    echo = httpx.Response(401, text=f"bad token Bearer {TOKEN}")
    http, _, _ = client([httpx.Response(500, text=TOKEN), echo])
    with pytest.raises(SourceError) as caught:
        http.request_json("GET", "/x")
    assert TOKEN not in str(caught.value) and "Bearer ***" in str(caught.value)
    assert TOKEN not in "".join(traceback.format_exception(caught.value))
    assert TOKEN not in caplog.text and TOKEN not in repr(http)


def test_auth_header_is_sent_and_links_are_resolved() -> None:
    link = '</x?page=2>; rel="next", <https://api.example.com/x?page=9>; rel="last"'
    http, _, seen = client([httpx.Response(200, json=[], headers={"Link": link})])
    answer = http.request_json("GET", "/x", params={"page": 1})
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert answer.links == {
        "next": "https://api.example.com/x?page=2",
        "last": "https://api.example.com/x?page=9",
    }


def test_same_origin() -> None:
    http, _, _ = client([ok()])
    assert http.same_origin("https://api.example.com/next?page=2")
    assert not http.same_origin("https://evil.example.net/next")
    assert not http.same_origin("http://api.example.com/next")
