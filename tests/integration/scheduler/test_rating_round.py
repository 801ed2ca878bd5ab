"""The rating round at any date: business days left in the branch's calendar (weekends,
holidays, leap years, year ends), on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from handlers.ratings.reminders import RatingPolicy, send_rating_cards
from store.models import Employee, ManagerRating, Outbox
from tests.integration.sweep.population import Org, period

# (first day, last day) of the periods the cases use
SPANS = {
    "2026-11": (date(2026, 11, 1), date(2026, 11, 30)),
    "2026-12": (date(2026, 12, 1), date(2026, 12, 31)),
    "2028-02": (date(2028, 2, 1), date(2028, 2, 29)),
}
XMAS = {"all": [date(2026, 12, 25)]}


def with_periods(rt, *keys: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Open these periods (only these: an older open one would be reminded of too)."""
    with rt.uow() as uow:
        ids = {key: period(uow, key, *SPANS[key]) for key in keys}
        uow.commit()
    return ids


@pytest.fixture
def org(runtime):  # type: ignore[no-untyped-def]
    """Shanghai and Berlin, a manager in each with two rated reports and one unrated role."""
    with runtime.uow() as uow:
        o = Org(uow)
        o.branch("Shanghai HQ", "Asia/Shanghai")
        o.branch("Berlin", "Europe/Berlin")
        o.person("Boss", "Shanghai HQ", role="manager")
        o.person("Rep A", "Shanghai HQ", "Boss", scorecard="sales_rep")
        o.person("Rep B", "Shanghai HQ", "Boss", scorecard="engineer")
        o.person("Intern", "Shanghai HQ", "Boss")  # no scorecard: nobody rates them
        o.person("Chef", "Berlin", role="manager")
        o.person("Dev", "Berlin", "Chef", scorecard="engineer")
        uow.commit()
    return runtime, o


def sent(rt) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(recipient, dedupe key without the period id) of every rating notice."""
    with rt.uow() as uow:
        rows = uow.session.execute(
            select(Employee.name, Outbox.dedupe_key)
            .join(Employee, Employee.id == Outbox.recipient_id)
            .where(Outbox.kind == "rating")
            .order_by(Outbox.id)
        ).all()
    return [(name, key) for name, key in rows]


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


DEC, NOV_DEC, FEB = ["2026-12"], ["2026-11", "2026-12"], ["2028-02"]
NEW_YEAR = {"all": [date(2027, 1, 1)]}


@pytest.mark.parametrize(
    ("opened", "now", "holidays", "expected"),
    [
        # Wed 23 Feb 2028: 23, 24, 25, 28, 29 are the last five business days of February.
        (FEB, at(2028, 2, 23, 2), {}, [("Boss", "2028-02", "card")]),
        (FEB, at(2028, 2, 22, 2), {}, []),
        # Thu 24 Dec 2026: six business days left, five once Christmas is a holiday.
        (DEC, at(2026, 12, 24, 2), {}, []),
        (DEC, at(2026, 12, 24, 2), XMAS, [("Boss", "2026-12", "card")]),
        # New Year's Eve, 10:00 in Shanghai and 03:00 in Berlin: Berlin's morning comes later.
        (DEC, at(2026, 12, 31, 2), {}, [("Boss", "2026-12", "remind")]),
        (DEC, at(2026, 12, 31, 9), {}, [("Boss", "2026-12", "remind"),
                                        ("Chef", "2026-12", "remind")]),
        # Fri 1 Jan 2027: November and December ended unrated and are still open.
        (NOV_DEC, at(2027, 1, 1, 9), {}, [
            ("Boss", "2026-11", "remind"), ("Chef", "2026-11", "remind"),
            ("Boss", "2026-12", "remind"), ("Chef", "2026-12", "remind")]),
        (NOV_DEC, at(2027, 1, 1, 9), NEW_YEAR, []),
    ],
)  # fmt: skip
def test_the_round_at_any_date(org, clock, opened, now, holidays, expected):  # type: ignore[no-untyped-def]
    rt, _ = org
    periods = with_periods(rt, *opened)
    clock.now = now
    send_rating_cards(uow=rt.uow, scoring=rt.scoring, policy=RatingPolicy(holidays=holidays))
    send_rating_cards(uow=rt.uow, scoring=rt.scoring, policy=RatingPolicy(holidays=holidays))
    keys = {pid: key for key, pid in periods.items()}
    got = [(name, keys[int(k.split(":")[1])], k.split(":")[2]) for name, k in sent(rt)]
    assert sorted(got) == sorted(expected)


def test_a_manager_who_rated_everyone_is_not_reminded(org, clock):  # type: ignore[no-untyped-def]
    rt, o = org
    periods = with_periods(rt, "2026-12")
    with rt.uow() as uow:
        for rep in ("Rep A", "Rep B"):
            uow.session.add(
                ManagerRating(
                    employee_id=o.people[rep],
                    period_id=periods["2026-12"],
                    rater_id=o.people["Boss"],
                    rating=4,
                    at=clock.now,
                )
            )
        uow.commit()
    clock.now = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
    run = send_rating_cards(uow=rt.uow, scoring=rt.scoring, policy=RatingPolicy())
    assert (run.cards, run.reminders) == (0, 1)
    assert [name for name, _ in sent(rt)] == ["Chef"]
