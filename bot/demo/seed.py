"""Seed the demo company: org, periods, goals, source facts, ratings, then real scoring."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import delete, select

from bot.demo.company import org_yaml
from bot.demo.data import TARGETS, level_of, records
from handlers.common import local_today
from handlers.org_load import load_org
from handlers.periods import month_span, previous
from handlers.scores import ScoringSetup, score_all
from store.models import Branch, Employee, Goal, ManagerRating, MetricFact, Period
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
LOWER_IS_BETTER = {"bug_rate", "defect_rate"}


def seed_periods(uow: UnitOfWork, today: date, months: int = 4) -> list[Period]:
    """The current month and the `months - 1` before it, oldest first."""
    spans = [month_span(today.year, today.month)]
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


def seed_people_data(uow: UnitOfWork, periods: list[Period], today: date, now: datetime) -> int:
    """Employee goals, the source facts behind them and past managers' ratings."""
    with uow:
        s = uow.session
        people = s.scalars(select(Employee).where(Employee.scorecard.is_not(None))).all()
        ids = [e.id for e in people]
        s.execute(delete(MetricFact).where(MetricFact.employee_id.in_(ids)))
        s.execute(delete(ManagerRating).where(ManagerRating.employee_id.in_(ids)))
        s.execute(
            delete(Goal).where(
                Goal.employee_id.in_(ids), Goal.level == "employee", Goal.parent_id.is_(None)
            )
        )
        facts = 0
        for period in periods:
            past = period.ends_on < today
            for emp in people:
                if past or not _has_cascaded_goals(uow, period.id):
                    for metric, target in TARGETS[emp.scorecard or ""].items():
                        s.add(
                            Goal(
                                period_id=period.id,
                                level="employee",
                                employee_id=emp.id,
                                team_id=emp.team_id,
                                title=metric.replace("_", " ").capitalize(),
                                metric=metric,
                                target=target,
                                direction="lower" if metric in LOWER_IS_BETTER else "higher",
                                status="acknowledged" if past else "confirmed",
                                updated_at=now,
                            )
                        )
                for r in records(
                    emp.email, emp.scorecard or "", period.starts_on, period.ends_on, today
                ):
                    s.add(
                        MetricFact(
                            employee_id=emp.id,
                            metric=r.metric,
                            value=r.value,
                            occurred_on=r.day,
                            source=r.source,
                            record_id=r.record_id,
                            link=r.link,
                            fetched_at=now,
                            raw={
                                "id": r.record_id,
                                "value": str(r.value),
                                "date": r.day.isoformat(),
                            },
                        )
                    )
                    facts += 1
                if past:
                    rnd = random.Random(f"rating/{emp.email}/{period.key}")
                    level = level_of(emp.email) + rnd.uniform(-0.1, 0.1)
                    s.add(
                        ManagerRating(
                            employee_id=emp.id,
                            period_id=period.id,
                            rater_id=emp.manager_id or emp.id,
                            rating=max(1, min(5, round(level * 4))),
                            at=now,
                        )
                    )
        uow.commit()
    return facts


def _has_cascaded_goals(uow: UnitOfWork, period_id: int) -> bool:
    return (
        uow.session.scalar(
            select(Goal.id).where(Goal.period_id == period_id, Goal.level == "company").limit(1)
        )
        is not None
    )


def seed_all(uow_factory: UowFactory, now: datetime, setup: ScoringSetup) -> tuple[int, int]:
    """Everything the demo needs; returns (periods, source records)."""
    load_org(org_yaml(), uow=uow_factory(), actor="demo")
    with uow_factory() as uow:
        hq = uow.session.scalar(select(Branch.id).where(Branch.is_hq))
        today = local_today(uow, hq or 1, now)
    periods = seed_periods(uow_factory(), today)
    facts = seed_people_data(uow_factory(), periods, today, now)
    for p in periods:
        score_all(p.key, uow=uow_factory(), setup=setup, actor="demo")
    return len(periods), facts
