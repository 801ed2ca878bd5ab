"""A host name that does not exist is a wrong URL: one attempt, then UnknownHost naming the
host and its setting. A resolver that fails for now is retried like a timeout. Through
httpx's own transport, with socket.getaddrinfo faked (tests/fakes/resolver.py): no DNS."""

from __future__ import annotations

import socket

import httpx
import pytest

from connectors.auth import OAuth2ClientCredentials
from connectors.http import HttpClient, RetryPolicy, SourceError, UnknownHost, Unresolved
from tests.fakes.resolver import NO_ADDRESS, NO_SUCH_NAME, TRY_AGAIN, FakeResolver

HOST = "crm.example.invalid"
MACOS_NO_SUCH_NAME = (socket.EAI_NONAME, "nodename nor servname provided, or not known")
ABSENT = [
    pytest.param(*NO_SUCH_NAME, id="EAI_NONAME"),
    pytest.param(*MACOS_NO_SUCH_NAME, id="EAI_NONAME-macos-wording"),
    pytest.param(
        *NO_ADDRESS,
        id="EAI_NODATA",
        marks=pytest.mark.skipif(NO_ADDRESS[0] is None, reason="no EAI_NODATA here"),
    ),
]


def client(sleeps: list[float], **options: object) -> HttpClient:
    """A client on httpx's real transport (httpcore, socket.create_connection), no waiting."""
    return HttpClient(
        "crm",
        f"https://{HOST}",
        retry=RetryPolicy(max_attempts=4, base_delay=1.0),
        transport=httpx.HTTPTransport(),  # not the environment's proxies: this host, resolved
        sleep=sleeps.append,
        clock=lambda: 0.0,
        **options,  # type: ignore[arg-type]
    )


def failing(
    monkeypatch: pytest.MonkeyPatch, errno: int, text: str, **options: object
) -> tuple[SourceError, FakeResolver, list[float]]:
    """The error of one request while every name fails with `errno`; the look-ups, the sleeps."""
    resolver, sleeps = FakeResolver(errno, text), []
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with client(sleeps, **options) as http, pytest.raises(SourceError) as caught:
        http.request_json("GET", "/deals")
    return caught.value, resolver, sleeps


@pytest.mark.parametrize(("errno", "text"), ABSENT)
def test_a_name_that_does_not_exist_is_asked_once(
    monkeypatch: pytest.MonkeyPatch, errno: int, text: str
) -> None:
    error, resolver, sleeps = failing(monkeypatch, errno, text)
    assert resolver.lookups == {HOST: 1} and sleeps == []
    assert isinstance(error, UnknownHost) and error.unresolved == Unresolved(HOST, "base_url")
    assert str(error) == f"crm: host {HOST} does not exist (DNS: {text}); check its base_url"
    # no chain: httpx's exceptions hold the request, with its auth headers
    assert error.__cause__ is None and error.__suppress_context__


@pytest.mark.parametrize(
    ("errno", "text"),
    [
        pytest.param(*TRY_AGAIN, id="EAI_AGAIN"),
        pytest.param(socket.EAI_FAIL, "Non-recoverable failure in name resolution", id="EAI_FAIL"),
    ],
)
def test_a_resolver_that_fails_for_now_is_retried(
    monkeypatch: pytest.MonkeyPatch, errno: int, text: str
) -> None:
    error, resolver, sleeps = failing(monkeypatch, errno, text)
    assert not isinstance(error, UnknownHost)
    assert resolver.lookups == {HOST: 4} and len(sleeps) == 3
    message = str(error)
    assert message.startswith("crm: GET /deals: gave up after 4 attempts") and text in message


def test_a_token_endpoint_on_a_host_of_its_own_is_named_as_such(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    auth = OAuth2ClientCredentials("https://login.example.invalid/token", "id", "client-secret")
    error, resolver, sleeps = failing(monkeypatch, *NO_SUCH_NAME, auth=auth)
    assert resolver.lookups == {"login.example.invalid": 1} and sleeps == []
    assert isinstance(error, UnknownHost)
    assert error.unresolved == Unresolved("login.example.invalid", "auth.token_url")
    assert "client-secret" not in str(error)
