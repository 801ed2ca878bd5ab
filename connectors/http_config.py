"""The HTTP client a configuration describes: a source's or the directory's auth flow,
timeouts and retries."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from connectors import strings as cs
from connectors.auth import MissingSecret, build_auth
from connectors.config import ConfigError, SourceConfig
from connectors.directory.config import DirectoryConfig
from connectors.http import HttpClient, RetryPolicy, Timeouts
from said import Said, said_of


def configured_client(
    config: SourceConfig | DirectoryConfig,
    environ: Mapping[str, str] | None,
    *,
    where: str,
    clock: Callable[[], float] = time.monotonic,
    **options: Any,
) -> HttpClient:
    """An HttpClient with the config's auth (secrets from `environ`, else the process's),
    timeouts and retries; a missing secret is a ConfigError naming `where`. Other options
    (headers, sleep, transport, ...) go to HttpClient."""
    environ = os.environ if environ is None else environ
    try:
        auth = build_auth(config.auth, environ, base_url=config.base_url, clock=clock)
    except MissingSecret as exc:
        raise ConfigError(
            [Said(cs.AUTH_PROBLEM, where=where, error=said_of(exc) or str(exc))], origin=where
        ) from None
    retry = config.retry
    return HttpClient(
        config.name,
        config.base_url,
        auth=auth,
        timeouts=Timeouts(connect=config.timeouts.connect, read=config.timeouts.read),
        retry=RetryPolicy(
            max_attempts=retry.max_attempts,
            base_delay=retry.base_delay,
            max_delay=retry.max_delay,
            max_total=retry.max_total_seconds,
        ),
        clock=clock,
        **options,
    )
