"""A fake SCIM 2.0 service provider on 127.0.0.1: /Users and /Groups as ListResponses paged
by startIndex/count (capped, as real servers cap), a bearer token, faults on demand."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "scim-secret-token-1"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


@dataclass
class Fault:
    path: str
    status: int
    retry_after: str | None = None
    times: int = 1


class FakeScim:
    """`with FakeScim() as scim:`; `scim.url` is the base URL (…/scim/v2)."""

    def __init__(self, max_page: int = 3) -> None:
        self.users: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.max_page = max_page  # the most a page holds, whatever `count` asks
        self.faults: list[Fault] = []
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.scim = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/scim/v2"

    def __enter__(self) -> FakeScim:
        threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- the directory, as an HR admin changes it -----------------------------------------
    def add(
        self,
        uid: str,
        email: str,
        name: str,
        *,
        manager: str | None = None,
        department: str | None = None,
        division: str | None = "HQ",
        active: bool = True,
        title: str | None = None,
        employee_number: str | None = None,
    ) -> dict[str, Any]:
        ext: dict[str, Any] = {"department": department, "division": division}
        if manager:
            ext["manager"] = {"value": manager, "$ref": f"../Users/{manager}"}
        if employee_number:
            ext["employeeNumber"] = employee_number
        given, _, family = name.partition(" ")
        user = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
            "id": uid,
            "externalId": f"hr-{uid}",
            "userName": email,
            "name": {"givenName": given, "familyName": family},
            "displayName": name,
            "title": title,
            "active": active,
            "emails": [
                {"value": f"private.{email}", "type": "home"},
                {"value": email.upper(), "type": "work", "primary": True},
            ],
            ENTERPRISE: {k: v for k, v in ext.items() if v is not None},
        }
        self.users[uid] = user
        return user

    def group(self, gid: str, name: str, members: list[str]) -> None:
        self.groups[gid] = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "id": gid,
            "displayName": name,
            "members": [{"value": m, "type": "User"} for m in members],
        }

    def set(self, uid: str, **changes: Any) -> None:
        user = self.users[uid]
        for key, value in changes.items():
            if key == "manager":
                user[ENTERPRISE]["manager"] = {"value": value}
            elif key in ("department", "division"):
                user[ENTERPRISE][key] = value
            else:
                user[key] = value

    def fail(self, path: str, status: int, retry_after: str | None = None, times: int = 1) -> None:
        with self.lock:
            self.faults.append(Fault(path, status, retry_after, times))

    def _fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and path.endswith(fault.path):
                    fault.times -= 1
                    return fault
        return None

    def page(self, resources: list[dict[str, Any]], query: dict[str, str]) -> dict[str, Any]:
        start = max(1, int(query.get("startIndex", "1")))
        count = min(int(query.get("count", "100")), self.max_page)
        chunk = resources[start - 1 : start - 1 + count]
        return {
            "schemas": [LIST],
            "totalResults": len(resources),
            "startIndex": start,
            "itemsPerPage": len(chunk),
            "Resources": chunk,
        }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        scim: FakeScim = self.server.scim  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        with scim.lock:
            scim.requests.append(self.path)
        fault = scim._fault(url.path)
        if fault is not None:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return self._send(fault.status, {"detail": "injected", "status": fault.status}, headers)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, {"detail": "bad token", "status": "401"})
        if url.path.endswith("/Users"):
            return self._send(200, scim.page(list(scim.users.values()), query))
        if url.path.endswith("/Groups"):
            return self._send(200, scim.page(list(scim.groups.values()), query))
        self._send(404, {"detail": f"no {url.path}", "status": "404"})

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/scim+json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
