"""RestConnector on a MockTransport: requests it builds, checkpoints it emits, what it refuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from connectors.config import ConfigError, parse_sources
from connectors.http import HttpClient, SourceError
from connectors.rest import Checkpoint, RestConnector, render_time

ROWS = [
    {
        "id": i,
        "who": "a@x.com",
        "day": f"2024-05-0{i % 9 + 1}",
        "n": i,
        "mod": f"2024-06-0{i}T00:00:00Z",
    }
    for i in range(1, 6)
]


def source(**overrides: Any) -> dict[str, Any]:
    entry = {
        "name": "tiny",
        "base_url": "https://api.example.com",
        "endpoint": {"path": "/rows"},
        "pagination": {"type": "page", "size_param": "per", "size": 2},
        "records_path": "rows",
        "mapping": {
            "record_id": "id",
            "employee": "who",
            "date": "day",
            "metric": "m",
            "value": "n",
        },
    }
    return entry | overrides


def connector(
    handler: Callable[[httpx.Request], httpx.Response], **overrides: Any
) -> RestConnector:
    [config] = parse_sources([source(**overrides)])
    http = HttpClient(
        config.name, config.base_url, transport=httpx.MockTransport(handler), sleep=lambda s: None
    )
    return RestConnector(config, http)


def paged(request: httpx.Request) -> httpx.Response:
    page, per = int(request.url.params["page"]), int(request.url.params["per"])
    return httpx.Response(200, json={"rows": ROWS[(page - 1) * per : page * per]})


def test_pages_and_checkpoints_for_a_full_sync_source() -> None:
    pages = list(connector(paged).pages())
    assert [len(p.records) for p in pages] == [2, 2, 1, 0]
    assert [Checkpoint.loads(p.checkpoint).page for p in pages[:-1]] == [2, 3, 4]
    assert pages[-1].checkpoint is None  # complete: the next run reads everything again


def test_incremental_watermark_and_query_rendering() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return paged(request)

    inc = {"field": "mod", "format": "epoch_ms", "lookback_seconds": 60}
    c = connector(
        handler, incremental=inc, endpoint={"path": "/rows", "query": {"since": "{since}"}}
    )
    pages = list(c.pages())
    assert seen[0].url.params["since"] == "-60000"  # 1970 minus the lookback
    final = Checkpoint.loads(pages[-1].checkpoint)
    assert final == Checkpoint(page=None, since="2024-06-05T00:00:00+00:00", high=None)
    mid = Checkpoint.loads(pages[0].checkpoint)
    assert mid.page == 2 and mid.high == "2024-06-02T00:00:00+00:00"
    seen.clear()
    list(c.pages(pages[-1].checkpoint))
    assert seen[0].url.params["since"] == str(1717545600000 - 60000)


def test_body_paging_and_templates_for_post_search() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        after = int(bodies[-1].get("after", 0))
        nxt = {"paging": {"next": {"after": str(after + 2)}}} if after + 2 < len(ROWS) else {}
        return httpx.Response(200, json={"rows": ROWS[after : after + 2], **nxt})

    c = connector(
        handler,
        endpoint={"method": "POST", "path": "/search", "body": {"filters": [{"gte": "{since}"}]}},
        incremental={"field": "mod", "format": "%Y/%m/%d %H:%M"},
        pagination={
            "type": "cursor",
            "in": "body",
            "param": "after",
            "token_path": "paging.next.after",
            "size_param": "limit",
            "size": 2,
        },
    )
    records = [r for p in c.pages() for r in p.records]
    assert len(records) == 5
    assert bodies[0] == {"filters": [{"gte": "1970/01/01 00:00"}], "limit": 2}
    assert bodies[1]["after"] == "2"


def test_refuses_a_next_link_to_another_host() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"rows": ROWS[:1], "next": "https://collector.evil.example/rows?p=2"}
        )

    c = connector(handler, pagination={"type": "next_url", "url_paths": ["next"]})
    with pytest.raises(SourceError, match="another host"):
        list(c.pages())


def test_an_answer_without_the_records_list_is_an_error() -> None:
    c = connector(lambda r: httpx.Response(200, json={"error": "maintenance"}))
    with pytest.raises(SourceError, match="no list of records at rows"):
        list(c.pages())


def test_unmappable_records_are_kept_with_reasons() -> None:
    rows = [ROWS[0], {"id": 9, "who": None, "day": "2024-05-01", "n": 1}]
    c = connector(lambda r: httpx.Response(200, json={"rows": rows}), pagination={"type": "none"})
    [page] = list(c.pages())
    assert len(page.records) == 1
    assert page.rejected == [(rows[1], "no employee at who")]
    assert c.record_id_of(rows[1]) == "9"


def test_fetch_one() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/rows/3":
            return httpx.Response(200, json={"row": ROWS[2]})
        if request.url.path == "/rows/4":
            return httpx.Response(200, json={"row": {"id": 4}})
        return httpx.Response(404, json={})

    assert connector(handler).fetch_one("3") is None  # no fetch_one configured
    c = connector(handler, fetch_one={"path": "/rows/{id}", "records_path": "row"})
    one = c.fetch_one("3", "m")
    assert one is not None and one.record_id == "3" and one.value == 3
    assert c.fetch_one("3", "other") is None
    assert c.fetch_one("nope/../x") is None  # ids are URL-quoted, never paths
    with pytest.raises(SourceError, match="record 4 cannot be mapped"):
        c.fetch_one("4")


def test_from_config_reports_a_missing_secret() -> None:
    [config] = parse_sources([source(auth={"type": "bearer", "token_env": "TINY_TOKEN"})])
    with pytest.raises(ConfigError, match="TINY_TOKEN is not set"):
        RestConnector.from_config(config, environ={})


def test_a_checkpoint_from_another_paging_type_is_refused() -> None:
    stale = Checkpoint(page="https://api.example.com/rows?cursor=abc").dumps()
    with pytest.raises(SourceError, match="checkpoint does not fit"):
        list(connector(paged).pages(stale))


def test_checkpoint_round_trip_and_refusal() -> None:
    mark = Checkpoint(page="cursor-xyz", since="2024-01-01T00:00:00+00:00", high=None)
    assert Checkpoint.loads(mark.dumps()) == mark
    assert Checkpoint.loads(None) == Checkpoint()
    with pytest.raises(ValueError):
        Checkpoint.loads('{"cursor": 1}')


def test_render_time_formats() -> None:
    moment = datetime(2024, 3, 1, 10, 30, tzinfo=UTC)
    assert render_time(moment, "iso") == "2024-03-01T10:30:00Z"
    assert render_time(moment, "epoch_s") == "1709289000"
    assert render_time(moment, "date") == "2024-03-01"
