"""A fake Feishu Open API on 127.0.0.1: records calls, answers like Feishu, faults on demand.

Every answer is `{"code": 0, "msg": "success", "data": ...}` or an error code; a rate
limit is HTTP 429 with code 99991400 and the `x-ogw-ratelimit-reset` header (the
frequency-control page of the Open API docs). Calls need a tenant_access_token this fake
issued; `expire_tokens()` makes Feishu forget them (code 99991663), as after two hours.
An image upload (im/v1/images) is a multipart form: its parts are kept in `Call.parts`,
and an image_key is answered. `delays` holds up the answers to some paths (a slow upload).
The contact directory: `departments` (the tree under root "0") and `users` listed through
`departments/:id/children` (fetch_child) and `users/find_by_department`, paged by
page_token/has_more, ids as open_id and open_department_id only (anything else is refused
as Feishu refuses a bad parameter, code 99992402).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

APP_ID = "cli_a5fb0ae6a4test"
APP_SECRET = "perfbot-test-secret"
BOT_OPEN_ID = "ou_bot000000000000000000000000001"


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    at: float = 0.0
    # A multipart form's parts: name -> (filename or None, content type or None, bytes).
    parts: dict[str, tuple[str | None, str | None, bytes]] = field(default_factory=dict)

    @property
    def card(self) -> dict[str, Any]:
        """The card a send, reply or patch carried (its `content` decoded)."""
        content = self.body.get("content")
        return json.loads(content) if isinstance(content, str) else {}

    @property
    def texts(self) -> list[str]:
        """Every plain text of the card: its title, then its elements' texts, in order."""
        card = self.card
        out = [str(card.get("header", {}).get("title", {}).get("content", ""))]
        out += _texts(card.get("body", {}).get("elements", []))
        return out


@dataclass
class Fault:
    path: str  # a substring of the request path
    status: int
    code: int
    msg: str = "fault"
    reset: str | None = None  # x-ogw-ratelimit-reset
    times: int = 1


@dataclass
class FakeFeishu:
    """Start with `with FakeFeishu() as api:`; point FEISHU_API_URL at `api.base_url`."""

    app_id: str = APP_ID
    app_secret: str = APP_SECRET
    # open_id -> {"name", "email", "enterprise_email", "mobile", "department_ids" (default
    # ["0"], the root), "leader_user_id", "status", "time_zone", "job_title", ...}
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    # open_department_id -> {"name", "parent_department_id" ("0": top level), "leader_user_id"}
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    # A substring of a request path -> seconds to wait before answering it (a slow Feishu).
    delays: dict[str, float] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    issued: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next: int = 0

    def __enter__(self) -> FakeFeishu:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                fake._serve(self, "GET")

            def do_POST(self) -> None:
                fake._serve(self, "POST")

            def do_PATCH(self) -> None:
                fake._serve(self, "PATCH")

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def called(self, path: str = "", method: str = "") -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if path in c.path and (not method or c.method == method) and "auth/v3" not in c.path
            ]

    def sent(self) -> list[Call]:
        """Messages sent or replied (not patches)."""
        return [c for c in self.called("/im/v1/messages", "POST")]

    def fail(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    # --- the server side -----------------------------------------------------------------

    def _serve(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("content-length") or 0)
        raw = h.rfile.read(length) if length else b""
        kind = h.headers.get("content-type") or ""
        form = _multipart(kind, raw) if kind.startswith("multipart/form-data") else {}
        try:
            body = json.loads(raw) if raw and not form else {}
        except ValueError:
            body = {}
        call = Call(method, parts.path, dict(parse_qsl(parts.query)), body, time.monotonic())
        call.parts = form
        with self._lock:
            self.calls.append(call)
            delay = next((s for p, s in self.delays.items() if p in parts.path), 0.0)
            fault = next((f for f in self.faults if f.path in parts.path), None)
            if fault is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
        if delay:
            time.sleep(delay)
        if fault is not None:
            headers = {"x-ogw-ratelimit-reset": fault.reset} if fault.reset else {}
            self._reply(h, fault.status, {"code": fault.code, "msg": fault.msg}, headers)
            return
        if parts.path == "/callback/ws/endpoint":  # the long connection's handshake: refused
            self._reply(h, 200, {"code": 1000040345, "msg": "the fake has no long connection"})
            return
        if parts.path == "/open-apis/auth/v3/tenant_access_token/internal":
            self._reply(h, 200, self._token(body))
            return
        given = (h.headers.get("authorization") or "").removeprefix("Bearer ")
        with self._lock:
            known = given in self.tokens
        if not known:
            self._reply(h, 400, {"code": 99991663, "msg": "Invalid access token for authorization"})
            return
        status, answer = self._route(method, parts.path, call)
        self._reply(h, status, answer)

    def _token(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("app_id") != self.app_id or body.get("app_secret") != self.app_secret:
            return {"code": 10014, "msg": "app secret invalid"}
        with self._lock:
            self.issued += 1
            token = f"t-fake{self.issued:06d}"
            self.tokens.add(token)
        return {"code": 0, "msg": "ok", "tenant_access_token": token, "expire": 7200}

    def _route(self, method: str, path: str, call: Call) -> tuple[int, dict[str, Any]]:
        if path == "/open-apis/bot/v3/info":
            return 200, {
                "code": 0,
                "msg": "ok",
                "bot": {"open_id": BOT_OPEN_ID, "app_name": "perfbot"},
            }
        if path == "/open-apis/im/v1/messages" and method == "POST":
            receive_id = str(call.body.get("receive_id", ""))
            person = call.query.get("receive_id_type") == "open_id"
            return 200, self._message(f"oc_p2p_{receive_id}" if person else receive_id)
        if path.startswith("/open-apis/im/v1/messages/") and path.endswith("/reply"):
            return 200, self._message("")
        if path.startswith("/open-apis/im/v1/messages/") and method == "PATCH":
            return 200, {"code": 0, "msg": "success", "data": {}}
        if path.startswith("/open-apis/contact/v3/departments/") and path.endswith("/children"):
            return self._children(path.split("/")[-2], call.query)
        if path == "/open-apis/contact/v3/users/find_by_department":
            return self._find_by_department(call.query)
        if path == "/open-apis/contact/v3/users/batch_get_id":
            return 200, {"code": 0, "msg": "success", "data": {"user_list": self._ids(call)}}
        if path == "/open-apis/im/v1/images" and method == "POST":
            return self._image(call)
        if path.startswith("/open-apis/contact/v3/users/"):
            open_id = path.rsplit("/", 1)[1]
            user = self.users.get(open_id)
            if user is None:
                return 400, {"code": 41050, "msg": "no user authority error"}
            return 200, {
                "code": 0,
                "msg": "success",
                "data": {"user": {"open_id": open_id, **user}},
            }
        return 404, {"code": 404, "msg": f"no such path {path}"}

    def _ids(self, call: Call) -> list[dict[str, Any]]:
        """batch_get_id's user_list: one entry per e-mail and mobile asked, a user_id only for
        those found. Feishu stores a mainland mobile as +86…; it may be asked without +86."""
        by_email = {u.get("email"): oid for oid, u in self.users.items()}
        by_mobile = {u.get("mobile"): oid for oid, u in self.users.items() if u.get("mobile")}
        found = [
            {"email": e, **({"user_id": by_email[e]} if e in by_email else {})}
            for e in call.body.get("emails", [])
        ]
        for m in call.body.get("mobiles", []):
            oid = by_mobile.get(m) or by_mobile.get(f"+86{m}")
            found.append({"mobile": m, **({"user_id": oid} if oid else {})})
        return found

    def _image(self, call: Call) -> tuple[int, dict[str, Any]]:
        """POST /open-apis/im/v1/images: a multipart form with image_type=message and the
        image (at most 10 MB, not empty) -> an image_key."""
        image_type = call.parts.get("image_type", (None, None, b""))[2]
        image = call.parts.get("image")
        if image_type != b"message" or image is None or not image[2]:
            return 400, {"code": 234001, "msg": "Invalid request param."}
        if len(image[2]) > 10 * 1024 * 1024:
            return 400, {"code": 234006, "msg": "The file size exceed the max value."}
        with self._lock:
            self._next += 1
            key = f"img_v3_fake{self._next:06d}"
        return 200, {"code": 0, "msg": "success", "data": {"image_key": key}}

    def _children(self, parent: str, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Sub-departments of `parent`: direct ones, or every descendant with fetch_child."""
        refused = _bad_ids(query)
        if refused is not None:
            return refused
        recursive, found, level = query.get("fetch_child") == "true", [], [parent]
        while level:
            level = [d for d, v in self.departments.items() if v["parent_department_id"] in level]
            found += level
            if not recursive:
                break
        items = [
            {"open_department_id": d, "department_id": d, "status": {"is_deleted": False}}
            | self.departments[d]
            for d in found
        ]
        return _page(items, query)

    def _find_by_department(self, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """The users whose department_ids hold the department (root "0" by default)."""
        refused = _bad_ids(query)
        if refused is not None:
            return refused
        dept = query.get("department_id", "")
        items = [
            {"open_id": oid, "union_id": f"on_{oid}", **u}
            for oid, u in self.users.items()
            if dept in u.get("department_ids", ["0"])
        ]
        return _page(items, query)

    def _message(self, receive_id: str) -> dict[str, Any]:
        with self._lock:
            self._next += 1
            message_id = f"om_fake{self._next:06d}"
        return {
            "code": 0,
            "msg": "success",
            "data": {"message_id": message_id, "chat_id": receive_id},
        }

    @staticmethod
    def _reply(
        h: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("content-type", "application/json; charset=utf-8")
        h.send_header("content-length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024  # a burst of sends (the SDK opens a connection per call)


def _multipart(content_type: str, raw: bytes) -> dict[str, tuple[str | None, str | None, bytes]]:
    """The parts of a multipart/form-data body (the standard library's e-mail parser)."""
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
    )
    parts: dict[str, tuple[str | None, str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            parts[name] = (part.get_filename(), part.get("content-type"), data)
    return parts


def _bad_ids(query: dict[str, str]) -> tuple[int, dict[str, Any]] | None:
    """Feishu's answer to ids of another type or a page too large (this fake knows only
    open_id and open_department_id; both listings take at most 50 a page)."""
    size = query.get("page_size", "10")
    if (
        query.get("user_id_type") != "open_id"
        or query.get("department_id_type") != "open_department_id"
        or not size.isdigit()
        or not 1 <= int(size) <= 50
    ):
        return 400, {"code": 99992402, "msg": "field validation failed"}
    return None


def _page(items: list[dict[str, Any]], query: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """One page of `items` from the page_token (an offset here; opaque to callers)."""
    start, size = int(query.get("page_token") or 0), int(query.get("page_size", "10"))
    more = start + size < len(items)
    data: dict[str, Any] = {"has_more": more, "items": items[start : start + size]}
    if more:
        data["page_token"] = str(start + size)
    return 200, {"code": 0, "msg": "success", "data": data}


def _texts(elements: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for e in elements:
        text = e.get("text")
        if isinstance(text, dict) and e.get("tag") != "button":
            out.append(str(text.get("content", "")))
        if isinstance(e.get("elements"), list):
            out += _texts(e["elements"])
    return out
