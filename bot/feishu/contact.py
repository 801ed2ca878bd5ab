"""The organisation as Feishu's contact v3 API lists it: every department under the root
(`departments/0/children` with fetch_child, so one paged listing walks the whole tree) and
each department's direct users (`users/find_by_department`), ids as open_ids throughout."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from lark_oapi.api.contact.v3 import (
    ChildrenDepartmentRequest,
    ChildrenDepartmentResponse,
    Department,
    FindByDepartmentUserRequest,
    FindByDepartmentUserResponse,
    User,
)

from bot.feishu.api import FeishuApi, FeishuError

ROOT = "0"  # the root department's id, in every department_id_type
PAGE = 50  # the largest page_size both listings accept
USER_ID_TYPE = "open_id"  # leaders and users as open_ids: the org file's `chat: {feishu: ...}`
DEPARTMENT_ID_TYPE = "open_department_id"  # the ids a department's users name it by
RATE_LIMIT_TRIES = 5  # a rate-limited page is asked again after its reset, this many times
MAX_WAIT = 60.0  # seconds: a longer reset is cut to this


async def departments(api: FeishuApi) -> list[Department]:
    """Every department under the root, at any depth (deleted ones left out)."""
    listed = _pages(api, _children, ChildrenDepartmentResponse)
    return [d async for d in listed if not (d.status is not None and d.status.is_deleted)]


async def users(api: FeishuApi, department_id: str) -> list[User]:
    """The department's direct users (the root's: people in no department)."""
    listed = _pages(
        api, lambda token: _find_by_department(department_id, token), FindByDepartmentUserResponse
    )
    return [u async for u in listed]


def _children(token: str | None) -> ChildrenDepartmentRequest:
    req = (
        ChildrenDepartmentRequest.builder()
        .department_id(ROOT)
        .user_id_type(USER_ID_TYPE)
        .department_id_type(DEPARTMENT_ID_TYPE)
        # the SDK writes str(True), "True"; the API documents true
        .fetch_child("true")
        .page_size(PAGE)
    )
    return (req.page_token(token) if token else req).build()


def _find_by_department(department_id: str, token: str | None) -> FindByDepartmentUserRequest:
    req = (
        FindByDepartmentUserRequest.builder()
        .department_id(department_id)
        .user_id_type(USER_ID_TYPE)
        .department_id_type(DEPARTMENT_ID_TYPE)
        .page_size(PAGE)
    )
    return (req.page_token(token) if token else req).build()


async def _pages(
    api: FeishuApi, request: Callable[[str | None], Any], kind: type
) -> AsyncIterator[Any]:
    """The items of every page, following page_token while has_more says there are more."""
    token: str | None = None
    while True:
        data = (await _call(api, request(token), kind)).data
        for item in getattr(data, "items", None) or ():
            yield item
        token = getattr(data, "page_token", None)
        if not getattr(data, "has_more", False) or not token:
            return


async def _call(api: FeishuApi, req: Any, kind: type) -> Any:
    """One page; a rate limit (429, code 99991400) waits its x-ogw-ratelimit-reset."""
    for attempt in range(1, RATE_LIMIT_TRIES + 1):
        try:
            return await api.request(req, kind)
        except FeishuError as exc:
            if exc.retry_after is None or attempt == RATE_LIMIT_TRIES:
                raise
            await asyncio.sleep(min(exc.retry_after, MAX_WAIT))
    raise AssertionError("unreachable")  # pragma: no cover
