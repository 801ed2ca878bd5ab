"""The demo's source records in each product's documented API shape (what the presets read).

HubSpot deals, Zendesk satisfaction ratings and solved tickets, ERP invoices, payments,
production orders and quality inspections, Jira issues, attendance shifts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.demo.data import DemoRecord

COLLECTIONS = (
    "deals",
    "ratings",
    "tickets",
    "invoices",
    "payments",
    "production",
    "inspections",
    "issues",
    "shifts",
)


def _stamp(r: DemoRecord) -> str:
    # noon in Shanghai: the same calendar day in UTC, where the demo sources keep time
    return f"{r.day.isoformat()}T04:00:00Z"


def _erp(r: DemoRecord, person: str, day_field: str, amount_field: str) -> dict[str, Any]:
    return {
        "id": r.record_id,
        person: r.email,
        day_field: r.day.isoformat(),
        amount_field: str(r.value),
        "status": "open",
        "updated_at": _stamp(r),
    }


def collections(records: Iterable[tuple[DemoRecord, str | None]]) -> dict[str, list[Any]]:
    """Every collection the demo source server serves, from (record, owner's external id)."""
    out: dict[str, list[Any]] = {name: [] for name in COLLECTIONS}
    shifts: dict[str, dict[str, Any]] = {}
    for r, external in records:
        m = r.metric
        if m == "sales_amount":
            out["deals"].append(_deal(r, external))
        elif m in ("csat_good", "csat_bad"):
            out["ratings"].append(
                {
                    "id": r.record_id,
                    "assignee_id": external,
                    "ticket_id": r.record_id.replace("CSAT-", "T-"),
                    "score": "good" if m == "csat_good" else "bad",
                    "created_at": _stamp(r),
                    "updated_at": _stamp(r),
                }
            )
        elif m == "tickets_solved":
            ticket = {"id": r.record_id, "assignee_id": external, "status": "solved"}
            out["tickets"].append(ticket | {"updated_at": _stamp(r)})
        elif m == "invoiced":
            out["invoices"].append(_erp(r, "salesperson_email", "issued_on", "amount"))
        elif m == "collected":
            payment = _erp(r, "salesperson_email", "paid_on", "amount")
            out["payments"].append(payment | {"status": "completed"})
        elif m == "output_units":
            out["production"].append(_erp(r, "operator_email", "completed_on", "units"))
        elif m == "defects":
            out["inspections"].append(_erp(r, "operator_email", "inspected_on", "defects"))
        elif m in ("tasks_done", "bugs"):
            out["issues"].append(_issue(r))
        elif m == "shifts":
            shifts[r.record_id] = {
                "id": r.record_id,
                "employee_email": r.email,
                "date": r.day.isoformat(),
                "status": "approved",
                "on_time": False,
                "updated_at": _stamp(r),
            }
        elif m == "shifts_on_time":  # the punctuality of the shift with the same number
            shifts[r.record_id.replace("OT-", "SH-", 1)]["on_time"] = True
    out["shifts"] = list(shifts.values())
    return out


def _deal(r: DemoRecord, owner: str | None) -> dict[str, Any]:
    return {
        "id": r.record_id,
        "properties": {
            "dealname": f"Deal {r.record_id}",
            "amount": str(r.value),
            "closedate": f"{r.day.isoformat()}T04:00:00.000Z",
            "dealstage": "closedwon",
            "hubspot_owner_id": owner,
            "hs_lastmodifieddate": _stamp(r),
        },
        "createdAt": _stamp(r),
        "updatedAt": _stamp(r),
        "archived": False,
    }


def _issue(r: DemoRecord) -> dict[str, Any]:
    return {
        "id": r.record_id,
        "key": r.record_id,
        "fields": {
            "assignee": {"emailAddress": r.email},
            "issuetype": {"name": "Bug" if r.metric == "bugs" else "Task"},
            "status": {"name": "Done", "statusCategory": {"key": "done"}},
            "resolutiondate": f"{r.day.isoformat()}T12:00:00.000+0800",
            "updated": f"{r.day.isoformat()}T12:00:00.000+0800",
        },
    }
