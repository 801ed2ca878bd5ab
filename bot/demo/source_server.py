"""A local sample source server for the demo: the demo company's records served on
127.0.0.1 (an ephemeral port, a thread of the demo process) in each product's API shape,
so the demo's figures arrive through the same connectors, paging and auth as real ones."""

from __future__ import annotations

import base64
import json
import math
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

Answer = tuple[int, Any, dict[str, str]]
TOKEN = "demo-attendance-token"
# Single-record endpoints (the presets' `fetch_one:`): path prefix -> (collection, wrapper key)
SINGLE = {
    "/crm/v3/objects/deals/": ("deals", None),
    "/api/v2/satisfaction_ratings/": ("ratings", "satisfaction_rating"),
    "/api/v2/tickets/": ("tickets", "ticket"),
    "/api/invoices/": ("invoices", "data"),
    "/api/payments/": ("payments", "data"),
    "/api/production_orders/": ("production", "data"),
    "/api/quality_inspections/": ("inspections", "data"),
    "/rest/api/3/issue/": ("issues", None),
    "/api/shifts/": ("shifts", None),
}


class DemoSourceServer:
    """Serves `collections` (see bot/demo/vendor_shapes.py) until stopped."""

    def __init__(self, collections: dict[str, list[Any]], environ: dict[str, str]) -> None:
        self.data, self.env = collections, environ
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.demo = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> DemoSourceServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- each product's list endpoint ---------------------------------------------------
    def hubspot(self, query: dict[str, str], body: Any, host: str) -> Answer:
        rows, limit = self.data["deals"], min(int(body.get("limit", 10)), 200)
        after = int(body.get("after") or 0)
        answer: dict[str, Any] = {"total": len(rows), "results": rows[after : after + limit]}
        if after + limit < len(rows):
            answer["paging"] = {"next": {"after": str(after + limit)}}
        return 200, answer, {}

    def zendesk_ratings(self, query: dict[str, str], body: Any, host: str) -> Answer:
        rows, size = self.data["ratings"], min(int(query.get("page[size]", 100)), 100)
        start = int(base64.urlsafe_b64decode(query["page[after]"])) if "page[after]" in query else 0
        more = start + size < len(rows)
        token = base64.urlsafe_b64encode(str(start + size).encode()).decode()
        following = f"http://{host}/api/v2/satisfaction_ratings?" + urlencode(
            {"page[size]": size, "page[after]": token}
        )
        return (
            200,
            {
                "satisfaction_ratings": rows[start : start + size],
                "meta": {"has_more": more, "after_cursor": token if more else None},
                "links": {"next": following if more else None},
            },
            {},
        )

    def zendesk_search(self, query: dict[str, str], body: Any, host: str) -> Answer:
        rows = self.data["tickets"]
        page, size = int(query.get("page", 1)), min(int(query.get("per_page", 100)), 100)
        more = page * size < len(rows)
        following = f"http://{host}/api/v2/search.json?" + urlencode(
            {"query": query.get("query", ""), "per_page": size, "page": page + 1}
        )
        return (
            200,
            {
                "results": rows[(page - 1) * size : page * size],
                "next_page": following if more else None,
                "count": len(rows),
            },
            {},
        )

    def erp(self, collection: str) -> Callable[[dict[str, str], Any, str], Answer]:
        def answer(query: dict[str, str], body: Any, host: str) -> Answer:
            rows = self.data[collection]
            page, size = int(query.get("page", 1)), min(int(query.get("per_page", 25)), 100)
            meta = {
                "page": page,
                "pages": max(1, math.ceil(len(rows) / size)),
                "per_page": size,
                "total": len(rows),
            }
            return 200, {"data": rows[(page - 1) * size : page * size], "meta": meta}, {}

        return answer

    def jira(self, query: dict[str, str], body: Any, host: str) -> Answer:
        rows = self.data["issues"]
        start, size = int(query.get("startAt", 0)), min(int(query.get("maxResults", 50)), 100)
        return (
            200,
            {
                "startAt": start,
                "maxResults": size,
                "total": len(rows),
                "issues": rows[start : start + size],
            },
            {},
        )

    def shifts(self, query: dict[str, str], body: Any, host: str) -> Answer:
        rows = self.data["shifts"]
        page, size = int(query.get("page", 1)), min(int(query.get("per_page", 30)), 100)
        last = max(1, math.ceil(len(rows) / size))
        link = f"http://{host}/api/shifts?per_page={size}&page="
        rels = [f'<{link}{last}>; rel="last"'] + (
            [f'<{link}{page + 1}>; rel="next"'] if page < last else []
        )
        return 200, rows[(page - 1) * size : page * size], {"Link": ", ".join(rels)}

    def token(self, form: dict[str, str], authorization: str) -> Answer:
        pair = (form.get("client_id"), form.get("client_secret"))
        if authorization.startswith("Basic "):  # client credentials may come either way
            user, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
            pair = (user, password)
        if pair != (self.env["ATTENDANCE_CLIENT_ID"], self.env["ATTENDANCE_CLIENT_SECRET"]):
            return 401, {"error": "invalid_client"}, {}
        return 200, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}, {}

    def authorised(self, path: str, headers: Any) -> bool:
        auth, env = str(headers.get("Authorization", "")), self.env
        if path.startswith("/crm/"):
            return auth == f"Bearer {env['HUBSPOT_TOKEN']}"
        if path.startswith("/api/v2/"):
            return auth == _basic(env["ZENDESK_USERNAME"], env["ZENDESK_API_TOKEN"])
        if path.startswith("/rest/"):
            return auth == _basic(env["JIRA_EMAIL"], env["JIRA_API_TOKEN"])
        if path == "/api/shifts" or path.startswith("/api/shifts/"):
            return auth == f"Bearer {TOKEN}"
        return str(headers.get("X-API-Key")) == env["ERP_API_KEY"]

    def one(self, collection: str, record_id: str, wrapper: str | None) -> Answer:
        """One record by id (Jira also by key), as the product's single-record API returns it."""
        for row in self.data[collection]:
            if record_id in (str(row.get("id")), str(row.get("key"))):
                return 200, {wrapper: row} if wrapper else row, {}
        return 404, {"error": f"no {collection} record {record_id}"}, {}

    def route(self, method: str, path: str) -> Callable[[dict[str, str], Any, str], Answer] | None:
        single = next(
            ((path.removeprefix(prefix), *where) for prefix, where in SINGLE.items()
             if method == "GET" and path.startswith(prefix)),
            None,
        )  # fmt: skip
        if single and single[0] and "/" not in single[0]:
            record_id, collection, wrapper = single
            return lambda query, body, host: self.one(collection, record_id, wrapper)
        return {
            ("POST", "/crm/v3/objects/deals/search"): self.hubspot,
            ("GET", "/api/v2/satisfaction_ratings"): self.zendesk_ratings,
            ("GET", "/api/v2/search.json"): self.zendesk_search,
            ("GET", "/api/invoices"): self.erp("invoices"),
            ("GET", "/api/payments"): self.erp("payments"),
            ("GET", "/api/production_orders"): self.erp("production"),
            ("GET", "/api/quality_inspections"): self.erp("inspections"),
            ("GET", "/rest/api/3/search"): self.jira,
            ("GET", "/api/shifts"): self.shifts,
        }.get((method, path))


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        demo: DemoSourceServer = self.server.demo  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if method == "POST" and url.path == "/oauth/token":
            form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
            auth = str(self.headers.get("Authorization", ""))
            status, body, headers = demo.token(form, auth)
        elif (answer := demo.route(method, url.path)) is None:
            status, body, headers = 404, {"error": f"no route {method} {url.path}"}, {}
        elif not demo.authorised(url.path, self.headers):
            status, body, headers = 401, {"error": "unauthorized"}, {}
        else:
            status, body, headers = answer(
                query, json.loads(raw) if raw else {}, self.headers["Host"]
            )
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
