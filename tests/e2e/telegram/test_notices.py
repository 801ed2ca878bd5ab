"""Flows that reach other people: praise, target changes, team charts; notices go out through
the outbox dispatcher and the TelegramDeliverer to the fake Bot API (429 and 403 included)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.outbox_dispatcher import OutboxDispatcher
from bot.telegram.deliver import TelegramDeliverer
from handlers import strings_en as t
from store.models import Employee, Outbox
from tests.e2e.telegram.conftest import ANA, CHEN, ZHAO, buttons


def settle_seeded(tg):
    """Seeded notices (goal proposals) out of the way, so each test sees its own."""
    with tg.rt.uow() as uow:
        uow.session.execute(update(Outbox).values(status="sent"))
        uow.commit()


def drain(tg):
    dispatcher = OutboxDispatcher(tg.rt.uow, [TelegramDeliverer(tg.app.bot)])
    return tg.runner.run(dispatcher.run_once(budget=30))


def _to(tg, user):
    return [
        c for c in tg.api.called() if c.method.startswith("send") and c.params["chat_id"] == user.id
    ]


def test_praise_reaches_the_person_with_their_html_escaped(tg):
    tg.link(ANA, CHEN)
    settle_seeded(tg)
    text = "closed <b>ACME</b> & <script>alert(1)</script> #teamwork"
    [reply] = tg.say(CHEN, f"/praise @alice {text}")
    assert reply.params["chat_id"] == CHEN.id and "<script>" not in reply.params["text"]
    stats = drain(tg)
    assert stats.sent >= 1
    [dm] = _to(tg, ANA)
    assert (
        "closed &lt;b&gt;ACME&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
        in dm.params["text"]
    )
    assert "<script>" not in dm.params["text"]
    assert drain(tg).sent == 0  # never twice


def test_a_target_change_goes_to_hr_who_approves_on_the_card(tg):
    tg.link(ANA, CHEN, ZHAO)
    settle_seeded(tg)
    [asked] = tg.say(CHEN, "/kpi @alice sales_amount 800k the market shrank")
    assert asked.params["chat_id"] == CHEN.id
    drain(tg)
    [card] = _to(tg, ZHAO)
    approve = next(data for _, data in buttons(card) if data.startswith("kp:ok"))
    message = tg.updates.bot_message(
        ZHAO.private_chat(), "approval", [[(label, d)] for label, d in buttons(card)]
    )
    pressed = tg.press(ZHAO, approve, message=message)
    assert pressed[0].method == "answerCallbackQuery"
    stale = tg.press(ZHAO, approve, message=message)
    assert stale[0].params["text"] == t.ALREADY_HANDLED
    assert stale[1].method == "editMessageReplyMarkup"
    drain(tg)
    assert _to(tg, CHEN)[1:] and _to(tg, ANA), "manager and employee hear the decision"


def test_the_team_report_chart_is_sent_as_a_photo(tg):
    tg.link(CHEN)
    calls = tg.say(CHEN, "/team")
    photos = [c for c in calls if c.method == "sendPhoto"]
    assert photos and photos[0].params["chat_id"] == CHEN.id
    assert photos[0].files["photo"].startswith(b"\x89PNG")
    assert photos[0].params["parse_mode"] == "HTML"


def test_a_429_while_delivering_is_honoured_and_sent_once(tg, clock):
    tg.link(ANA, CHEN)
    settle_seeded(tg)
    tg.say(CHEN, "/praise @alice great demo")
    tg.api.fail("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    first = drain(tg)
    assert first.throttled == 1 and first.sent == 0
    with tg.rt.uow() as uow:
        row = uow.session.scalar(
            select(Outbox).where(Outbox.kind == "praise", Outbox.recipient_id.is_not(None))
        )
    assert row.status == "pending" and row.next_attempt_at == clock.now + timedelta(seconds=7)
    clock.now += timedelta(seconds=8)
    assert drain(tg).sent == 1
    assert len([c for c in _to(tg, ANA)]) == 2  # the refused call, then the one that went out


def test_someone_who_blocked_the_bot_is_marked_unreachable_and_hr_is_told(tg):
    tg.link(ANA, CHEN, ZHAO)
    settle_seeded(tg)
    tg.api.blocked.add(ANA.id)
    tg.say(CHEN, "/praise @alice great demo")
    stats = drain(tg)
    assert stats.unreachable == 1
    with tg.rt.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana.li@acme.example"))
        assert ana.unreachable_since is not None
    drain(tg)
    [to_hr] = _to(tg, ZHAO)
    assert "Ana Li" in to_hr.params["text"] and "blocked" in to_hr.params["text"]
    tg.api.blocked.clear()
    tg.say(ANA, "/help")  # writing to the bot again makes them reachable
    with tg.rt.uow() as uow:
        assert uow.session.get(Employee, ana.id).unreachable_since is None
