"""A resolver that knows no name but loopback's: socket.getaddrinfo raises the gaierror
asked for, so a host that does not exist (or a resolver that is down) is tried without a
DNS query leaving the machine. Each look-up is counted: one per attempt to connect."""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# What the C library says for each errno (glibc's words; macOS says "nodename nor servname
# provided, or not known" for EAI_NONAME).
NO_SUCH_NAME = (socket.EAI_NONAME, "Name or service not known")
NO_ADDRESS = (getattr(socket, "EAI_NODATA", None), "No address associated with hostname")
TRY_AGAIN = (socket.EAI_AGAIN, "Temporary failure in name resolution")
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


class FakeResolver:
    """socket.getaddrinfo's stand-in: loopback resolves, every other name raises."""

    def __init__(self, errno: int, text: str) -> None:
        self.errno, self.text = errno, text
        self.lookups: Counter[str] = Counter()
        self._real = socket.getaddrinfo

    def __call__(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in LOOPBACK:
            return self._real(host, *args, **kwargs)
        self.lookups[name] += 1
        raise socket.gaierror(self.errno, self.text)


@contextmanager
def unresolvable(errno: int, text: str) -> Iterator[FakeResolver]:
    """Names fail to resolve with `errno` inside the block; yields the resolver (its look-ups)."""
    fake = FakeResolver(errno, text)
    socket.getaddrinfo = fake  # type: ignore[assignment]
    try:
        yield fake
    finally:
        socket.getaddrinfo = fake._real  # type: ignore[assignment]
