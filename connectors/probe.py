"""Is a source reachable with its credentials? One request, the first page of its records,
with the short retries and timeouts of someone waiting (`perfbot doctor`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors.config import SourceConfig
from connectors.refetch import interactive
from connectors.rest import RestConnector


def probe(config: SourceConfig, environ: Mapping[str, str], **client_options: Any) -> int:
    """The number of records on the source's first page; raises what a sync would (a
    SourceError naming the status, a ConfigError for a missing secret)."""
    with RestConnector.from_config(interactive(config), environ, **client_options) as source:
        first = next(source.pages(), None)  # one request: the next page is never asked for
    return len(first.records) if first is not None else 0
