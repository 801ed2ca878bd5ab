"""Paging strategies as pure functions of (response, count, state), and the page loop."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from connectors.http import JsonResponse, SourceError
from connectors.paging import PageRequest, PaginationConfig, State, build_strategy, iter_pages

CONFIG: TypeAdapter[Any] = TypeAdapter(PaginationConfig)


def strategy(**cfg: Any) -> Any:
    return build_strategy(CONFIG.validate_python(cfg))


def test_page_number_uses_the_page_count_when_given() -> None:
    s = strategy(type="page", size_param="per_page", size=2, total_pages_path="meta.pages")
    assert s.request(None) == PageRequest(params={"page": 1, "per_page": 2})
    assert s.next_state(JsonResponse({"meta": {"pages": 3}}), 2, None) == 2
    assert s.next_state(JsonResponse({"meta": {"pages": 3}}), 2, 3) is None
    assert s.request(2) == PageRequest(params={"page": 2, "per_page": 2})


def test_page_number_without_a_count_stops_only_on_an_empty_page() -> None:
    s = strategy(type="page", size=100, start=0)
    assert s.next_state(JsonResponse([1]), 1, None) == 1  # short page: the server may cap
    assert s.next_state(JsonResponse([]), 0, 1) is None


def test_offset_advances_by_what_came_back() -> None:
    s = strategy(
        type="offset", offset_param="startAt", size_param="maxResults", size=100, total_path="total"
    )
    answer = JsonResponse({"total": 120, "startAt": 0})
    assert s.request(None) == PageRequest(params={"startAt": 0, "maxResults": 100})
    assert s.next_state(answer, 50, None) == 50  # Jira capped maxResults at 50
    assert s.next_state(answer, 50, 50) == 100
    assert s.next_state(answer, 20, 100) is None
    assert s.next_state(JsonResponse({"total": 999}), 0, 100) is None  # never loop on empty


def test_cursor_hubspot_style() -> None:
    s = strategy(
        type="cursor", param="after", token_path="paging.next.after", size_param="limit", size=10
    )
    assert s.request(None) == PageRequest(params={"limit": 10})
    assert s.next_state(JsonResponse({"paging": {"next": {"after": "20"}}}), 10, None) == "20"
    assert s.request("20") == PageRequest(params={"limit": 10, "after": "20"})
    assert s.next_state(JsonResponse({"results": []}), 3, "20") is None


def test_cursor_with_has_more_flag() -> None:
    s = strategy(type="cursor", param="cursor", token_path="meta.next", has_more_path="meta.more")
    assert s.next_state(JsonResponse({"meta": {"next": "c2", "more": True}}), 1, None) == "c2"
    assert s.next_state(JsonResponse({"meta": {"next": "c2", "more": False}}), 1, None) is None


def test_next_url_zendesk_style_with_fallback() -> None:
    s = strategy(
        type="next_url", url_paths=["links.next", "next_page"], has_more_path="meta.has_more"
    )
    cursor = {"meta": {"has_more": True}, "links": {"next": "https://z/api?page[after]=x"}}
    assert s.next_state(JsonResponse(cursor), 1, None) == "https://z/api?page[after]=x"
    done = {"meta": {"has_more": False}, "links": {"next": "https://z/api?page[after]=y"}}
    assert s.next_state(JsonResponse(done), 1, None) is None
    assert (
        s.next_state(JsonResponse({"next_page": "https://z/api?page=3"}), 1, None)
        == "https://z/api?page=3"
    )
    assert s.next_state(JsonResponse({"next_page": None}), 1, None) is None
    assert s.request("https://z/api?page=3") == PageRequest(url="https://z/api?page=3")


def test_link_header() -> None:
    s = strategy(type="link_header", size_param="per_page", size=5)
    assert s.request(None) == PageRequest(params={"per_page": 5})
    assert (
        s.next_state(JsonResponse([], links={"next": "https://a/x?page=2"}), 0, None)
        == "https://a/x?page=2"
    )
    assert s.next_state(JsonResponse([], links={"last": "https://a/x?page=2"}), 0, None) is None


def pages_of(data: list[int], size: int) -> Any:
    """A fetch function over a list, paged by number, counting its calls."""
    calls: list[PageRequest] = []

    def fetch(request: PageRequest) -> tuple[list[Any], JsonResponse]:
        calls.append(request)
        page = request.params["page"]
        items = data[(page - 1) * size : page * size]
        return items, JsonResponse({"items": items, "pages": -(-len(data) // size)})

    return fetch, calls


def test_iter_pages_streams_and_resumes() -> None:
    s = strategy(type="page", size=3, total_pages_path="pages")
    fetch, calls = pages_of(list(range(10)), 3)
    seen = list(iter_pages("src", s, fetch))
    assert [items for items, _ in seen] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert [state for _, state in seen] == [2, 3, 4, None]
    resumed: State | None = seen[1][1]
    fetch2, calls2 = pages_of(list(range(10)), 3)
    assert [items for items, _ in iter_pages("src", s, fetch2, resumed)] == [[6, 7, 8], [9]]
    assert len(calls) == 4 and len(calls2) == 2


def test_iter_pages_is_lazy() -> None:
    s = strategy(type="page", size=3, total_pages_path="pages")
    fetch, calls = pages_of(list(range(100)), 3)
    pages = iter_pages("src", s, fetch)
    next(pages)
    next(pages)
    assert len(calls) == 2  # one page in memory at a time


def test_iter_pages_refuses_a_cursor_that_does_not_move() -> None:
    s = strategy(type="cursor", param="after", token_path="next")

    def fetch(request: PageRequest) -> tuple[list[Any], JsonResponse]:
        return [1], JsonResponse({"next": "same"})

    with pytest.raises(SourceError, match="does not advance"):
        list(iter_pages("src", s, fetch))
