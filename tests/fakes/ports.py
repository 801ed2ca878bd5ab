"""A loopback port for a test server, or for a source that must refuse every connection."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago: bound, then closed, so nothing
    listens there until a test starts something on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
