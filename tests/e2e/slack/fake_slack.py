"""A fake Slack Web API on 127.0.0.1 that records every call and answers as Slack documents.

Also the `response_url` endpoint (POST /response/<id>) and the file upload URL
(POST /upload/<file id>) that files_upload_v2 sends the bytes to.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-1-A111-1-test"  # app-level token: Socket Mode's apps.connections.open


@dataclass
class Call:
    method: str  # "chat.postMessage", "response", "upload"
    params: dict[str, Any]
    path: str = ""


@dataclass
class Forced:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """Start with `with FakeSlack() as fake:`; `fake.api_url` is the SLACK_API_URL."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}  # user id -> users.info `user`
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.forced: dict[str, list[Forced]] = {}
        self.socket_url = ""  # a FakeSocketMode's url: apps.connections.open hands it out
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = self.url + "/api/"

    def __enter__(self) -> FakeSlack:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_user(self, user_id: str, email: str | None, name: str = "", **fields: Any) -> None:
        """A member; `fields` are more of users.list's keys (real_name, tz, is_bot, deleted,
        profile: merged into the profile)."""
        profile = {"email": email} if email else {}
        profile.update(fields.pop("profile", {}))
        user = {"id": user_id, "name": name or user_id.lower(), "profile": profile, **fields}
        self.users[user_id] = user

    def force(self, method: str, status: int, body: dict[str, Any], **headers: str) -> None:
        """The next call of `method` gets this answer (e.g. a 429 with Retry-After)."""
        self.forced.setdefault(method, []).append(Forced(status, body, headers))

    def of(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0) -> list[dict[str, Any]]:
        """The calls of `method` once there are `count` of them (background work is async)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"expected {count} {method} call(s), got {self.of(method)}")

    def response_url(self, key: str = "r1") -> str:
        return f"{self.url}/response/{key}"

    # --- answers ------------------------------------------------------------------------

    def open_connection(self, auth: str) -> dict[str, Any]:
        """apps.connections.open: only for the app-level token, as Slack does."""
        if not auth.endswith(APP_TOKEN):
            error = "not_allowed_token_type" if auth.endswith(TOKEN) else "invalid_auth"
            return {"ok": False, "error": error}
        if not self.socket_url:
            return {"ok": False, "error": "internal_error"}
        return {"ok": True, "url": f"{self.socket_url}?ticket=t{next(self._ts)}"}

    def users_page(self, p: dict[str, Any]) -> dict[str, Any]:
        """users.list: `limit` members from the opaque `cursor` on, and the next cursor."""
        users = list(self.users.values())
        start = int(str(p.get("cursor") or "0").removeprefix("dXNlcjo"))
        end = start + int(p.get("limit") or 100)
        cursor = f"dXNlcjo{end}" if end < len(users) else ""
        return {
            "ok": True,
            "members": users[start:end],
            "cache_ts": 1700000000,
            "response_metadata": {"next_cursor": cursor},
        }

    def answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://acme.slack.com/",
                "team": "Acme",
                "user": "perfbot",
                "team_id": "T111",
                "user_id": "U0BOT",
                "bot_id": "B0BOT",
            }
        if method == "users.info":
            user = self.users.get(str(p.get("user")))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            # Slack gives the user's `locale` only when asked (include_locale=true).
            asked = str(p.get("include_locale", "")).lower() in ("true", "1")
            return {"ok": True, "user": {k: v for k, v in user.items() if k != "locale" or asked}}
        if method == "users.list":
            return self.users_page(p)
        if method == "users.lookupByEmail":
            email = str(p.get("email", "")).lower()
            for user in self.users.values():
                if str(user["profile"].get("email", "")).lower() == email:
                    return {"ok": True, "user": user}
            return {"ok": False, "error": "users_not_found"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(p.get("users", "")).split(",")[0]}}
        if method == "chat.postMessage":
            ts = f"1700000100.{next(self._ts):06d}"
            msg = {"ts": ts, "text": p.get("text"), "blocks": _json(p.get("blocks"))}
            self.messages[(str(p.get("channel")), ts)] = msg
            return {"ok": True, "channel": p.get("channel"), "ts": ts, "message": msg}
        if method == "chat.update":
            return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}
        if method == "conversations.history":
            msg = self.messages.get((str(p.get("channel")), str(p.get("latest"))))
            return {"ok": True, "messages": [msg] if msg else []}
        if method in ("views.open", "views.push", "views.publish", "views.update"):
            return {"ok": True, "view": {"id": "V" + str(next(self._ts)), **_json(p.get("view"))}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = _json(p.get("files")) or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": False, "error": "unknown_method"}


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _handler(fake: FakeSlack) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._handle(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._handle(self.rfile.read(length))

        def _handle(self, raw: bytes) -> None:
            url = urlsplit(self.path)
            params: dict[str, Any] = {k: v[0] for k, v in parse_qs(url.query).items()}
            ctype = self.headers.get("Content-Type", "")
            if url.path.startswith("/upload/"):
                call = Call("upload", {"size": len(raw), "file": url.path.rsplit("/", 1)[1]})
                fake.calls.append(call)
                return self._send(200, b"OK - %d" % len(raw), "text/plain")
            if "json" in ctype:
                params.update(json.loads(raw or b"{}"))
            elif raw:
                params.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
            if url.path.startswith("/response/"):
                with fake._lock:
                    fake.calls.append(Call("response", params, url.path))
                return self._send(200, b"ok", "text/plain")
            method = url.path.removeprefix("/api/")
            params["_auth"] = self.headers.get("Authorization", "")
            with fake._lock:
                fake.calls.append(Call(method, params, url.path))
                forced = fake.forced.get(method)
                canned = forced.pop(0) if forced else None
            if canned is not None:
                body = json.dumps(canned.body).encode()
                return self._send(canned.status, body, "application/json", canned.headers)
            if method == "apps.connections.open":
                answer = fake.open_connection(params["_auth"])
            elif params["_auth"].endswith(TOKEN):
                answer = fake.answer(method, params)
            else:
                answer = {"ok": False, "error": "invalid_auth"}
            self._send(200, json.dumps(answer).encode(), "application/json")

        def _send(
            self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

    return Handler
