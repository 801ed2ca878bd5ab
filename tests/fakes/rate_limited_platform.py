"""A fake chat platform on loopback for the webhook deliverer: it enforces a rate limit
the way Telegram does (a 429 with Retry-After, and every call refused until it passes),
can be told to throttle at a chosen message, and records what it accepted."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakePlatform:
    """`with FakePlatform(per_second=30) as fake:` ... `fake.url`, `fake.accepted`."""

    def __init__(
        self, per_second: float = 30.0, *, throttle_at: int | None = None, pause: float = 2.0
    ) -> None:
        self.per_second, self.throttle_at, self.pause = per_second, throttle_at, pause
        self.accepted: list[tuple[str, str, float]] = []  # (recipient, title, time)
        self.refused = 0  # 429s answered
        self.throttled = threading.Event()  # set once the scripted 429 went out
        self._window: deque[float] = deque()
        self._paused_until = 0.0
        self._scripted_done = False
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real platforms do

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, payload, retry, scripted = fake._decide(body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if retry:
                    self.send_header("Retry-After", str(retry))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                if scripted:  # the 429 is out: now the test may act (e.g. kill the sender)
                    fake.throttled.set()

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # the default 5 dropped concurrent connects (1 s stalls)

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/messages"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _decide(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], int | None, bool]:
        now = time.monotonic()
        with self._lock:
            while self._window and now - self._window[0] >= 1.0:
                self._window.popleft()
            scripted = self.throttle_at is not None and len(self.accepted) == self.throttle_at
            scripted = scripted and not self._scripted_done
            if scripted:
                self._scripted_done = True
                self._paused_until = now + self.pause
            if now < self._paused_until or len(self._window) >= self.per_second:
                self.refused += 1
                wait = (
                    max(1, round(self._paused_until - now + 0.5)) if now < self._paused_until else 1
                )
                return 429, {"ok": False, "retry_after": wait}, wait, scripted
            self._window.append(now)
            to = body["to"].get("email") or body["to"].get("channel") or "?"
            self.accepted.append((to, body["card"]["title"], now))
            return 200, {"ok": True, "id": f"m{len(self.accepted)}"}, None, False

    def counts(self) -> Counter[tuple[str, str]]:
        with self._lock:
            return Counter((to, title) for to, title, _ in self.accepted)

    def __enter__(self) -> FakePlatform:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve(per_second: float, port: int = 0) -> None:
    """Run on its own (`python -m tests.fakes.rate_limited_platform 30`), so its clock and
    threads don't share a GIL with the sender: prints its URL, then serves until killed;
    GET /stats answers {"accepted": [[to, title, t], ...], "refused": n}."""
    import sys

    fake = FakePlatform(per_second)
    handler = fake._server.RequestHandlerClass

    def do_get(self: BaseHTTPRequestHandler) -> None:
        with fake._lock:
            data = json.dumps({"accepted": fake.accepted, "refused": fake.refused}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    handler.do_GET = do_get  # type: ignore[attr-defined]
    print(fake.url, flush=True)
    sys.stdout.flush()
    fake._server.serve_forever()


if __name__ == "__main__":
    import sys

    serve(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)
