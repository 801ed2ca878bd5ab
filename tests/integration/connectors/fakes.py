"""A fake vendor server on 127.0.0.1: each preset's API shape over real HTTP, faults on demand."""

from __future__ import annotations

import base64
import json
import re
import secrets
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.integration.connectors.vendor_api import Answer, Req, VendorApis
from tests.integration.connectors.vendor_data import ENV, UPDATED, generate, iso_z


@dataclass
class Fault:
    """What to do instead of (or to) the next matching answer."""

    kind: str  # status | slow | reset | truncated | malformed
    path: str = ""  # request path prefix it applies to
    skip: int = 0  # matching requests to let through first
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0


def _set(record: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        record = record[part]
    record[last] = value


class FakeVendor(VendorApis):
    """Serves generated data as HubSpot, Zendesk, a generic ERP, Jira and an attendance API."""

    def __init__(self, seed: int = 7, scale: int = 1) -> None:
        self.data = generate(seed, scale)
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self.token_ttl = 3600.0
        self.tokens: dict[str, float] = {}
        self.token_requests = 0
        self.lock = threading.Lock()
        self._stamp = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.vendor = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeVendor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def inject(self, kind: str, path: str = "", **options: Any) -> None:
        with self.lock:
            self.faults.append(Fault(kind, path, **options))

    def take_fault(self, path: str) -> Fault | None:
        """The fault for this request, if any; faults for one path take turns, in order."""
        with self.lock:
            pending = [f for f in self.faults if f.times > 0 and path.startswith(f.path)]
            if not pending:
                return None
            fault = pending[0]
            if fault.skip:
                fault.skip -= 1
                return None
            fault.times -= 1
            return fault

    def update(self, collection: str, record_id: Any, changes: dict[str, Any]) -> None:
        """Change a record at the source as a user would; its last-modified time moves on."""
        self._stamp += 1
        moment = datetime(2025, 6, 1, tzinfo=UTC).replace(second=self._stamp % 60)
        record = next(r for r in self.data[collection] if str(r["id"]) == str(record_id))
        for path, value in changes.items():
            _set(record, path, value)
        for path in UPDATED[collection]:
            _set(record, path, iso_z(moment))
        if collection == "issues":
            _set(record, "fields.updated", moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000"))

    def revoke_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    # --- auth ---------------------------------------------------------------------------
    def authorised(self, family: str, headers: Message) -> bool:
        auth = str(headers.get("Authorization", ""))
        if family == "hubspot":
            return auth == f"Bearer {ENV['HUBSPOT_TOKEN']}"
        if family in ("zendesk", "jira"):
            user, pw = {
                "zendesk": ("ZENDESK_USERNAME", "ZENDESK_API_TOKEN"),
                "jira": ("JIRA_EMAIL", "JIRA_API_TOKEN"),
            }[family]
            pair = f"{ENV[user]}:{ENV[pw]}".encode()
            return auth == "Basic " + base64.b64encode(pair).decode()
        if family == "erp":
            return bool(headers.get("X-API-Key") == ENV["ERP_API_KEY"])
        token = auth.removeprefix("Bearer ")
        with self.lock:
            return self.tokens.get(token, 0) > time.monotonic()

    def issue_token(self, headers: Any, form: dict[str, str]) -> Answer:
        self.token_requests += 1
        creds = (form.get("client_id"), form.get("client_secret"))
        if headers.get("Authorization", "").startswith("Basic "):
            raw = base64.b64decode(headers["Authorization"][6:]).decode()
            creds = tuple(raw.split(":", 1))  # type: ignore[assignment]
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}, {}
        if creds != (ENV["ATTENDANCE_CLIENT_ID"], ENV["ATTENDANCE_CLIENT_SECRET"]):
            return 401, {"error": "invalid_client"}, {}
        token = "att-token-" + secrets.token_hex(8)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_ttl
        body = {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}
        return 200, body, {}


ROUTES = [  # method, path, auth family, FakeVendor method answering it
    ("POST", r"/crm/v3/objects/deals/search", "hubspot", "hubspot_search"),
    ("GET", r"/crm/v3/objects/deals/(\w+)", "hubspot", "deal"),
    ("GET", r"/api/v2/satisfaction_ratings", "zendesk", "zendesk_list"),
    ("GET", r"/api/v2/satisfaction_ratings/(\d+)", "zendesk", "rating"),
    ("GET", r"/api/(invoices|payments)", "erp", "erp_list"),
    ("GET", r"/api/(invoices|payments)/(\d+)", "erp", "erp_one"),
    ("GET", r"/rest/api/3/search", "jira", "jira_search"),
    ("GET", r"/rest/api/3/issue/(\w+)", "jira", "issue"),
    ("GET", r"/api/leaves", "leaves", "leaves_list"),
    ("GET", r"/api/leaves/(\d+)", "leaves", "leave"),
]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so resets also hit pooled connections
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError, OSError, ValueError):
            self.close_connection = True  # the client gave up (read timeout) first

    def _serve(self, method: str) -> None:
        vendor: FakeVendor = self.server.vendor  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with vendor.lock:
            vendor.requests.append((method, self.path))
        fault = vendor.take_fault(url.path)
        if fault and fault.kind == "reset":
            return self._reset()
        if fault and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault and fault.kind == "status":
            extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return self._send(fault.status, {"error": "injected"}, extra, None)
        status, body, headers = self._route(vendor, method, url.path, query, raw)
        self._send(status, body, headers, fault.kind if fault else None)

    def _route(self, vendor: FakeVendor, method: str, path: str, query: Any, raw: bytes) -> Answer:
        if method == "POST" and path == "/oauth/token":
            form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
            return vendor.issue_token(self.headers, form)
        for verb, pattern, family, answer in ROUTES:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                if not vendor.authorised(family, self.headers):
                    # echo what was received, as careless APIs do: the client must scrub it
                    received = self.headers.get("Authorization") or self.headers.get("X-API-Key")
                    return 401, {"error": "unauthorized", "received": received}, {}
                req = Req(query, json.loads(raw) if raw else {}, self.headers["Host"])
                api: Callable[..., Answer] = getattr(vendor, answer)
                return api(req, *match.groups())
        return 404, {"error": f"no route {method} {path}"}, {}

    def _send(self, status: int, body: Any, headers: dict[str, str], fault: str | None) -> None:
        data = json.dumps(body).encode()
        if fault == "malformed":
            data = data[: len(data) // 2]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))  # truncated: promised, not sent
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if fault == "truncated":
            self.wfile.write(data[: len(data) // 2])
            self.connection.shutdown(socket.SHUT_WR)  # a clean FIN, mid-body
            self.close_connection = True
            return
        self.wfile.write(data)

    def _reset(self) -> None:
        # SO_LINGER 0: close sends RST instead of FIN, like a crashed proxy
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True
