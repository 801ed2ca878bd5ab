"""JSON over httpx: timeouts, bounded retries (backoff, full jitter, Retry-After), safe errors.

A host name that does not exist is a wrong URL, not an outage: it fails at once."""

from __future__ import annotations

import logging
import random as _random
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self

import httpx
import orjson

from connectors import strings as cs
from connectors.auth import SecretAuth, TokenError
from said import Said, said_of

log = logging.getLogger(__name__)
# Each retry, on a logger of its own: services log them; `perfbot sync` and `perfbot doctor`,
# whose output says how each source ended (attempts, last fault), keep them off the console.
RETRY_LOG = f"{__name__}.retry"
retry_log = logging.getLogger(RETRY_LOG)


class SourceError(Exception):
    """A source failed for good (after retries, or on a non-retryable answer)."""

    def __init__(self, source: str, message: str, *, status: int | None = None) -> None:
        super().__init__(Said(cs.SOURCE_FAILED, source=source, message=message))
        self.source = source
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A host name the resolver says does not exist, and the setting that holds it."""

    host: str
    setting: str  # base_url, or auth.token_url for a token endpoint on a host of its own


class UnknownHost(SourceError):
    """The source's host name does not exist: a wrong URL in the configuration, not an
    outage, so it is not asked again."""

    def __init__(self, source: str, unresolved: Unresolved, reason: str) -> None:
        host, setting = unresolved.host, unresolved.setting
        super().__init__(source, Said(cs.UNKNOWN_HOST, host=host, reason=reason, setting=setting))
        self.unresolved = unresolved


# getaddrinfo's answers that a name does not exist, as opposed to a resolver that failed
# for now (EAI_AGAIN, retried like a timeout). EAI_NODATA (the name has no address) is not
# defined everywhere; macOS words EAI_NONAME "nodename nor servname provided, or not known".
NAME_ABSENT = frozenset(
    code for code in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)) if code is not None
)


def name_absent(exc: BaseException) -> socket.gaierror | None:
    """The resolver's "no such name" down the exception's chain, if that is what it is.

    httpx raises ConnectError from httpcore's ConnectError, which httpcore re-raised
    `from None`: the gaierror is its __context__, not its __cause__."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, socket.gaierror):
            return link if link.errno in NAME_ABSENT else None
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return None


@dataclass(frozen=True, slots=True)
class JsonResponse:
    """A parsed JSON answer with what pagination needs from the HTTP layer."""

    data: Any
    status: int = 200
    url: str = ""
    links: Mapping[str, str] = field(default_factory=dict)  # rel -> absolute URL


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_total: float = 120.0  # seconds from the first attempt; no retry may start after it


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float = 5.0
    read: float = 30.0


class _Fault(Exception):
    """A transient failure of one attempt."""

    def __init__(
        self, reason: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason, self.status, self.retry_after = reason, status, retry_after


def retryable_status(status: int) -> bool:
    """5xx except "not implemented" kinds, 408 and 429: worth asking again."""
    return status in (408, 429) or (status >= 500 and status not in (501, 505))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class ClosedOnExit:
    """A `with` block's subject that is closed when the block ends."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError


class HttpClient(ClosedOnExit):
    """One source's HTTP client: `get_json`/`request_json` retry transient faults, then raise."""

    def __init__(
        self,
        source: str,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        timeouts: Timeouts = Timeouts(),
        retry: RetryPolicy = RetryPolicy(),
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.source = source
        self.retry = retry
        self._auth = auth
        self._sleep, self._random, self._clock, self._now = sleep, random, clock, now
        self._client = httpx.Client(
            base_url=base_url,
            auth=auth,
            timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
            headers={"Accept": "application/json", "User-Agent": "perfbot", **(headers or {})},
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"HttpClient(source={self.source!r}, base_url={str(self._client.base_url)!r})"

    def close(self) -> None:
        self._client.close()

    def same_origin(self, url: str) -> bool:
        """Whether an absolute URL (a next-page link) points at this source's host."""
        base, other = self._client.base_url, httpx.URL(url)
        return (base.scheme, base.host, base.port) == (other.scheme, other.host, other.port)

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> JsonResponse:
        """Send and parse JSON, retrying 5xx, 408, 429, timeouts, resets and broken bodies;
        a host that does not exist raises UnknownHost at once."""
        policy, started = self.retry, self._clock()
        where = f"{method} {httpx.URL(url).path}"
        for attempt in range(1, policy.max_attempts + 1):
            try:
                return self._attempt(method, url, params, json)
            except _Fault as fault:
                elapsed = self._clock() - started
                delay = self._delay(attempt, fault.retry_after)
                out_of_time = elapsed + delay > policy.max_total
                if attempt == policy.max_attempts or out_of_time:
                    why = Said(cs.BUDGET_SPENT if out_of_time else cs.ATTEMPTS_EXHAUSTED)
                    tries = Said(cs.ONE_ATTEMPT if attempt == 1 else cs.ATTEMPTS, n=attempt)
                    message = Said(
                        cs.GAVE_UP, where=where, tries=tries, seconds=elapsed, why=why,
                        fault=fault.reason,
                    )  # fmt: skip
                    error = SourceError(self.source, self.redact(message), status=fault.status)
                    raise error from None  # the httpx chain holds requests with auth headers
                retry_log.warning(
                    "%s: %s failed (%s); retry %d of %d in %.2f s",
                    self.source,
                    where,
                    self.redact(fault.reason),
                    attempt,
                    policy.max_attempts - 1,
                    delay,
                )
                self._sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises

    def redact(self, text: str) -> str:
        """Text with every secret the auth flow holds replaced by ***; a Said stays one,
        each of its values scrubbed."""
        if isinstance(text, Said):
            return text.map(self.redact)
        for secret in self._secrets():
            text = text.replace(secret, "***")
        return text

    def _secrets(self) -> Iterable[str]:
        values = self._auth.secret_values() if isinstance(self._auth, SecretAuth) else []
        # longest first, so a secret containing another is scrubbed whole
        return sorted((v for v in values if len(v) >= 4), key=len, reverse=True)

    def _unresolved(self, host: str) -> Unresolved:
        # Next-page links stay on the base URL's host (RestConnector.pages): another host
        # can only be the token endpoint's.
        same = host == self._client.base_url.host
        return Unresolved(host, "base_url" if same else "auth.token_url")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        ceiling = min(self.retry.max_delay, self.retry.base_delay * 2.0 ** (attempt - 1))
        return self._random() * ceiling  # full jitter: spreads retries of many clients

    def _attempt(self, method: str, url: str, params: Any, body: Any) -> JsonResponse:
        try:
            response = self._client.request(method, url, params=params, json=body)
        except httpx.TimeoutException as exc:
            raise _Fault(Said(cs.TIMEOUT, kind=type(exc).__name__)) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.DecodingError) as exc:
            absent = name_absent(exc)
            if absent is not None:
                unresolved = self._unresolved(exc.request.url.host)
                reason = Said(cs.DNS, error=absent.strerror)
                raise UnknownHost(self.source, unresolved, reason) from None
            error = Said(cs.CONNECTION_ERROR, kind=type(exc).__name__, error=str(exc))
            raise _Fault(error) from None
        except TokenError as exc:
            why: str = said_of(exc) or str(exc)
            if exc.retryable:
                raise _Fault(why, status=exc.status) from None
            raise SourceError(self.source, self.redact(why), status=exc.status) from None
        except httpx.HTTPError as exc:
            kind, where = type(exc).__name__, f"{method} {url}"
            message = Said(cs.HTTP_FAILED, where=where, kind=kind, error=str(exc))
            raise SourceError(self.source, self.redact(message)) from None
        status = response.status_code
        if retryable_status(status):
            wait = parse_retry_after(response.headers.get("Retry-After"), self._now())
            raise _Fault(Said(cs.HTTP_STATUS, status=status), status=status, retry_after=wait)
        if not 200 <= status < 300:
            snippet = response.text[:200].replace("\n", " ")
            where = f"{method} {response.url.path}"
            message = Said(cs.HTTP_REFUSED, where=where, status=status, body=snippet)
            raise SourceError(self.source, self.redact(message), status=status)
        try:
            data = orjson.loads(response.content) if response.content else None
        except orjson.JSONDecodeError as exc:
            raise _Fault(Said(cs.MALFORMED_JSON, error=str(exc)), status=status) from None
        links = {
            rel: str(response.url.join(link["url"]))
            for rel, link in response.links.items()
            if rel and "url" in link
        }
        return JsonResponse(data=data, status=status, url=str(response.url), links=links)
