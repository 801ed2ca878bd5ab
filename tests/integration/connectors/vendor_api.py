"""Each vendor's list and single-record endpoints over in-memory data, as their docs shape them."""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

Answer = tuple[int, Any, dict[str, str]]


@dataclass(frozen=True)
class Req:
    """The parts of a request the fake APIs read."""

    query: dict[str, str]
    body: Any
    host: str


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("/", "-")).astimezone(UTC)


class VendorApis:
    """HubSpot search, Zendesk ratings, ERP invoices/payments, Jira search, attendance leaves."""

    data: dict[str, list[dict[str, Any]]]

    def hubspot_search(self, req: Req) -> Answer:
        body = req.body
        filters = {f["propertyName"]: f for g in body.get("filterGroups", []) for f in g["filters"]}
        stage = filters.get("dealstage", {}).get("value")
        since_ms = int(filters.get("hs_lastmodifieddate", {}).get("value") or 0)
        rows = [
            d
            for d in self.data["deals"]
            if not d["archived"]
            and stage in (None, d["properties"]["dealstage"])
            and _parse_time(d["updatedAt"]).timestamp() * 1000 >= since_ms
        ]
        rows.sort(key=lambda d: (d["updatedAt"], d["id"]))
        limit, after = min(int(body.get("limit", 10)), 200), int(body.get("after") or 0)
        answer: dict[str, Any] = {"total": len(rows), "results": rows[after : after + limit]}
        if after + limit < len(rows):
            answer["paging"] = {"next": {"after": str(after + limit), "link": "?after="}}
        return 200, answer, {}

    def zendesk_list(self, req: Req) -> Answer:
        query, host = req.query, req.host
        rows = sorted(self.data["ratings"], key=lambda r: r["id"])
        base = f"http://{host}/api/v2/satisfaction_ratings"
        if "page[size]" in query or "page[after]" in query:
            size = min(int(query.get("page[size]", 100)), 100)
            start = (
                int(base64.urlsafe_b64decode(query["page[after]"])[1:])
                if "page[after]" in query
                else 0
            )
            more = start + size < len(rows)
            token = base64.urlsafe_b64encode(f"i{start + size}".encode()).decode()
            following = f"{base}?{urlencode({'page[size]': size, 'page[after]': token})}"
            return (
                200,
                {
                    "satisfaction_ratings": rows[start : start + size],
                    "meta": {"has_more": more, "after_cursor": token if more else None},
                    "links": {"next": following if more else None, "prev": None},
                },
                {},
            )
        page, per_page = int(query.get("page", 1)), min(int(query.get("per_page", 100)), 100)
        more = page * per_page < len(rows)
        following = f"{base}?{urlencode({'page': page + 1, 'per_page': per_page})}"
        return (
            200,
            {
                "satisfaction_ratings": rows[(page - 1) * per_page : page * per_page],
                "next_page": following if more else None,
                "previous_page": None,
                "count": len(rows),
            },
            {},
        )

    def erp_list(self, req: Req, kind: str) -> Answer:
        query = req.query
        since = _parse_time(query.get("updated_since") or "1970-01-01T00:00:00Z")
        rows = [r for r in self.data[kind] if _parse_time(r["updated_at"]) >= since]
        rows.sort(key=lambda r: (r["updated_at"], r["id"]))
        page, per_page = int(query.get("page", 1)), min(int(query.get("per_page", 25)), 100)
        pages = max(1, math.ceil(len(rows) / per_page))
        meta = {"page": page, "pages": pages, "per_page": per_page, "total": len(rows)}
        return 200, {"data": rows[(page - 1) * per_page : page * per_page], "meta": meta}, {}

    def jira_search(self, req: Req) -> Answer:
        query = req.query
        jql = query.get("jql", "")
        since = re.search(r'updated >= "(\d{4}/\d\d/\d\d \d\d:\d\d)"', jql)
        rows = [
            i
            for i in self.data["issues"]
            if ("statusCategory = Done" not in jql or i["fields"]["status"]["name"] == "Done")
            and (not since or _parse_time(i["fields"]["updated"]) >= _parse_time(since[1] + "Z"))
        ]
        rows.sort(key=lambda i: (i["fields"]["updated"], i["id"]))
        start, size = int(query.get("startAt", 0)), min(int(query.get("maxResults", 50)), 50)
        return (
            200,
            {
                "expand": "schema,names",
                "startAt": start,
                "maxResults": size,
                "total": len(rows),
                "issues": rows[start : start + size],
            },
            {},
        )

    def leaves_list(self, req: Req) -> Answer:
        query, host = req.query, req.host
        rows = sorted(self.data["leaves"], key=lambda r: r["id"])
        page, per_page = int(query.get("page", 1)), min(int(query.get("per_page", 30)), 100)
        last = max(1, math.ceil(len(rows) / per_page))
        link = f"http://{host}/api/leaves?per_page={per_page}&page="
        rels = [f'<{link}{last}>; rel="last"', f'<{link}1>; rel="first"']
        if page < last:
            rels.insert(0, f'<{link}{page + 1}>; rel="next"')
        body = rows[(page - 1) * per_page : page * per_page]
        return 200, body, {"Link": ", ".join(rels)}

    def deal(self, req: Req, record_id: str) -> Answer:
        return self.one("deals", record_id, None)

    def rating(self, req: Req, record_id: str) -> Answer:
        return self.one("ratings", record_id, "satisfaction_rating")

    def erp_one(self, req: Req, kind: str, record_id: str) -> Answer:
        return self.one(kind, record_id, "data")

    def issue(self, req: Req, record_id: str) -> Answer:
        return self.one("issues", record_id, None)

    def leave(self, req: Req, record_id: str) -> Answer:
        return self.one("leaves", record_id, None)

    def one(self, collection: str, record_id: str, wrap: str | None) -> Answer:
        found = [r for r in self.data[collection] if str(r["id"]) == record_id]
        if not found:
            return 404, {"error": "not found"}, {}
        return 200, {wrap: found[0]} if wrap else found[0], {}
