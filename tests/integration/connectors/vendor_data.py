"""Deterministic records in each vendor's documented shape, and the secrets guarding them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

# what the tests put in the environment; every value must stay out of logs and errors
ENV = {
    "HUBSPOT_TOKEN": "hs-secret-token-1234",
    "ZENDESK_USERNAME": "agent@example.com/token",
    "ZENDESK_API_TOKEN": "zd-secret-5678",
    "ERP_API_KEY": "erp-secret-key-9012",
    "JIRA_EMAIL": "bot@example.com",
    "JIRA_API_TOKEN": "jira-secret-3456",
    "ATTENDANCE_CLIENT_ID": "att-client",
    "ATTENDANCE_CLIENT_SECRET": "att-secret-7890",
}
SECRET_VALUES = [v for k, v in ENV.items() if "TOKEN" in k or "SECRET" in k or "KEY" in k]

EMAILS = ["Alice@Example.com", "bob@example.com", "CAROL@example.com", "dave@example.com"]
BASE = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)

# where each collection keeps its last-modified time, bumped when a test changes a record
UPDATED = {
    "deals": ["updatedAt", "properties.hs_lastmodifieddate"],
    "ratings": ["updated_at"],
    "invoices": ["updated_at"],
    "payments": ["updated_at"],
    "issues": ["fields.updated"],
    "leaves": ["updated_at"],
}


def iso_z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def jira_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _amount(rng: random.Random) -> str:
    return f"{rng.randint(100, 99_999)}.{rng.randint(0, 99):02d}"


def generate(seed: int = 7, scale: int = 1) -> dict[str, list[dict[str, Any]]]:
    """Every collection, with a few records each mapping must reject (no owner, no amount)."""
    rng = random.Random(seed)

    def when(i: int) -> datetime:
        return BASE + timedelta(hours=i * 7, minutes=rng.randint(0, 59))

    deals = []
    for i in range(230 * scale):
        stage = "closedwon" if i % 5 else "appointmentscheduled"
        amount = None if i in (7, 61) else _amount(rng)
        owner = None if i in (13, 88) else str(101 + i % 4)
        moment = when(i)
        deals.append(
            {
                "id": str(9000 + i),
                "properties": {
                    "dealname": f"Deal {i}",
                    "amount": amount,
                    "closedate": iso_z(moment),
                    "dealstage": stage,
                    "hubspot_owner_id": owner,
                    "hs_lastmodifieddate": iso_z(moment),
                    "hs_object_id": str(9000 + i),
                },
                "createdAt": iso_z(moment - timedelta(days=3)),
                "updatedAt": iso_z(moment),
                "archived": False,
            }
        )
    ratings = [
        {
            "id": 5000 + i,
            "assignee_id": 201 + i % 4,
            "requester_id": 700 + i,
            "ticket_id": 3000 + i,
            "score": ("good", "good", "bad", "offered")[i % 4 if i % 7 else 0],
            "created_at": iso_z(when(i))[:19] + "Z",
            "updated_at": iso_z(when(i))[:19] + "Z",
            "url": f"https://example.zendesk.com/api/v2/satisfaction_ratings/{5000 + i}.json",
        }
        for i in range(181 * scale)
    ]
    invoices = [
        {
            "id": i + 1,
            "number": f"INV-{i + 1:05d}",
            "customer": f"Customer {i % 17}",
            "salesperson_email": EMAILS[i % 4],
            # some ERPs send JSON numbers, some strings: both must sum exactly
            "amount": _amount(rng) if i % 3 else float(_amount(rng)),
            "currency": "CNY",
            "issued_on": (BASE + timedelta(days=i % 90)).date().isoformat(),
            "status": "void" if i % 11 == 0 else ("paid" if i % 2 else "open"),
            "updated_at": iso_z(when(i)),
        }
        for i in range(157 * scale)
    ]
    payments = [
        {
            "id": i + 1,
            "invoice_id": i + 1,
            "salesperson_email": EMAILS[i % 4],
            "amount": _amount(rng),
            "paid_on": (BASE + timedelta(days=i % 90)).date().isoformat(),
            "status": "reversed" if i % 13 == 0 else "completed",
            "updated_at": iso_z(when(i)),
        }
        for i in range(121 * scale)
    ]
    issues = []
    for i in range(143 * scale):
        done = i % 9 != 0
        assignee = (
            None if i in (5, 50) else {"accountId": f"acc-{i % 4}", "emailAddress": EMAILS[i % 4]}
        )
        issues.append(
            {
                "id": str(10000 + i),
                "key": f"PRJ-{i + 1}",
                "self": f"https://example.atlassian.net/rest/api/3/issue/{10000 + i}",
                "fields": {
                    "assignee": assignee,
                    "issuetype": {"name": ("Story", "Task", "Bug")[i % 3]},
                    "status": {
                        "name": "Done" if done else "In Progress",
                        "statusCategory": {"key": "done" if done else "indeterminate"},
                    },
                    "resolutiondate": jira_time(when(i)) if done else None,
                    "updated": jira_time(when(i)),
                },
            }
        )
    leaves = [
        {
            "id": i + 1,
            "employee_email": EMAILS[i % 4],
            "date": (BASE + timedelta(days=i)).date().isoformat(),
            "days": ("0.5", 1, 2, "1.5")[i % 4],
            "status": ("approved", "approved", "pending", "cancelled", "approved")[i % 5],
            "updated_at": iso_z(when(i)),
        }
        for i in range(97 * scale)
    ]
    return {
        "deals": deals,
        "ratings": ratings,
        "invoices": invoices,
        "payments": payments,
        "issues": issues,
        "leaves": leaves,
    }
