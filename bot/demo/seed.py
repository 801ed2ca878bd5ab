"""Seed the demo company: org, periods, goals, facts with provenance, ratings and scores."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select

from bot.demo.company import org_yaml
from handlers.org_load import load_org
from handlers.periods import month_span, previous
from store.models import Employee, Goal, ManagerRating, MetricFact, Period, Score
from store.uow import UnitOfWork

# Monthly per-person targets by scorecard: metric -> target.
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
SOURCES = {
    "sales_amount": ("crm", "https://crm.acme.example/deals/{id}"),
    "csat": ("helpdesk", "https://help.acme.example/ratings/{id}"),
    "collection_rate": ("erp", "https://erp.acme.example/invoices/{id}"),
    "tasks_done": ("jira", "https://acme.atlassian.example/browse/{id}"),
    "bug_rate": ("jira", "https://acme.atlassian.example/browse/{id}"),
    "tickets_solved": ("helpdesk", "https://help.acme.example/tickets/{id}"),
    "output_units": ("erp", "https://erp.acme.example/production/{id}"),
    "defect_rate": ("erp", "https://erp.acme.example/qc/{id}"),
    "attendance_rate": ("attendance", "https://hr.acme.example/attendance/{id}"),
}


def seed_org(uow: UnitOfWork) -> None:
    """Load the demo org file (idempotent)."""
    load_org(org_yaml(), uow=uow, actor="demo")


def seed_periods(uow: UnitOfWork, today: date, months: int = 4) -> list[Period]:
    """The current month and the `months - 1` before it, oldest first."""
    span = month_span(today.year, today.month)
    spans = [span]
    for _ in range(months - 1):
        spans.append(previous(spans[-1]))
    out = []
    with uow:
        for s in reversed(spans):
            p = uow.session.scalar(select(Period).where(Period.key == s.key))
            if p is None:
                p = Period(key=s.key, kind="month", starts_on=s.start, ends_on=s.end)
                uow.session.add(p)
            out.append(p)
        uow.commit()
    return out


def performance_of(emp: Employee) -> float:
    """A stable per-person performance level: some ahead, some behind."""
    return 0.55 + (random.Random(emp.email).random() * 0.7)


def seed_goals_facts_scores(
    uow: UnitOfWork, periods: list[Period], now: datetime, score_fn: Any
) -> int:
    """Employee goals, facts (as the connectors would store them), ratings and scores."""
    with uow:
        s = uow.session
        people = s.scalars(select(Employee).where(Employee.scorecard.is_not(None))).all()
        ids = [p.id for p in periods]
        for model in (Score, ManagerRating, MetricFact):
            s.execute(delete(model).where(model.employee_id.in_([e.id for e in people])))
        s.execute(delete(Goal).where(Goal.period_id.in_(ids), Goal.level == "employee"))
        count = 0
        for period in periods:
            current = period is periods[-1]
            share = _elapsed_share(period, now.date()) if current else 1.0
            for emp in people:
                rnd = random.Random(f"{emp.email}/{period.key}")
                level = performance_of(emp) + rnd.uniform(-0.08, 0.08)
                targets = TARGETS[emp.scorecard or ""]
                actuals = {}
                for metric, target in targets.items():
                    s.add(
                        Goal(
                            period_id=period.id,
                            level="employee",
                            employee_id=emp.id,
                            team_id=emp.team_id,
                            title=metric.replace("_", " ").title(),
                            metric=metric,
                            target=target,
                            direction="lower"
                            if metric.endswith(("bug_rate", "defect_rate"))
                            else "higher",
                            status="acknowledged" if not current else "confirmed",
                            updated_at=now,
                        )
                    )
                    actual = _actual(metric, target, level, share)
                    actuals[metric] = actual
                    count += _facts(uow, emp, period, metric, actual, rnd, now)
                rating = None if current else max(1, min(5, round(level * 4)))
                if rating is not None:
                    s.add(
                        ManagerRating(
                            employee_id=emp.id,
                            period_id=period.id,
                            rater_id=emp.manager_id or emp.id,
                            rating=rating,
                            at=now,
                        )
                    )
                s.add(score_fn(emp, period, actuals, targets, rating, now))
        uow.commit()
    return count


def _elapsed_share(period: Period, today: date) -> float:
    days = (period.ends_on - period.starts_on).days + 1
    return max(0.05, min(1.0, ((today - period.starts_on).days + 1) / days))


def _actual(metric: str, target: Decimal, level: float, share: float) -> Decimal:
    if metric.endswith("_rate") or metric == "csat":
        if metric in ("bug_rate", "defect_rate"):
            return Decimal(str(round(float(target) / max(level, 0.3), 2)))
        return Decimal(str(round(min(100.0, float(target) * (0.85 + level * 0.15)), 2)))
    return Decimal(str(round(float(target) * level * share)))


def _facts(
    uow: UnitOfWork,
    emp: Employee,
    period: Period,
    metric: str,
    actual: Decimal,
    rnd: random.Random,
    now: datetime,
) -> int:
    """Split a figure into a few source records, each with provenance."""
    source, link = SOURCES[metric]
    n = 1 if metric.endswith("_rate") or metric == "csat" else rnd.randint(2, 6)
    parts = [actual / n] * n
    parts[-1] = actual - sum(parts[:-1], Decimal(0))
    for i, value in enumerate(parts):
        rid = f"{period.key}-{emp.id}-{metric[:4]}-{i + 1}"
        day = period.starts_on + timedelta(days=min(i * 3, 20))
        uow.session.add(
            MetricFact(
                employee_id=emp.id,
                metric=metric,
                value=value.quantize(Decimal("0.0001")),
                occurred_on=min(day, now.date()),
                source=source,
                record_id=rid,
                link=link.format(id=rid),
                fetched_at=now,
                raw={"id": rid, "value": str(value)},
            )
        )
    return n


def seed_all(uow_factory: Any, now: datetime, score_fn: Any) -> tuple[int, int]:
    """Everything the demo needs; returns (periods, source records)."""
    seed_org(uow_factory())
    with uow_factory() as uow:
        from handlers.common import local_today
        from store.models import Branch

        hq = uow.session.scalar(select(Branch.id).where(Branch.is_hq))
        today = local_today(uow, hq or 1, now)
    periods = seed_periods(uow_factory(), today)
    return len(periods), seed_goals_facts_scores(uow_factory(), periods, now, score_fn)
