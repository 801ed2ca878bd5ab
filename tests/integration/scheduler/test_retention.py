"""Retention of raw source records, run by the scheduler on the demo company."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from bot import scheduler_jobs as jobs
from bot.scheduler import desired_jobs
from handlers.nudges.sweep_calendar import SweepPolicy
from store import audit
from store.models import AuditEvent, MetricFact, Period, Score, ScoreLine, UnmatchedRecord
from store.retention import ACTION

LATER = datetime(2027, 2, 18, 2, 0, tzinfo=UTC)  # 60 days before: 2026-12-20


def _keep(rt: Any, days: int | None) -> Any:
    s = rt.settings
    rt.settings = s.model_copy(
        update={"retention": s.retention.model_copy(update={"fact_days": days})}
    )
    return rt


def _facts_by_period(rt: Any) -> dict[str, int]:
    with rt.uow() as uow:
        rows = uow.session.execute(
            select(Period.key, func.count(MetricFact.id))
            .join(
                MetricFact,
                (MetricFact.occurred_on >= Period.starts_on)
                & (MetricFact.occurred_on <= Period.ends_on),
            )
            .group_by(Period.key)
        ).all()
    return dict(rows)


def _closed_results(rt: Any) -> tuple[list[Any], list[Any]]:
    with rt.uow() as uow:
        oct_id = uow.session.scalar(select(Period.id).where(Period.key == "2026-10"))
        scores = uow.session.execute(
            select(Score.employee_id, Score.total, Score.band, Score.frozen)
            .where(Score.period_id == oct_id)
            .order_by(Score.employee_id)
        ).all()
        lines = uow.session.execute(
            select(ScoreLine.employee_id, ScoreLine.pos, ScoreLine.actual, ScoreLine.points)
            .where(ScoreLine.period_id == oct_id)
            .order_by(ScoreLine.employee_id, ScoreLine.pos)
        ).all()
    return scores, lines


def _close(rt: Any, at: datetime) -> None:
    """Close the three months before November, as the scheduler would have, at `at`."""
    keys = ["2026-08", "2026-09", "2026-10"]
    with rt.uow() as uow:
        for p in uow.session.scalars(select(Period).where(Period.key.in_(keys))):
            p.status, p.closed_at = "closed", at
        for s in uow.session.scalars(select(Score).join(Period).where(Period.key.in_(keys))):
            s.frozen = True
        uow.commit()


def test_the_job_is_scheduled_only_when_configured(demo) -> None:
    assert "retention" not in {j.id for j in desired_jobs(demo)}
    job = next(j for j in desired_jobs(_keep(demo, 90)) if j.id == "retention")
    assert job.kind == "retention" and "hour='2', minute='30'" in str(job.trigger)


def test_old_records_of_closed_periods_go_and_their_results_stay(demo, clock) -> None:
    rt = _keep(demo, None)
    _close(rt, clock.now)
    with rt.uow() as uow:
        uow.session.add(
            UnmatchedRecord(source="crm", record_id="X-1", metric="sales_amount", reason="?",
                            employee_key="gone@acme.example", raw={}, seen_at=clock.now)
        )  # fmt: skip
        uow.commit()
    before, results = _facts_by_period(rt), _closed_results(rt)
    jobs.install(jobs.JobContext(rt, SweepPolicy(), None))
    try:
        assert jobs.run_job("retention") == "retention not configured"
        clock.now = LATER
        _keep(rt, 60)
        assert jobs.run_job("retention").startswith("deleted ")
        after = _facts_by_period(rt)
        # 2026-08..10 closed on 2026-11-20, before the cutoff: their records go.
        assert after.get("2026-08", 0) == after.get("2026-09", 0) == after.get("2026-10", 0) == 0
        assert after["2026-11"] == before["2026-11"], "an open period keeps every record"
        assert _closed_results(rt) == results, "frozen scores keep their breakdown lines"
        with rt.uow() as uow:
            assert uow.session.scalar(select(func.count(UnmatchedRecord.id))) == 0
            event = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == ACTION)).one()
            gone = before["2026-08"] + before["2026-09"] + before["2026-10"]
            assert event.after == {"before": "2026-12-20", "facts": gone, "unmatched": 1}
            assert audit.verify(uow.session).first_bad_id is None
        again = jobs.run_job("retention")
        assert again == "deleted 0 facts and 0 unmatched records before 2026-12-20"
    finally:
        jobs.install(None)


def test_a_recently_closed_period_keeps_its_records(demo, clock) -> None:
    """Closed within the retention window: an appeal after close may still recompute it;
    the records of a period closed before the window go."""
    rt = _keep(demo, 10)
    _close(rt, clock.now)
    with rt.uow() as uow:  # August was closed long before
        august = uow.session.scalars(select(Period).where(Period.key == "2026-08")).one()
        august.closed_at = datetime(2026, 9, 10, tzinfo=UTC)
        uow.commit()
    before = _facts_by_period(rt)
    clock.now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # the others closed 5 days ago
    jobs.install(jobs.JobContext(rt, SweepPolicy(), None))
    try:
        done = jobs.run_job("retention")
    finally:
        jobs.install(None)
    gone = before["2026-08"]
    assert done == f"deleted {gone} facts and 0 unmatched records before 2026-11-15"
    after = _facts_by_period(rt)
    assert "2026-08" not in after and gone > 0
    assert after == {k: n for k, n in before.items() if k != "2026-08"}
