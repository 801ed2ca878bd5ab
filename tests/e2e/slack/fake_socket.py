"""A fake Slack Socket Mode endpoint on 127.0.0.1: the WebSocket that apps.connections.open
points at. It greets every connection with `hello`, sends the envelopes a test asks for,
and records every frame the app sends back (the acks).

It runs its own event loop in a thread, as FakeSlack runs its HTTP server in one, so the
app under test and the fake never share a loop.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

# How Slack greets a new connection (debug_info and connection_info as Slack sends them).
HELLO = {
    "type": "hello",
    "num_connections": 1,
    "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
    "connection_info": {"app_id": "A111"},
}


class FakeSocketMode:
    """Start with `with FakeSocketMode() as sm:`; `sm.url` is what apps.connections.open
    answers (FakeSlack adds a ticket to it)."""

    def __init__(self) -> None:
        self.paths: list[str] = []  # the path of every connection, ticket included
        self.received: list[dict[str, Any]] = []  # every JSON frame the app sent
        self._conns: list[ServerConnection] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: Server | None = None
        self.url = ""

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        self._server = self._call(self._start())
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/link/"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            self._call(self._server.wait_closed())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    # --- driving it from a test ---------------------------------------------------------

    def wait_connected(self, count: int = 1, timeout: float = 30.0) -> None:
        """Until `count` connections have been made and the latest one is open."""
        _until(lambda: len(self.paths) >= count and self._open() is not None, timeout, "connect")

    @property
    def connected(self) -> bool:
        return self._open() is not None

    def send(self, frame: dict[str, Any] | str) -> None:
        """One text frame on the latest open connection (a str goes as it is, even broken)."""
        conn = self._open()
        assert conn is not None, "nobody is connected"
        text = frame if isinstance(frame, str) else json.dumps(frame)
        self._call(conn.send(text))

    def envelope(self, kind: str, payload: Any, **extra: Any) -> str:
        """Send `payload` in an envelope of `kind` (slash_commands, interactive, events_api);
        its envelope id, to wait for the ack with."""
        envelope_id = f"env-{next(self._ids):04d}"
        self.send({"envelope_id": envelope_id, "type": kind, "payload": payload, **extra})
        return envelope_id

    def acks(self, envelope_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [f for f in self.received if f.get("envelope_id") == envelope_id]

    def wait_ack(self, envelope_id: str, timeout: float = 15.0) -> dict[str, Any]:
        """The app's answer to that envelope: {"envelope_id": …, "payload": …?}."""
        _until(lambda: self.acks(envelope_id), timeout, f"ack of {envelope_id}")
        return self.acks(envelope_id)[0]

    # --- the server side ----------------------------------------------------------------

    async def _start(self) -> Server:
        return await serve(self._session, "127.0.0.1", 0)

    async def _session(self, conn: ServerConnection) -> None:
        with self._lock:
            self.paths.append(conn.request.path if conn.request else "")
            self._conns.append(conn)
        await conn.send(json.dumps(HELLO))
        try:
            async for message in conn:
                try:
                    frame = json.loads(message)
                except ValueError:
                    frame = {"unparsed": str(message)}
                with self._lock:
                    self.received.append(frame)
        except ConnectionClosed:
            pass

    def _open(self) -> ServerConnection | None:
        with self._lock:
            live = [c for c in self._conns if c.state.name == "OPEN"]
        return live[-1] if live else None

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)


def _until(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)
