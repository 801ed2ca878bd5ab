"""Pagination strategies: page number, offset, cursor, next URL, Link header; resumable state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from connectors import strings as cs
from connectors.http import JsonResponse, SourceError
from connectors.mapping import get_path
from said import Said

State = int | str  # JSON-serialisable position of the next page


class _Paging(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
    )
    size_param: str | None = None
    size: int = Field(100, ge=1, le=10_000)
    location: Literal["query", "body"] = Field("query", alias="in")


class PageNumberPaging(_Paging):
    type: Literal["page"]
    page_param: str = "page"
    start: int = Field(1, ge=0)
    total_pages_path: str | None = None


class OffsetPaging(_Paging):
    type: Literal["offset"]
    offset_param: str = "offset"
    total_path: str | None = None


class CursorPaging(_Paging):
    type: Literal["cursor"]
    param: str = "cursor"
    token_path: str
    has_more_path: str | None = None


class NextUrlPaging(_Paging):
    type: Literal["next_url"]
    url_paths: list[str] = Field(min_length=1)
    has_more_path: str | None = None


class LinkHeaderPaging(_Paging):
    type: Literal["link_header"]


class NoPaging(_Paging):
    type: Literal["none"]


PaginationConfig = Annotated[
    PageNumberPaging | OffsetPaging | CursorPaging | NextUrlPaging | LinkHeaderPaging | NoPaging,
    Field(discriminator="type"),
]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """What to change in the endpoint's request to get one page."""

    url: str | None = None  # an absolute next-page URL: replaces the endpoint's path and query
    params: dict[str, Any] = field(default_factory=dict)  # merged into the query or the body


class Strategy(Protocol):
    def request(self, state: State | None) -> PageRequest:
        """The request for the page at `state` (None: the first page)."""
        ...

    def next_state(self, response: JsonResponse, count: int, state: State | None) -> State | None:
        """The state of the page after this one, or None when this was the last."""
        ...


def _size(cfg: _Paging) -> dict[str, Any]:
    return {cfg.size_param: cfg.size} if cfg.size_param else {}


def _count(response: JsonResponse, path: str | None) -> int | None:
    """A total (pages or records) from the answer; None when absent or not a number."""
    value = get_path(response.data, path, None) if path else None
    try:
        return None if value is None or isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        return None  # then only an empty page ends the sync: slower, never short


@dataclass(frozen=True)
class PageNumber:
    cfg: PageNumberPaging

    def request(self, state: State | None) -> PageRequest:
        page = self.cfg.start if state is None else int(state)
        return PageRequest(params={self.cfg.page_param: page, **_size(self.cfg)})

    def next_state(self, response: JsonResponse, count: int, state: State | None) -> State | None:
        page = self.cfg.start if state is None else int(state)
        pages = _count(response, self.cfg.total_pages_path)
        if count == 0 or (pages is not None and page - self.cfg.start + 1 >= pages):
            return None
        # without a page count, only an empty page ends: servers may cap the page size
        return page + 1


@dataclass(frozen=True)
class Offset:
    cfg: OffsetPaging

    def request(self, state: State | None) -> PageRequest:
        offset = 0 if state is None else int(state)
        return PageRequest(params={self.cfg.offset_param: offset, **_size(self.cfg)})

    def next_state(self, response: JsonResponse, count: int, state: State | None) -> State | None:
        # advance by what came back: Jira may return fewer than maxResults
        after = (0 if state is None else int(state)) + count
        total = _count(response, self.cfg.total_path)
        if count == 0 or (total is not None and after >= total):
            return None
        return after


def _more(data: Any, path: str | None) -> bool:
    return path is None or get_path(data, path, None) is not False


@dataclass(frozen=True)
class Cursor:
    cfg: CursorPaging

    def request(self, state: State | None) -> PageRequest:
        cursor = {} if state is None else {self.cfg.param: state}
        return PageRequest(params={**_size(self.cfg), **cursor})

    def next_state(self, response: JsonResponse, count: int, state: State | None) -> State | None:
        token = get_path(response.data, self.cfg.token_path, None)
        if not _more(response.data, self.cfg.has_more_path) or token in (None, ""):
            return None
        return str(token)


class _FollowsUrl:
    """Paging by the URL each page gives for the next; the first page asks with the size."""

    cfg: NextUrlPaging | LinkHeaderPaging

    def request(self, state: State | None) -> PageRequest:
        return PageRequest(url=str(state)) if state else PageRequest(params=_size(self.cfg))


@dataclass(frozen=True)
class NextUrl(_FollowsUrl):
    cfg: NextUrlPaging

    def next_state(self, response: JsonResponse, count: int, state: State | None) -> State | None:
        if not _more(response.data, self.cfg.has_more_path):
            return None
        urls = (get_path(response.data, p, None) for p in self.cfg.url_paths)
        return next((str(u) for u in urls if u), None)


@dataclass(frozen=True)
class LinkHeader(_FollowsUrl):
    cfg: LinkHeaderPaging

    def next_state(self, response: JsonResponse, count: int, state: State | None) -> State | None:
        return response.links.get("next")


@dataclass(frozen=True)
class Single:
    cfg: NoPaging

    def request(self, state: State | None) -> PageRequest:
        return PageRequest(params=_size(self.cfg))

    def next_state(self, response: JsonResponse, count: int, state: State | None) -> State | None:
        return None


def build_strategy(cfg: _Paging) -> Strategy:
    """The strategy object for a pagination section."""
    kinds: dict[type, Callable[[Any], Strategy]] = {
        PageNumberPaging: PageNumber,
        OffsetPaging: Offset,
        CursorPaging: Cursor,
        NextUrlPaging: NextUrl,
        LinkHeaderPaging: LinkHeader,
        NoPaging: Single,
    }
    return kinds[type(cfg)](cfg)


def iter_pages(
    source: str,
    strategy: Strategy,
    fetch: Callable[[PageRequest], tuple[list[Any], JsonResponse]],
    state: State | None = None,
) -> Iterator[tuple[list[Any], State | None]]:
    """Yield (items, state of the next page) one page at a time, from `state` onwards."""
    while True:
        items, response = fetch(strategy.request(state))
        following = strategy.next_state(response, len(items), state)
        if following is not None and following == state:
            raise SourceError(source, Said(cs.PAGING_STUCK, state=state))
        yield items, following
        if following is None:
            return
        state = following
