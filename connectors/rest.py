"""The declarative REST connector: a SourceConfig and an HttpClient yield pages of records."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import orjson

from connectors import strings as cs
from connectors.config import SourceConfig
from connectors.http import ClosedOnExit, HttpClient, JsonResponse, SourceError
from connectors.http_config import configured_client
from connectors.mapping import MappingError, RecordMapper, get_path, parse_datetime, render
from connectors.paging import PageRequest, State, build_strategy, iter_pages
from connectors.records import Page, SourceRecord
from said import Said, said_of


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where a sync stands; serialised into Page.checkpoint.

    `page` is the next page of an unfinished run (None: start a new run). `since` is the
    updated-since watermark the run filters on, `high` the newest update seen in it so far.
    """

    page: State | None = None
    since: str | None = None
    high: str | None = None

    def dumps(self) -> str:
        return orjson.dumps(asdict(self)).decode()

    @classmethod
    def loads(cls, text: str | None) -> Checkpoint:
        if not text:
            return cls()
        data = orjson.loads(text)
        if not isinstance(data, dict) or set(data) - {"page", "since", "high"}:
            raise ValueError("not a connector checkpoint")
        return cls(**data)


def render_time(moment: datetime, fmt: str) -> str:
    """A watermark as the source's query wants it."""
    moment = moment.astimezone(UTC)
    if fmt == "epoch_ms":
        return str(int(moment.timestamp() * 1000))
    if fmt == "epoch_s":
        return str(int(moment.timestamp()))
    if fmt == "date":
        return moment.date().isoformat()
    if fmt == "iso":
        return moment.isoformat().replace("+00:00", "Z")
    return moment.strftime(fmt)


class RestConnector(ClosedOnExit):
    """Streams a source's records page by page, and re-fetches single records where possible."""

    def __init__(self, config: SourceConfig, client: HttpClient) -> None:
        self.config = config
        self.client = client
        self.name = config.name
        self._strategy = build_strategy(config.pagination)
        variables = {**config.vars, "base_url": config.base_url}
        tz = ZoneInfo(config.timezone)
        self._mapper = RecordMapper(config.name, config.mapping, variables=variables, tz=tz)

    @classmethod
    def from_config(
        cls,
        config: SourceConfig,
        environ: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        **client_options: Any,
    ) -> RestConnector:
        """Build auth and HTTP client; other options (sleep, random, transport) go to HttpClient."""
        client = configured_client(
            config, environ, where=config.name, clock=clock, **client_options
        )
        return cls(config, client)

    def __repr__(self) -> str:
        return f"RestConnector({self.name!r})"

    def close(self) -> None:
        self.client.close()

    def pages(self, checkpoint: str | None = None) -> Iterator[Page]:
        """Pages from `checkpoint` (None: the start) to the end of the source, one at a time."""
        try:
            start = Checkpoint.loads(checkpoint)
            self._strategy.request(start.page)  # a page number left by another paging type
        except (ValueError, TypeError):
            raise SourceError(self.name, Said(cs.CHECKPOINT_MISFIT)) from None
        incremental = self.config.incremental
        since = start.since or (incremental.initial.isoformat() if incremental else None)
        high = start.high

        def fetch(request: PageRequest) -> tuple[list[Any], JsonResponse]:
            return self._fetch(request, since)

        for items, following in iter_pages(self.name, self._strategy, fetch, start.page):
            records: list[SourceRecord] = []
            rejected: list[tuple[dict[str, Any], str]] = []
            for raw in items:
                high = self._newer(high, raw)
                try:
                    records.extend(self._mapper.map(raw))
                except MappingError as exc:
                    rejected.append((raw, said_of(exc) or str(exc)))  # said again later
            yield Page(records, self._checkpoint(following, since, high), rejected)

    @property
    def can_fetch_one(self) -> bool:
        """Whether the source is configured to answer for a single record (`fetch_one:`)."""
        return self.config.fetch_one is not None

    def fetch_record(self, record_id: str) -> list[SourceRecord] | None:
        """Every metric fact of one record as the source has it now; None when it is gone."""
        spec = self.config.fetch_one
        if spec is None:
            raise SourceError(self.name, Said(cs.NO_FETCH_ONE))
        lookup = self._lookup(None, record_id=quote(str(record_id), safe=""))
        try:
            answer = self.client.request_json(
                spec.method, render(spec.path, lookup), params=render(spec.query, lookup) or None
            )
        except SourceError as exc:
            if exc.status == 404:
                return None
            raise
        raw = get_path(answer.data, spec.records_path, None)
        if raw is None:
            return None
        try:
            return self._mapper.map(raw)
        except MappingError as exc:
            error = Said(cs.UNMAPPABLE_RECORD, record_id=record_id, error=said_of(exc) or str(exc))
            raise SourceError(self.name, error) from None

    def fetch_one(self, record_id: str, metric: str | None = None) -> SourceRecord | None:
        """The record as the source has it now (its `metric` fact, else the first), or None."""
        if not self.can_fetch_one:
            return None
        records = self.fetch_record(record_id) or []
        return next((r for r in records if metric in (None, r.metric)), None)

    def record_id_of(self, raw: Any) -> str | None:
        """The id of a raw (possibly rejected) record, so its stale facts can be voided."""
        return self._mapper.record_id(raw)

    def _lookup(self, since: str | None, *, record_id: str | None = None) -> Any:
        inc = self.config.incremental

        def lookup(name: str) -> Any:
            if name == "since" and inc is not None and since is not None:
                moment = datetime.fromisoformat(since) - timedelta(seconds=inc.lookback_seconds)
                return render_time(moment, inc.format)
            if name == "id" and record_id is not None:
                return record_id
            if name == "base_url":
                return self.config.base_url
            return self.config.vars[name]  # placeholders were checked when loading

        return lookup

    def _fetch(self, request: PageRequest, since: str | None) -> tuple[list[Any], JsonResponse]:
        endpoint, lookup = self.config.endpoint, self._lookup(since)
        query: dict[str, Any] = render(endpoint.query, lookup)
        body: dict[str, Any] | None = render(endpoint.body, lookup)
        url = render(endpoint.path, lookup)
        if request.url:
            if not self.client.same_origin(request.url):
                # never send the source's credentials to a host the configuration did not name
                raise SourceError(self.name, Said(cs.OTHER_HOST))
            url, query = request.url, {}
        if self.config.pagination.location == "body":
            body = {**(body or {}), **request.params}
        else:
            query = {**query, **request.params}
        answer = self.client.request_json(endpoint.method, url, params=query or None, json=body)
        items = get_path(answer.data, self.config.records_path, None)
        if not isinstance(items, list):
            where = self.config.records_path or Said(cs.TOP_LEVEL)
            raise SourceError(self.name, Said(cs.NO_RECORD_LIST, where=where))
        return items, answer

    def _newer(self, high: str | None, raw: Any) -> str | None:
        inc = self.config.incremental
        value = get_path(raw, inc.field, None) if inc else None
        if value is None:
            return high
        try:
            seen = parse_datetime(value, "iso").astimezone(UTC)
        except (ValueError, OverflowError):
            return high
        return seen.isoformat() if high is None or seen > datetime.fromisoformat(high) else high

    def _checkpoint(
        self, following: State | None, since: str | None, high: str | None
    ) -> str | None:
        if following is not None:
            return Checkpoint(page=following, since=since, high=high).dumps()
        if self.config.incremental is None:
            return None  # complete; the next run reads everything again
        return Checkpoint(since=high or since).dumps()
