"""The webhook deliverer against a real HTTP server on loopback: answers to DeliveryError."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.delivery import DeliveryError, Target
from bot.webhook.deliver import WebhookDeliverer
from handlers.cards import Button, Card

ANA = Target(5, "ana@x.example", "Ana", identities={"slack": "U1"})
CARD = Card("Nudge", lines=("behind",), buttons=(Button("Open", "sc", "5"),))


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    answers: list[tuple[int, dict[str, str], bytes]] = []
    seen: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(
                {"body": json.loads(self.rfile.read(int(self.headers["Content-Length"]))),
                 "auth": self.headers.get("Authorization")}
            )  # fmt: skip
            status, headers, body = answers.pop(0)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/hook", answers, seen
    srv.shutdown()
    srv.server_close()


def send(url: str, **kw: object) -> str:
    return asyncio.run(WebhookDeliverer(url, timeout=2, **kw).deliver(ANA, CARD))  # type: ignore[arg-type]


def test_success_posts_card_text_and_recipient(server):
    url, answers, seen = server
    answers.append((200, {"Content-Type": "application/json"}, b'{"id": "m-1"}'))
    assert send(url, token="s3cret") == "m-1"
    body = seen[0]["body"]
    assert body["to"]["email"] == "ana@x.example" and body["card"]["title"] == "Nudge"  # type: ignore[index]
    assert "[sc:5] Open" in body["text"] and seen[0]["auth"] == "Bearer s3cret"  # type: ignore[index]


@pytest.mark.parametrize(
    ("status", "headers", "body", "expect"),
    [
        (429, {"Retry-After": "7"}, b"{}", {"retry_after": 7.0}),
        (429, {}, b'{"retry_after": 3}', {"retry_after": 3.0}),
        (429, {"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}, b"", {"retry_after": 1.0}),
        (410, {}, b"gone", {"unreachable": True}),
        (400, {}, b"bad", {"permanent": True}),
        (503, {}, b"busy", {"permanent": False, "unreachable": False, "retry_after": None}),
    ],
)
def test_answers_map_onto_delivery_errors(server, status, headers, body, expect):
    url, answers, _ = server
    answers.append((status, headers, body))
    with pytest.raises(DeliveryError) as err:
        send(url)
    for name, value in expect.items():
        assert getattr(err.value, name) == value


def test_connection_refused_is_retried_not_fatal():
    with pytest.raises(DeliveryError) as err:
        send("http://127.0.0.1:9/hook")
    assert not err.value.permanent and err.value.retry_after is None
