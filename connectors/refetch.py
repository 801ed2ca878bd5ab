"""Asking a source again for one disputed record, for the appeal card's fresh comparison."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from connectors.config import RetryConfig, SourceConfig, TimeoutsConfig, load_sources
from connectors.rest import RestConnector

# Someone is waiting on the card: a source that is slow or down is noted on it, not waited out
# for the sync's two minutes of retries.
INTERACTIVE_RETRY = RetryConfig(max_attempts=2, base_delay=0.2, max_delay=1.0, max_total_seconds=5)
INTERACTIVE_TIMEOUTS = TimeoutsConfig(connect=3.0, read=8.0)


class SourceRefetch:
    """`refetch(source, record_id)` over the sources of a sources.yaml.

    Answers {fact metric: value as text} as the source has the record now, {"void": True}
    when the source no longer has it (or voids it), and None when no connector can say
    (unknown source, or no `fetch_one:` configured). Connection and source errors raise;
    the appeal card notes them.
    """

    def __init__(
        self,
        sources: Path | Sequence[SourceConfig],
        environ: Mapping[str, str],
        **client_options: Any,
    ) -> None:
        """`sources`: a sources.yaml (re-read when it changes) or configs already loaded."""
        self.environ, self.client_options = environ, client_options
        self.path = sources if isinstance(sources, Path) else None
        self._loaded: tuple[int, dict[str, SourceConfig]] | None = None
        if not isinstance(sources, Path):
            self._loaded = (0, {c.name: c for c in sources})

    def __call__(self, source: str, record_id: str) -> dict[str, Any] | None:
        config = self._configs().get(source)
        if config is None or config.fetch_one is None:
            return None
        quick = interactive(config)
        with RestConnector.from_config(quick, self.environ, **self.client_options) as connector:
            records = connector.fetch_record(record_id)
        live = [r for r in records or () if not r.void]
        if not live:
            return {"void": True}
        return {r.metric: str(r.value) for r in live}

    def _configs(self) -> dict[str, SourceConfig]:
        if self.path is None:
            assert self._loaded is not None
            return self._loaded[1]
        # Re-read when the file changes, so an edited sources.yaml needs no restart.
        stamp = self.path.stat().st_mtime_ns
        if self._loaded is None or self._loaded[0] != stamp:
            configs = load_sources(self.path, environ=self.environ)
            self._loaded = (stamp, {c.name: c for c in configs})
        return self._loaded[1]


def interactive(config: SourceConfig) -> SourceConfig:
    """The source with short retries and timeouts, for someone waiting on the answer."""
    timeouts = TimeoutsConfig(
        connect=min(config.timeouts.connect, INTERACTIVE_TIMEOUTS.connect),
        read=min(config.timeouts.read, INTERACTIVE_TIMEOUTS.read),
    )
    return config.model_copy(update={"retry": INTERACTIVE_RETRY, "timeouts": timeouts})
