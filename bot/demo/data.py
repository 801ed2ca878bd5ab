"""The demo company's source records, as the business systems would hold them.

Deterministic per person and period: some people ahead, some behind. The same records
feed the demo's local source server, so the demo's figures arrive through connectors.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from scoring.pace import business_days

# Monthly per-person targets by scorecard, for the goals the cascade proposes.
TARGETS: dict[str, dict[str, Decimal]] = {
    "sales_rep": {
        "sales_amount": Decimal(1_000_000),
        "csat": Decimal(90),
        "collection_rate": Decimal(95),
    },
    "engineer": {"tasks_done": Decimal(12), "bug_rate": Decimal(5)},
    "support_agent": {"csat": Decimal(92), "tickets_solved": Decimal(120)},
    "production_worker": {
        "output_units": Decimal(4000),
        "defect_rate": Decimal(2),
        "attendance_rate": Decimal(96),
    },
}
LINKS = {
    "crm": "https://crm.acme.example/deals/{id}",
    "helpdesk": "https://help.acme.example/tickets/{id}",
    "erp": "https://erp.acme.example/docs/{id}",
    "jira": "https://acme.atlassian.example/browse/{id}",
    "attendance": "https://hr.acme.example/shifts/{id}",
}


@dataclass(frozen=True)
class DemoRecord:
    source: str
    record_id: str
    metric: str
    value: Decimal
    day: date
    email: str

    @property
    def link(self) -> str:
        return LINKS[self.source].format(id=self.record_id)


def level_of(email: str) -> float:
    """A stable performance level per person, 0.55-1.25 of target."""
    return 0.55 + random.Random(email).random() * 0.7


def records(
    email: str, scorecard: str, start: date, end: date, today: date
) -> Iterator[DemoRecord]:
    """Every source record of one person in one period, up to `today`."""
    last = min(end, today)
    if last < start:
        return
    rnd = random.Random(f"{email}/{start.isoformat()}")
    level = level_of(email) + rnd.uniform(-0.08, 0.08)
    # Cumulative figures grow with the working days gone, as the pace they are judged by does.
    share = business_days(start, last) / max(1, business_days(start, end))
    tag = email.split("@")[0].replace(".", "")[:10].upper() + start.strftime("%y%m")

    def days(n: int) -> list[date]:
        span = (last - start).days
        return sorted(start + timedelta(days=rnd.randint(0, span)) for _ in range(n))

    def rec(source: str, kind: str, i: int, metric: str, value: object, day: date) -> DemoRecord:
        return DemoRecord(source, f"{kind}-{tag}-{i:03d}", metric, Decimal(str(value)), day, email)

    if scorecard == "sales_rep":
        total = round(1_000_000 * level * share, -2)
        n = max(1, rnd.randint(2, 6))
        cuts = sorted(rnd.sample(range(1, 100), n - 1)) if n > 1 else []
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
        for i, (pct, day) in enumerate(zip(parts, days(n), strict=True)):
            yield rec("crm", "D", i, "sales_amount", round(total * pct / 100, 2), day)
        yield from _ratings(rec, rnd, days(20), 0.80 + 0.15 * min(level, 1.1))
        for i, day in enumerate(days(4)):
            amount = rnd.randint(50, 300) * 1000
            yield rec("erp", "INV", i, "invoiced", amount, day)
            yield rec(
                "erp", "PAY", i, "collected", round(amount * min(1.0, 0.8 + 0.17 * level), 2), day
            )
    elif scorecard == "engineer":
        done = round(12 * level * share)
        for i, day in enumerate(days(done)):
            yield rec("jira", "ENG", i, "tasks_done", 1, day)
        for i, day in enumerate(days(max(0, round(done * 0.05 / max(level, 0.4))))):
            yield rec("jira", "BUG", i, "bugs", 1, day)
    elif scorecard == "support_agent":
        for i, day in enumerate(days(round(120 * level * share))):
            yield rec("helpdesk", "T", i, "tickets_solved", 1, day)
        yield from _ratings(rec, rnd, days(25), 0.82 + 0.14 * min(level, 1.1))
    elif scorecard == "production_worker":
        for i, day in enumerate(days(max(1, round(20 * share)))):
            units = round(200 * level * rnd.uniform(0.9, 1.1))
            yield rec("erp", "BATCH", i, "output_units", units, day)
            yield rec("erp", "QC", i, "defects", round(units * 0.02 / max(level, 0.4)), day)
            yield rec("attendance", "SH", i, "shifts", 1, day)
            if rnd.random() < 0.9 + 0.08 * min(level, 1.0):
                yield rec("attendance", "OT", i, "shifts_on_time", 1, day)


def _ratings(rec, rnd: random.Random, when: list[date], good_rate: float):  # type: ignore[no-untyped-def]
    for i, day in enumerate(when):
        good = rnd.random() < good_rate
        yield rec("helpdesk", "CSAT", i, "csat_good" if good else "csat_bad", 1, day)
