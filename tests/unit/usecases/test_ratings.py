"""Ratings (/rate, the rating card, its comments, /self, the scheduler's round) against the
in-memory unit of work: no database."""

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.commands import PersonRef, Rate, SelfAssess
from handlers.press import Press
from handlers.ratings.comment import press_comments
from handlers.ratings.rate import press_page, press_rate, rate_person
from handlers.ratings.reminders import RatingPolicy, send_rating_cards
from handlers.ratings.self_assess import write_self_assessment
from store.models import ManagerRating, SelfAssessment
from store.uow import UnitOfWork
from tests.fakes.org import People, small_company
from tests.fakes.uow import FakeUnitOfWork
from tests.unit.usecases.scoring_support import SETUP, actor, breakdown, text

Org = tuple[FakeUnitOfWork, People]


@pytest.fixture
def org() -> Org:
    return small_company()


class Rescores:
    """The re-score a rating triggers: records who, and moves the stored total."""

    def __init__(self, fake: FakeUnitOfWork, to: str) -> None:
        self.fake, self.to = fake, to
        self.calls: list[tuple[int, list[int]]] = []

    def __call__(self, uow: UnitOfWork, period_id: int, ids: list[int]) -> None:
        self.calls.append((period_id, ids))
        for i in ids:
            self.fake.scores.stored[(i, period_id)] = breakdown(self.to, "good")


def test_a_manager_rates_a_report(org: Org) -> None:
    uow, p = org
    uow.scores.stored[(p.ana.id, 1)] = breakdown("56", "low")
    rescore = Rescores(uow, "80")
    cmd = Rate(PersonRef("email", p.ana.email), 4, "steady quarter")
    reply = rate_person(cmd, uow=uow, actor=actor(p.manager), scoring=SETUP, rescore=rescore)
    assert reply.ok
    [row] = uow.all(ManagerRating)
    assert (row.employee_id, row.period_id, row.rating, row.rater_id, row.note) == (
        p.ana.id,
        1,
        4,
        p.manager.id,
        "steady quarter",
    )
    assert rescore.calls == [(1, [p.ana.id])]
    [event] = uow.audits
    assert event["action"] == "rating.set" and event["before"] is None
    assert event["after"] == {
        "rating": 4,
        "rater": p.manager.id,
        "employee": p.ana.email,
        "period": "2026-11",
        "comment": True,
    }
    assert uow.commits == 1
    said = text(reply)
    assert "Ana Li: 4 of 5 for 2026-11." in said and "Score 56.00 → 80.00." in said

    again = press_rate(
        Press("rt", f"1.{p.ana.id}.2"),
        uow=uow,
        actor=actor(p.manager),
        scoring=SETUP,
        rescore=rescore,
    )
    assert len(uow.all(ManagerRating)) == 1 and row.rating == 2
    assert row.note == "steady quarter", "a button keeps the comment"
    assert uow.audits[-1]["before"] == {"rating": 4, "rater": p.manager.id}
    assert "Ana Li: 2 of 5 for 2026-11 (was 4)." in text(again)


def test_nobody_rates_a_colleague_or_themselves(org: Org) -> None:
    uow, p = org
    rescore = Rescores(uow, "80")
    peer = rate_person(
        Rate(PersonRef("email", p.ana.email), 4),
        uow=uow,
        actor=actor(p.bo),
        scoring=SETUP,
        rescore=rescore,
    )
    assert not peer.ok
    own = press_rate(
        Press("rt", f"1.{p.ana.id}.4"),
        uow=uow,
        actor=actor(p.ana),
        scoring=SETUP,
        rescore=rescore,
    )
    assert not own.ok and "Nobody rates themselves" in text(own)
    off = rate_person(
        Rate(PersonRef("email", p.ana.email), 9),
        uow=uow,
        actor=actor(p.manager),
        scoring=SETUP,
        rescore=rescore,
    )
    assert not off.ok and "not on the rating scale" in text(off)
    assert uow.all(ManagerRating) == [] and rescore.calls == []
    assert peer.refusal and own.refusal and not off.refusal, "refusals: the dispatcher audits"


def test_the_rating_card_and_its_comments(org: Org) -> None:
    uow, p = org
    uow.add(
        ManagerRating(
            employee_id=p.ana.id,
            period_id=1,
            rater_id=p.admin.id,
            rating=3,
            note="",
            at=uow.clock(),
        )
    )
    uow.add(
        SelfAssessment(employee_id=p.bo.id, period_id=1, text="Closed the big one", at=uow.clock())
    )
    card = press_page(Press("rt:pg", "1.1"), uow=uow, actor=actor(p.manager), scoring=SETUP)
    said = text(card)
    assert "Ratings · 2026-11 · 1 of 2 rated" in said, "the leaver is not on the card"
    assert "Ada Admin" in said, "a rating given by someone else says who"
    assert "Closed the big one" in said

    form = press_comments(Press("rt:cm", "1.1"), uow=uow, actor=actor(p.manager), scoring=SETUP)
    card_form = form.cards[0].form
    assert card_form is not None
    assert [i.name for i in card_form.inputs] == [f"e{p.ana.id}", f"e{p.bo.id}"]

    answers = {f"e{p.ana.id}": "Great month", f"e{p.bo.id}": ""}
    saved = press_comments(
        Press("rt:cm", "1.1", answers), uow=uow, actor=actor(p.manager), scoring=SETUP
    )
    assert saved.ok and "Saved 1 comment for 2026-11." in text(saved)
    assert uow.all(ManagerRating)[0].note == "Great month"
    assert [a["action"] for a in uow.audits] == ["rating.comment"]
    assert uow.audits[0]["after"]["comment_chars"] == len("Great month")

    unrated = press_comments(
        Press("rt:cm", "1.1", {f"e{p.bo.id}": "Nice"}),
        uow=uow,
        actor=actor(p.manager),
        scoring=SETUP,
    )
    assert not unrated.ok and "Rate Bo Wu first" in text(unrated)


def test_self_assessment_written_shown_and_updated(org: Org) -> None:
    uow, p = org
    first = write_self_assessment(SelfAssess("I shipped it"), uow=uow, actor=actor(p.ana))
    assert "Saved." in text(first)
    shown = write_self_assessment(SelfAssess(""), uow=uow, actor=actor(p.ana))
    assert "“I shipped it”" in text(shown)
    second = write_self_assessment(SelfAssess("I shipped it twice"), uow=uow, actor=actor(p.ana))
    assert "Updated." in text(second)
    [row] = uow.all(SelfAssessment)
    assert (row.employee_id, row.period_id, row.text) == (p.ana.id, 1, "I shipped it twice")
    assert [a["before"] for a in uow.audits] == [None, {"chars": len("I shipped it")}]
    assert uow.commits == 2


def test_self_assessment_refused_once_closed(org: Org) -> None:
    uow, p = org
    uow.org.period_by_key("2026-11").status = "closed"  # type: ignore[union-attr]
    closed = write_self_assessment(SelfAssess("Late words"), uow=uow, actor=actor(p.ana))
    assert not closed.ok and "is closed" in text(closed)
    assert uow.all(SelfAssessment) == [] and uow.audits == []


def _round(uow: FakeUnitOfWork) -> str:
    return str(send_rating_cards(uow=uow, scoring=SETUP, policy=RatingPolicy()))


def test_the_scheduler_sends_each_card_once() -> None:
    # Tuesday 24 November, 10:00 in Berlin: five business days left of November.
    uow, p = small_company(datetime.fromisoformat("2026-11-24T09:00:00+00:00"))
    assert _round(uow) == "1 rating card, 0 reminders"
    [sent] = uow.outbox
    assert sent["recipient_id"] == p.manager.id and sent["dedupe_key"] == "rating:1:card:4:1"
    assert "ends in 5 business days" in " ".join(sent["payload"]["lines"])
    assert [a["action"] for a in uow.audits] == ["rating.round"]
    assert _round(uow) == "0 rating cards, 0 reminders", "each card once"
    assert len(uow.outbox) == 1


def test_no_card_for_a_manager_who_rated_everyone() -> None:
    uow, p = small_company(datetime.fromisoformat("2026-11-24T09:00:00+00:00"))
    for who in (p.ana, p.bo):
        uow.add(
            ManagerRating(
                employee_id=who.id,
                period_id=1,
                rater_id=p.manager.id,
                rating=4,
                note="",
                at=uow.clock(),
            )
        )
    assert _round(uow) == "0 rating cards, 0 reminders"
    assert uow.outbox == [] and uow.audits == []
