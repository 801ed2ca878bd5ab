"""The rating round on the demo company: the card before November ends, then reminders,
each once per manager, never to a manager who has rated everyone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot import scheduler_jobs as jobs
from bot.console.app import ConsoleSession
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.ratings.reminders import RatingPolicy, send_rating_cards
from store.models import AuditEvent, Employee, Outbox

MANAGERS = {  # the five with reports on a rated scorecard, and where they sit
    "chen.jing@acme.example": "Shanghai HQ",
    "huang.gang@acme.example": "Shanghai HQ",
    "tan.mei.ling@acme.example": "Singapore",
    "grace.ong@acme.example": "Singapore",
    "jonas.weber@acme.example": "Berlin",
}
ASIA = {m for m, b in MANAGERS.items() if b != "Berlin"}


def run(rt, **policy):  # type: ignore[no-untyped-def]
    return send_rating_cards(uow=rt.uow, scoring=rt.scoring, policy=RatingPolicy(**policy))


def queued(rt) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(recipient e-mail, kind of card, title) of every rating notice, in order."""
    with rt.uow() as uow:
        rows = uow.session.execute(
            select(Employee.email, Outbox.dedupe_key, Outbox.payload)
            .join(Employee, Employee.id == Outbox.recipient_id)
            .where(Outbox.kind == "rating")
            .order_by(Outbox.id)
        ).all()
    return [(email, key.split(":")[2], payload["title"]) for email, key, payload in rows]


def test_nothing_a_week_and_more_before_the_end(demo, clock):
    assert clock.now.date() == date(2026, 11, 20)  # 7 business days left in November
    assert (run(demo).cards, run(demo).reminders) == (0, 0)
    assert queued(demo) == []


def test_cards_then_reminders_once_per_manager_and_not_to_who_rated_everyone(demo, clock):
    clock.now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tue: 10:00 in Asia, 03:00 in Berlin
    first = run(demo)
    assert (first.cards, first.reminders) == (4, 0)
    assert {e for e, kind, _ in queued(demo)} == ASIA
    card = next(n for n in queued(demo) if n[0] == "chen.jing@acme.example")
    assert card == ("chen.jing@acme.example", "card", "Ratings · 2026-11 · 0 of 7 rated")
    assert (run(demo).cards, run(demo).reminders) == (0, 0)  # again the same day: nothing

    chen = ConsoleSession(demo.dispatcher, demo.uow, "chen.jing@acme.example")
    card_buttons = chen.handle("/rate").cards[0].buttons
    for b in card_buttons:
        if b.action == "rt" and b.value.endswith(".3"):
            assert chen.handle(f"press {b.callback}").ok  # everyone rated 3

    clock.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Fri, 2 days left; 10:00 in Berlin
    second = run(demo)
    assert (second.cards, second.reminders) == (0, 4)
    sent = queued(demo)[4:]
    assert {e for e, _, _ in sent} == (ASIA - {"chen.jing@acme.example"}) | {
        "jonas.weber@acme.example"
    }
    # Berlin's first card comes inside the reminder window: as the reminder, not both.
    assert ("jonas.weber@acme.example", "remind", "Reminder: ratings for 2026-11") in sent
    assert (run(demo).cards, run(demo).reminders) == (0, 0)
    clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # November over, still open
    assert (run(demo).cards, run(demo).reminders) == (0, 0)
    with demo.uow() as uow:
        rounds = uow.session.scalars(
            select(AuditEvent.after).where(AuditEvent.action == "rating.round")
        )
        assert [(a["cards"], a["reminders"]) for a in rounds] == [(4, 0), (0, 4)]


def test_the_reminder_lists_the_reports_still_to_rate(demo, clock):
    clock.now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Mon, the last day
    assert run(demo).reminders == 4
    with demo.uow() as uow:
        payload = uow.session.scalar(
            select(Outbox.payload).where(Outbox.dedupe_key.like("rating:%:remind:%"))
        )
    assert payload["lines"][0] == (
        "1 business day left in 2026-11; not rated yet: 7 of your 7 reports."
    )
    assert any(b["action"] == "rt" for b in payload["buttons"])


def test_weekends_holidays_early_mornings_and_zero_days_send_nothing(demo, clock):
    clock.now = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)  # Saturday everywhere
    assert run(demo).cards == 0
    clock.now = datetime(2026, 11, 24, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai: before 09:30
    assert run(demo).cards == 0
    clock.now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert run(demo, holidays={"all": [date(2026, 11, 24)]}).cards == 0
    assert run(demo, card_days=0, remind_days=0).cards == 0
    assert queued(demo) == []


def test_the_scheduler_job_runs_the_round(demo, clock):
    clock.now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    jobs.install(jobs.JobContext(demo, SweepPolicy(), None))
    try:
        assert jobs.run_job("ratings") == "4 rating cards, 0 reminders"
        assert jobs.run_job("ratings") == "0 rating cards, 0 reminders"
    finally:
        jobs.install(None)
