"""Work a chat app starts after acknowledging a request: kept track of, so shutdown (and
tests) can wait for it, and logged when it fails, having nobody to raise to."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class Background:
    """The tasks started by `later`, awaited by `drain`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._tasks: set[asyncio.Task[None]] = set()

    def later(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run `coro` after the current request; a failure is logged."""
        task = asyncio.ensure_future(self._logged(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every task started (also those started meanwhile) has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _logged(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            await coro
        except Exception:  # background work has nobody to raise to; the log has it
            log.exception("%s background task failed", self.name)
