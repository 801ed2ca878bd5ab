"""Authentication for source APIs as httpx.Auth flows; secret values never reach a repr."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Generator, Mapping
from typing import Annotated, Literal

import httpx
import orjson
from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from connectors import strings as cs
from connectors.config_checks import exactly_one
from said import Said

EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoAuthConfig(_Model):
    type: Literal["none"] = "none"


class BearerAuthConfig(_Model):
    type: Literal["bearer"]
    token_env: EnvName


class BasicAuthConfig(_Model):
    type: Literal["basic"]
    username: str | None = None
    username_env: EnvName | None = None
    password_env: EnvName

    @model_validator(mode="after")
    def _one_username(self) -> BasicAuthConfig:
        exactly_one(self.username, self.username_env, "username, username_env")
        return self


class ApiKeyAuthConfig(_Model):
    type: Literal["api_key"]
    header: str = "X-API-Key"
    key_env: EnvName


class OAuth2ClientCredentialsConfig(_Model):
    type: Literal["oauth2_client_credentials"]
    token_url: str  # absolute, or relative to the source's base_url
    client_id_env: EnvName
    client_secret_env: EnvName
    scope: str | None = None
    client_auth: Literal["basic", "body"] = "basic"
    expiry_margin_seconds: float = Field(60.0, ge=0)


AuthConfig = Annotated[
    NoAuthConfig
    | BearerAuthConfig
    | BasicAuthConfig
    | ApiKeyAuthConfig
    | OAuth2ClientCredentialsConfig,
    Field(discriminator="type"),
]


class MissingSecret(LookupError):
    """An environment variable named by the configuration is not set."""


class TokenError(Exception):
    """The OAuth2 token endpoint refused or failed; `retryable` for 5xx, 429 and bad bodies."""

    def __init__(self, message: str, *, status: int | None, retryable: bool) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class SecretAuth(httpx.Auth):
    """An httpx.Auth that can list its secret values, so errors and logs can be scrubbed."""

    def secret_values(self) -> list[str]:
        return []

    def __repr__(self) -> str:
        return f"{type(self).__name__}(***)"


class BearerAuth(SecretAuth):
    def __init__(self, token: str) -> None:
        self._token = SecretStr(token)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        yield request

    def secret_values(self) -> list[str]:
        return [self._token.get_secret_value()]


class BasicAuth(SecretAuth):
    def __init__(self, username: str, password: str) -> None:
        raw = f"{username}:{password}".encode()
        self._password = SecretStr(password)
        self._header = SecretStr(base64.b64encode(raw).decode())

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Basic {self._header.get_secret_value()}"
        yield request

    def secret_values(self) -> list[str]:
        # the base64 form too: a server echoing the header back must not leak it
        return [self._password.get_secret_value(), self._header.get_secret_value()]


class ApiKeyAuth(SecretAuth):
    def __init__(self, header: str, key: str) -> None:
        self._name = header
        self._key = SecretStr(key)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._name] = self._key.get_secret_value()
        yield request

    def secret_values(self) -> list[str]:
        return [self._key.get_secret_value()]


class OAuth2ClientCredentials(SecretAuth):
    """Client-credentials grant: token cached until expiry minus a margin, renewed once on 401.

    Not thread-safe: one connector (one sync) uses one instance.
    """

    requires_response_body = True

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        client_auth: Literal["basic", "body"] = "basic",
        margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = token_url
        self._id = client_id
        self._secret = SecretStr(client_secret)
        self._scope, self._client_auth = scope, client_auth
        self._margin, self._clock = margin, clock
        self._token: SecretStr | None = None
        self._expires_at = 0.0
        self.tokens_fetched = 0

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._token is None or self._clock() >= self._expires_at:
            self._store((yield self._token_request(request)))
        request.headers["Authorization"] = self._bearer()
        response = yield request
        if response.status_code == 401:
            # the server may revoke a token before its announced expiry: renew once
            self._store((yield self._token_request(request)))
            request.headers["Authorization"] = self._bearer()
            yield request

    def secret_values(self) -> list[str]:
        token = [self._token.get_secret_value()] if self._token else []
        return [self._secret.get_secret_value(), *token]

    def _bearer(self) -> str:
        assert self._token is not None
        return f"Bearer {self._token.get_secret_value()}"

    def _token_request(self, original: httpx.Request) -> httpx.Request:
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        headers = {"Accept": "application/json"}
        if self._client_auth == "basic":
            pair = f"{self._id}:{self._secret.get_secret_value()}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            form |= {"client_id": self._id, "client_secret": self._secret.get_secret_value()}
        # a hand-built request has no timeout of its own: borrow the data request's
        timeout = original.extensions.get("timeout")
        extensions = {"timeout": timeout} if timeout else {}
        return httpx.Request("POST", self._url, data=form, headers=headers, extensions=extensions)

    def _store(self, response: httpx.Response) -> None:
        status = response.status_code
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            body = None
        if status != 200:
            # only the standard `error` code: the body could echo what we sent
            code = body.get("error") if isinstance(body, dict) else None
            retryable = status >= 500 or status == 429
            raise TokenError(
                Said(cs.TOKEN_REFUSED, status=status, code=code or Said(cs.TOKEN_NO_CODE)),
                status=status,
                retryable=retryable,
            )
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise TokenError(Said(cs.TOKEN_MISSING), status=status, retryable=True)
        lifetime = body.get("expires_in")
        try:
            ttl = 3600.0 if lifetime is None else float(lifetime)  # RFC 6749: optional
        except (TypeError, ValueError):
            bad = TokenError(Said(cs.TOKEN_BAD_EXPIRY), status=200, retryable=False)
            raise bad from None
        self._token = SecretStr(body["access_token"])
        self._expires_at = self._clock() + ttl - min(self._margin, ttl / 2)
        self.tokens_fetched += 1


def _secret(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name)
    if not value:
        raise MissingSecret(Said(cs.NO_SECRET, name=name))
    return value


def build_auth(
    cfg: NoAuthConfig
    | BearerAuthConfig
    | BasicAuthConfig
    | ApiKeyAuthConfig
    | OAuth2ClientCredentialsConfig,
    environ: Mapping[str, str],
    *,
    base_url: str,
    clock: Callable[[], float] = time.monotonic,
) -> SecretAuth | None:
    """The auth flow for a source, secrets read from `environ` (raises MissingSecret)."""
    match cfg:
        case BearerAuthConfig():
            return BearerAuth(_secret(environ, cfg.token_env))
        case BasicAuthConfig():
            user = cfg.username or _secret(environ, cfg.username_env or "")
            return BasicAuth(user, _secret(environ, cfg.password_env))
        case ApiKeyAuthConfig():
            return ApiKeyAuth(cfg.header, _secret(environ, cfg.key_env))
        case OAuth2ClientCredentialsConfig():
            return OAuth2ClientCredentials(
                str(httpx.URL(base_url + "/").join(cfg.token_url)),
                _secret(environ, cfg.client_id_env),
                _secret(environ, cfg.client_secret_env),
                scope=cfg.scope,
                client_auth=cfg.client_auth,
                margin=cfg.expiry_margin_seconds,
                clock=clock,
            )
    return None
