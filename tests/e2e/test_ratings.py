"""Ratings (R5) through the console: the card, /rate, /self, comments, refusals, re-rating."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select

from bot.console.app import ConsoleSession
from handlers.scores.compute import ScoringSetup, rescore
from scoring.config import RatingScale
from store.models import AuditEvent, Employee, ManagerRating, Period, Score, SelfAssessment

CHEN, ANA, ZHOU = "chen.jing@acme.example", "ana.li@acme.example", "zhou.tao@acme.example"


def as_(rt, email: str) -> ConsoleSession:  # type: ignore[no-untyped-def]
    return ConsoleSession(rt.dispatcher, rt.uow, email)


def ids(rt) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """Ana's and Chen's employee ids and November's period id."""
    with rt.uow() as uow:
        who = dict(uow.session.execute(select(Employee.email, Employee.id)).all())
        nov = uow.session.scalar(select(Period.id).where(Period.key == "2026-11"))
        return who[ANA], who[CHEN], nov


def score_of(rt, person: int, period: int) -> Score:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return uow.session.scalar(
            select(Score).where(Score.employee_id == person, Score.period_id == period)
        )


def rating_row(rt, person: int, period: int) -> ManagerRating | None:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return uow.session.scalar(
            select(ManagerRating).where(
                ManagerRating.employee_id == person, ManagerRating.period_id == period
            )
        )


def events(rt, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return list(
            uow.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def test_a_manager_rates_from_the_card_and_the_rating_dimension_scores(demo):
    ana, _, nov = ids(demo)
    before = score_of(demo, ana, nov)
    assert before.coverage == Decimal(90)  # no rating yet: "no data", not a zero
    card = as_(demo, CHEN).handle("/rate").cards[0]
    assert card.title == "Ratings · 2026-11 · 0 of 7 rated"
    assert "Ana Li: not rated yet" in card.lines
    mine = [b for b in card.buttons if b.action == "rt" and b.value.split(".")[1] == str(ana)]
    assert [b.label for b in mine] == [f"Ana Li {n}" for n in range(1, 6)]
    four = mine[3]
    assert len(four.callback.encode()) <= 64

    pressed = as_(demo, CHEN).handle(f"press {four.callback}")
    assert pressed.ok and pressed.cards[0].lines[0] == "Ana Li: 4 of 5 for 2026-11."
    after = score_of(demo, ana, nov)
    assert after.coverage == Decimal(100) and after.total != before.total
    line = next(ln for ln in as_(demo, ANA).handle("/score").cards[0].lines if "Manager" in ln)
    assert line.startswith("Manager rating (10%): rated 4 of 5 → 75%")
    again = as_(demo, CHEN).handle("/rate").cards[0]
    assert again.title == "Ratings · 2026-11 · 1 of 7 rated" and "Ana Li: 4 of 5" in again.lines
    assert next(b for b in again.buttons if b.callback == four.callback).label == "Ana Li 4 ✓"


def test_rating_by_command_then_re_rating_replaces_and_is_audited(demo):
    ana, chen, nov = ids(demo)
    first = as_(demo, CHEN).handle("/rate @ana.li 4 strong quarter, two big deals")
    assert first.ok and "Score " in first.cards[0].lines[1]
    second = as_(demo, CHEN).handle("/rate ana.li@acme.example 2")
    assert second.cards[0].lines[0] == "Ana Li: 2 of 5 for 2026-11 (was 4)."
    row = rating_row(demo, ana, nov)
    assert (row.rating, row.rater_id, row.note) == (2, chen, "strong quarter, two big deals")
    audited = events(demo, "rating.set")
    assert [e.before for e in audited] == [None, {"rating": 4, "rater": chen}]
    assert audited[1].after["rating"] == 2 and audited[1].after["period"] == "2026-11"
    assert score_of(demo, ana, nov).breakdown is not None
    line = next(ln for ln in as_(demo, ANA).handle("/score").cards[0].lines if "Manager" in ln)
    assert "rated 2 of 5 → 25%" in line


def test_a_peer_hr_and_oneself_are_refused_and_the_refusals_audited(demo):
    ana, _, nov = ids(demo)
    peer = as_(demo, ZHOU).handle("/rate @ana.li 5")
    assert not peer.ok and "can't see Ana Li" in peer.cards[0].lines[0]
    hr = as_(demo, "zhao.min@acme.example").handle("/rate @ana.li 5")
    assert not hr.ok and hr.cards[0].lines[0] == "Only Ana Li's managers can rate them."
    own = as_(demo, ANA).handle("/rate @ana.li 5")
    assert not own.ok and "Nobody rates themselves" in own.cards[0].lines[0]
    forged = as_(demo, ZHOU).handle(f"press rt:{nov}.{ana}.5")  # a button someone else got
    assert not forged.ok
    assert rating_row(demo, ana, nov) is None
    denied = [e.after for e in events(demo, "denied") if e.after["attempted"] == "rating.set"]
    assert len(denied) == 4


def test_a_skip_level_manager_may_rate_and_the_card_names_them(demo):
    assert as_(demo, "li.wei@acme.example").handle("/rate @ana.li 3").ok
    card = as_(demo, CHEN).handle("/rate").cards[0]
    assert "Ana Li: 3 of 5 (by Li Wei)" in card.lines
    nothing = as_(demo, "li.wei@acme.example").handle("/rate")  # his reports have no rating
    assert nothing.ok and "nobody to rate" in nothing.cards[0].lines[0]
    no_dim = as_(demo, "li.wei@acme.example").handle("/rate @chen.jing 4")
    assert not no_dim.ok and "has no manager rating" in no_dim.cards[0].lines[0]


def test_off_the_scale_and_bad_input_get_the_usage_and_a_hint(demo):
    ana, _, nov = ids(demo)
    for text, hint in [
        ("/rate @ana.li 6", "'6' is not on the rating scale: give a whole number from 1 to 5"),
        ("/rate @ana.li 0", "'0' is not on the rating scale"),
        ("/rate @ana.li 4.5", "'4.5' is not a rating"),
        ("/rate @ana.li", "what rating?"),
        ("/rate @ana.li 4 " + "x" * 1001, "the comment is too long (1001 characters)"),
    ]:
        reply = as_(demo, CHEN).handle(text)
        assert not reply.ok and reply.cards[0].lines[0].startswith(hint), text
        assert reply.cards[0].lines[1].startswith("/rate @who <score>")
    assert not as_(demo, CHEN).handle(f"press rt:{nov}.{ana}.9").ok  # a stale card's button
    assert not as_(demo, CHEN).handle("press rt:bogus").ok
    assert rating_row(demo, ana, nov) is None


def test_a_closed_period_is_refused_clearly(demo):
    ana, _, _ = ids(demo)
    with demo.uow() as uow:
        october = uow.session.scalar(select(Period).where(Period.key == "2026-10"))
        october.status, oct_id = "closed", october.id
        uow.commit()
    before = rating_row(demo, ana, oct_id).rating
    closed = "Period 2026-10 is closed: its ratings are final. HR can re-open it."
    for line in ("/rate @ana.li 2026-10 1", f"press rt:{oct_id}.{ana}.1", "/rate 2026-10"):
        reply = as_(demo, CHEN).handle(line)
        assert not reply.ok and reply.cards[0].lines == (closed,), line
    assert rating_row(demo, ana, oct_id).rating == before
    assert as_(demo, CHEN).handle("/rate @ana.li 2026-12 3").cards[0].title == "No such period"


def test_self_assessment_is_shown_on_the_managers_card(demo):
    ana, _, nov = ids(demo)
    me = as_(demo, ANA)
    assert "haven't written one" in me.handle("/self").cards[0].lines[0]
    saved = me.handle("/self Closed the ACME renewal.\nOnboarded two new reps.")
    assert saved.ok and saved.cards[0].lines[0].startswith("Saved.")
    card = as_(demo, CHEN).handle("/rate").cards[0]
    at = card.lines.index("Ana Li: not rated yet")
    assert (
        card.lines[at + 1]
        == "    Self-assessment: “Closed the ACME renewal. Onboarded two new reps.”"
    )
    assert (
        me.handle("/self Closed ACME; two reps onboarded").cards[0].lines[0].startswith("Updated")
    )
    assert me.handle("/self").cards[0].lines[0] == "“Closed ACME; two reps onboarded”"
    too_long = me.handle("/self " + "y" * 2001)
    assert not too_long.ok and "2001 characters" in too_long.cards[0].lines[0]
    with demo.uow() as uow:
        rows = uow.session.scalars(select(SelfAssessment).where(SelfAssessment.employee_id == ana))
        assert [(r.period_id, r.text) for r in rows] == [(nov, "Closed ACME; two reps onboarded")]
    audited = events(demo, "self.write")
    assert [(e.before, e.after["chars"]) for e in audited] == [(None, 48), ({"chars": 48}, 31)]
    assert "Closed" not in str(audited[0].after)  # the words stay outside the hash chain


def test_comments_from_the_cards_form(demo):
    ana, _, nov = ids(demo)
    chen = as_(demo, CHEN)
    card = chen.handle("/rate").cards[0]
    comments = next(b for b in card.buttons if b.action == "rt:cm")
    form = chen.handle(f"press {comments.callback}").cards[0].form
    assert form is not None and form.action == "rt:cm" and len(form.inputs) == 7
    assert form.inputs[0].name == f"e{ana}" and not form.inputs[0].required
    first = chen.handle(f"press rt:cm {form.value} e{ana}='great pipeline'")
    assert not first.ok and first.errors == (
        (f"e{ana}", "Rate Ana Li first (tap a number), then add the comment."),
    )
    chen.handle(f"press rt:{nov}.{ana}.5")
    saved = chen.handle(f"press rt:cm {form.value} e{ana}='great pipeline'")
    assert saved.ok and saved.cards[0].lines[0] == "Saved 1 comment for 2026-11."
    assert rating_row(demo, ana, nov).note == "great pipeline"
    assert "Ana Li: 5 of 5 · “great pipeline”" in chen.handle("/rate").cards[0].lines
    peer = as_(demo, ZHOU).handle(f"press rt:cm {form.value} e{ana}=meh")
    assert not peer.ok and rating_row(demo, ana, nov).note == "great pipeline"
    assert events(demo, "rating.comment")[0].after["comment_chars"] == len("great pipeline")


def test_a_wide_scale_pages_the_card_and_scores_on_that_scale(demo):
    ana, _, nov = ids(demo)
    wide = ScoringSetup(
        replace(demo.scoring.config, rating_scale=RatingScale(0, 10)), demo.scoring.specs
    )
    demo.dispatcher = demo.dispatcher.with_deps(
        scoring=wide, rescore=lambda u, period, people: rescore(u, wide, period, people)
    )
    chen = as_(demo, CHEN)
    first = chen.handle("/rate").cards[0]
    assert first.title == "Ratings · 2026-11 · 0 of 7 rated (1/2)"
    assert sum(1 for b in first.buttons if b.action == "rt") == 4 * 11
    more = next(b for b in first.buttons if b.action == "rt:pg")
    second = chen.handle(f"press {more.callback}").cards[0]
    assert (
        second.title.endswith("(2/2)")
        and sum(1 for b in second.buttons if b.action == "rt") == 3 * 11
    )
    assert chen.handle("/rate @ana.li 7").ok
    line = next(ln for ln in as_(demo, ANA).handle("/score").cards[0].lines if "Manager" in ln)
    assert line.startswith("Manager rating (10%): rated 7 of 10 → 70%")
    assert rating_row(demo, ana, nov).rating == 7
