"""What Telegram really does with updates: delivers one again (a webhook answered late, a
poller restarted), forwards other people's commands, and counts entity offsets in UTF-16
code units that can land inside an emoji."""

from __future__ import annotations

import copy

from sqlalchemy import func, select

from store.models import ProcessedEvent
from tests.e2e.telegram.conftest import ANA, CHEN, texts
from tests.fakes.telegram_updates import mention


def test_the_same_update_delivered_twice_is_answered_once(tg):
    tg.link(ANA)
    update = tg.updates.message(ANA, "/score")
    first = tg.process(update)
    again = tg.process(copy.deepcopy(update))
    assert len(texts(first)) == 1 and again == []
    with tg.rt.uow() as uow:
        claimed = uow.session.scalar(select(func.count()).select_from(ProcessedEvent))
    assert claimed == 1, "the update id is kept in the database, so a restart remembers it"


def test_a_forwarded_command_is_not_run_as_the_forwarder(tg):
    tg.link(ANA, CHEN)
    update = tg.updates.message(CHEN, "/score")
    update["message"]["forward_origin"] = {
        "type": "user",
        "date": 1700000000,
        "sender_user": ANA.as_json(),
    }
    assert tg.process(update) == []
    older = tg.updates.message(CHEN, "/goals")
    older["message"]["forward_date"] = 1700000000  # servers before Bot API 7.0
    assert tg.process(older) == []
    assert texts(tg.say(CHEN, "/goals")), "typed by Chen himself, it is answered"


def test_a_text_mention_whose_offset_splits_an_emoji_is_still_answered(tg):
    tg.link(CHEN, ANA)
    entity = mention(ANA, "Ana", "/score ")
    entity["offset"] += 1  # "/score 🎉Ana": the offset lands between the emoji's two halves
    calls = tg.say(CHEN, "/score 🎉Ana", entities=[entity])
    assert len(texts(calls)) == 1, "an answer, not silence"
