"""A fake Telegram Bot API on 127.0.0.1: records calls, answers like Telegram, faults on demand.

PTB posts form fields (non-string values JSON-encoded) or multipart for uploads, to
`/bot<TOKEN>/<method>`; every answer is `{"ok": true, "result": ...}` or an error with
`error_code`, `description` and, for 429, `parameters.retry_after`.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

TOKEN = "123456:TEST-token_for-perfbot"
BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "PerfBot",
    "username": "perf_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Fields PTB JSON-encodes; everything else arrives as the string it was.
JSON_FIELDS = {
    "chat_id", "message_id", "reply_markup", "commands", "allowed_updates", "offset", "limit",
    "timeout", "show_alert", "cache_time", "reply_parameters", "scope", "max_connections",
    "drop_pending_updates", "link_preview_options", "entities", "caption_entities",
}  # fmt: skip
SENDS = {"sendMessage", "sendPhoto"}
GROUP_METHODS = {"getChat", "getChatAdministrators", "getChatMemberCount", "getChatMember"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = 0.0


@dataclass
class Fault:
    method: str
    status: int
    description: str
    retry_after: int | None = None
    times: int = 1


@dataclass
class Group:
    """A group chat the bot is in: its title, administrators, and other members."""

    title: str
    admins: list[dict[str, Any]]  # Telegram User objects
    members: list[dict[str, Any]] = field(default_factory=list)

    def chat(self, chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "type": "supergroup", "title": self.title}


class FakeBotApi:
    """Start with `with FakeBotApi() as api:`; point PTB at `api.base_url`."""

    def __init__(self, token: str = TOKEN, *, per_second: float | None = None) -> None:
        self.token = token
        self.per_second = per_second  # enforce a send rate with 429s, like Telegram
        self.calls: list[Call] = []
        self.blocked: set[int] = set()
        self.groups: dict[int, Group] = {}  # group chats the bot is in, by chat id
        self.webhook_url = ""
        self.rejected = 0  # sends answered with 429
        self._faults: list[Fault] = []
        self._updates: deque[dict[str, Any]] = deque()
        self._window: deque[float] = deque()
        self._next_id = 1000
        self._cond = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_URL is set to."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- what tests look at and inject ------------------------------------------------
    def called(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Block until `count` calls of `method` were recorded (or fail after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len([c for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"{count} x {method} not seen in {timeout}s: {seen}")
                self._cond.wait(left)
            return [c for c in self.calls if c.method == method]

    def mark(self) -> int:
        """A position in the call log, for `wait_call(..., after=mark)`."""
        with self._cond:
            return len(self.calls)

    def wait_call(self, match: Any, *, after: int = 0, timeout: float = 10.0) -> Call:
        """Block until a call after position `after` satisfies `match(call)`; return it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = next((c for c in self.calls[after:] if match(c)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, str(c.params)[:80]) for c in self.calls[after:]]
                    raise AssertionError(f"no matching call in {timeout}s; seen: {seen}")
                self._cond.wait(left)

    def fail(self, method: str, status: int, description: str, **kw: Any) -> None:
        """The next call(s) of `method` fail: 429 with retry_after, 403 blocked, 400 ..."""
        with self._cond:
            self._faults.append(Fault(method, status, description, **kw))

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (long polling)."""
        with self._cond:
            self._updates.append(update)
            self._cond.notify_all()

    def clear(self) -> None:
        with self._cond:
            self.calls.clear()

    # --- the API ------------------------------------------------------------------------
    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._cond:
            for fault in self._faults:
                if fault.method == method and fault.times > 0:
                    fault.times -= 1
                    return _error(fault.status, fault.description, fault.retry_after)
            if method in SENDS:
                chat = params.get("chat_id")
                if chat in self.blocked:
                    return _error(403, "Forbidden: bot was blocked by the user")
                if self.per_second and not self._admit():
                    self.rejected += 1
                    return _error(429, "Too Many Requests: retry after 1", 1)
        try:
            result = self._result(method, params)
        except _ApiError as exc:
            return _error(exc.status, exc.description)
        if result is None:
            return _error(404, "Not Found: method not found")
        return 200, {"ok": True, "result": result}

    def _admit(self) -> bool:
        now = time.monotonic()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) >= (self.per_second or 0):
            return False
        self._window.append(now)
        return True

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in SENDS or method in ("editMessageText", "editMessageReplyMarkup"):
            return self._message(method, params)
        if method == "getUpdates":
            return self._poll(params)
        if method == "getWebhookInfo":
            url = self.webhook_url
            return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}
        if method in GROUP_METHODS:
            return self._group(method, params)
        known = {"answerCallbackQuery", "setMyCommands", "setWebhook", "deleteWebhook", "close"}
        return True if method in known else None

    def _group(self, method: str, params: dict[str, Any]) -> Any:
        """getChat, getChatAdministrators, getChatMemberCount, getChatMember; None: 404."""
        chat_id = int(params.get("chat_id") or 0)
        group = self.groups.get(chat_id)
        if group is None:
            raise _ApiError(400, "Bad Request: chat not found")
        if method == "getChat":
            return {**group.chat(chat_id), "accent_color_id": 0, "max_reaction_count": 11}
        if method == "getChatAdministrators":
            status = iter(["creator", *["administrator"] * len(group.admins)])
            return [_member(u, next(status)) for u in group.admins]
        if method == "getChatMemberCount":
            return len(group.admins) + len(group.members) + 1  # the bot is a member too
        wanted = int(params.get("user_id") or 0)
        for user in group.admins + group.members:
            if user["id"] == wanted:
                return _member(user, "member")
        raise _ApiError(400, "Bad Request: user not found")

    def _message(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            self._next_id += 1
            message_id = params.get("message_id") or self._next_id
        chat_id = params.get("chat_id")
        chat = {"id": chat_id, "type": "private" if int(chat_id or 0) > 0 else "supergroup"}
        msg: dict[str, Any] = {"message_id": message_id, "date": int(time.time()), "chat": chat}
        msg["from"] = BOT_USER
        if "text" in params:
            msg["text"] = params["text"]
        if method == "sendPhoto":
            msg["photo"] = [{"file_id": "p1", "file_unique_id": "u1", "width": 1, "height": 1}]
            msg["caption"] = params.get("caption", "")
        markup = params.get("reply_markup")
        # Telegram echoes only inline keyboards in the sent Message, never force_reply.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        return msg

    def _poll(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        with self._cond:
            while self._updates and self._updates[0]["update_id"] < offset:
                self._updates.popleft()
            while not self._updates and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return list(self._updates)

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as api.telegram.org
            disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                method = self.path[len(prefix) :].split("?", 1)[0]
                params, files = _decode(self.headers.get("Content-Type", ""), body)
                if method != "getUpdates":
                    api._record(Call(method, params, files, time.monotonic()))
                status, answer = api._answer(method, params)
                self._send(status, answer)

            do_GET = do_POST

            def _send(self, status: int, answer: dict[str, Any]) -> None:
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    # A client that stopped polling hung up on its getUpdates: no traceback
                    # on stderr (a later test may be capturing it).
                    pass

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

        return Handler


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # socketserver's default of 5 drops bursts of connections
    daemon_threads = True


def _decode(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Form fields (JSON-decoded where PTB encodes them) and uploaded files."""
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        for part in BytesParser(policy=HTTP).parsebytes(head + body).iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[str(name)] = payload
            else:
                fields[str(name)] = payload.decode()
    elif content_type.startswith("application/json") and body:
        return json.loads(body), {}
    else:
        fields = dict(parse_qsl(body.decode(), keep_blank_values=True))
    params = {k: json.loads(v) if k in JSON_FIELDS else v for k, v in fields.items()}
    return params, files


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        self.status, self.description = status, description


def _member(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember of `status` (administrators carry their rights, as Telegram sends)."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    if status == "administrator":
        rights = ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                  "can_manage_video_chats", "can_restrict_members", "can_promote_members",
                  "can_change_info", "can_invite_users", "can_post_stories",
                  "can_edit_stories", "can_delete_stories")  # fmt: skip
        member.update(dict.fromkeys(rights, False))
    return member


def _error(status: int, description: str, retry_after: int | None = None) -> tuple[int, Any]:
    answer: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        answer["parameters"] = {"retry_after": retry_after}
    return status, answer
