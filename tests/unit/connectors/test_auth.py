"""Auth flows: the right header on the wire, OAuth tokens cached and renewed, secrets hidden."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

import httpx
import pytest

from connectors.auth import (
    ApiKeyAuth,
    ApiKeyAuthConfig,
    BasicAuth,
    BasicAuthConfig,
    BearerAuth,
    MissingSecret,
    NoAuthConfig,
    OAuth2ClientCredentials,
    OAuth2ClientCredentialsConfig,
    build_auth,
)


def sent_headers(auth: httpx.Auth) -> httpx.Headers:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    with httpx.Client(transport=httpx.MockTransport(handle), auth=auth) as http:
        http.get("https://api.example.com/x")
    return seen[0].headers


def test_static_schemes_set_their_header() -> None:
    assert sent_headers(BearerAuth("tok-1234"))["Authorization"] == "Bearer tok-1234"
    basic = sent_headers(BasicAuth("me@example.com/token", "pw-1234"))["Authorization"]
    assert base64.b64decode(basic.removeprefix("Basic ")) == b"me@example.com/token:pw-1234"
    assert sent_headers(ApiKeyAuth("X-Api-Token", "key-1234"))["X-Api-Token"] == "key-1234"


def test_reprs_hide_secrets() -> None:
    for auth in (BearerAuth("tok-1234"), BasicAuth("u", "pw-1234"), ApiKeyAuth("K", "key-1234")):
        assert "1234" not in repr(auth) and "1234" not in str(vars(auth))


def test_basic_auth_also_scrubs_the_encoded_header() -> None:
    auth = BasicAuth("user", "pw-1234")
    assert base64.b64encode(b"user:pw-1234").decode() in auth.secret_values()


class TokenServer:
    """A token endpoint plus an API that accepts only the newest token."""

    def __init__(self, expires_in: int = 3600) -> None:
        self.expires_in = expires_in
        self.issued = 0
        self.token_requests: list[httpx.Request] = []
        self.reject_all = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            self.token_requests.append(request)
            self.issued += 1
            body = {"access_token": f"tok-{self.issued}", "expires_in": self.expires_in}
            return httpx.Response(200, json=body)
        good = request.headers.get("Authorization") == f"Bearer tok-{self.issued}"
        return httpx.Response(200 if good and not self.reject_all else 401, json={})


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def oauth(
    server: TokenServer, clock: Clock, **kw: object
) -> tuple[httpx.Client, OAuth2ClientCredentials]:
    auth = OAuth2ClientCredentials(
        "https://auth.example.com/oauth/token",
        "cid",
        "csecret-1234",
        clock=clock,
        **kw,  # type: ignore[arg-type]
    )
    return httpx.Client(transport=httpx.MockTransport(server), auth=auth), auth


def test_token_is_cached_until_expiry_minus_margin() -> None:
    server, clock = TokenServer(expires_in=600), Clock()
    http, auth = oauth(server, clock, margin=60)
    for _ in range(3):
        assert http.get("https://api.example.com/x").status_code == 200
    assert server.issued == 1
    clock.now = 539
    http.get("https://api.example.com/x")
    assert server.issued == 1
    clock.now = 541  # inside the margin: renew before the server would refuse it
    http.get("https://api.example.com/x")
    assert server.issued == 2 and auth.tokens_fetched == 2


def test_401_refreshes_once_then_gives_the_401_back() -> None:
    server, clock = TokenServer(), Clock()
    http, _ = oauth(server, clock)
    http.get("https://api.example.com/x")
    server.issued += 1  # the server rotated its keys: our cached token is dead
    assert http.get("https://api.example.com/x").status_code == 200
    assert len(server.token_requests) == 2
    server.reject_all = True
    assert http.get("https://api.example.com/x").status_code == 401
    assert len(server.token_requests) == 3  # one refresh, no loop


@pytest.mark.parametrize("client_auth", ["basic", "body"])
def test_client_credentials_placement(client_auth: str) -> None:
    server = TokenServer()
    http, _ = oauth(server, Clock(), client_auth=client_auth, scope="read")
    http.get("https://api.example.com/x")
    request = server.token_requests[0]
    form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
    assert form["grant_type"] == "client_credentials" and form["scope"] == "read"
    if client_auth == "basic":
        assert (
            request.headers["Authorization"]
            == "Basic " + base64.b64encode(b"cid:csecret-1234").decode()
        )
        assert "client_secret" not in form
    else:
        assert form["client_secret"] == "csecret-1234" and "Authorization" not in request.headers


def test_oauth_secrets_listed_and_hidden() -> None:
    server = TokenServer()
    http, auth = oauth(server, Clock())
    http.get("https://api.example.com/x")
    assert set(auth.secret_values()) == {"csecret-1234", "tok-1"}
    assert "csecret" not in repr(auth) and "tok-1" not in repr(auth)


def test_build_auth_reads_the_environment() -> None:
    env = {"K": "key-1234", "ID": "cid", "SECRET": "s-1234", "PW": "pw", "USER": "u"}
    api = build_auth(ApiKeyAuthConfig(type="api_key", key_env="K"), env, base_url="https://x")
    assert isinstance(api, ApiKeyAuth) and api.secret_values() == ["key-1234"]
    basic = BasicAuthConfig(type="basic", username_env="USER", password_env="PW")
    assert isinstance(build_auth(basic, env, base_url="https://x"), BasicAuth)
    config = OAuth2ClientCredentialsConfig(
        type="oauth2_client_credentials",
        token_url="/oauth/token",
        client_id_env="ID",
        client_secret_env="SECRET",
    )
    built = build_auth(config, env, base_url="https://api.example.com/v2")
    assert isinstance(built, OAuth2ClientCredentials)
    assert built._url == "https://api.example.com/oauth/token"
    assert build_auth(NoAuthConfig(), env, base_url="https://x") is None
    with pytest.raises(MissingSecret, match="SECRET is not set"):
        build_auth(config, {"ID": "cid"}, base_url="https://x")
