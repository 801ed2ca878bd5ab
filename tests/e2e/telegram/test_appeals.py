"""An appeal round trip in Telegram: the employee types /appeal, the manager's card arrives
through the outbox, the manager rejects it with a reason asked as a question, the employee
hears the outcome, and the card's buttons are stale afterwards."""

from __future__ import annotations

from sqlalchemy import select

from handlers import strings_en as t
from store.models import Appeal
from tests.e2e.telegram.conftest import ANA, CHEN, buttons
from tests.e2e.telegram.test_notices import drain, settle_seeded


def _to(tg, user, after=0):
    sends = [c for c in tg.api.called()[after:] if c.method.startswith("send")]
    return [c for c in sends if c.params["chat_id"] == user.id]


def test_appeal_rejected_with_a_reason_and_the_employee_told(tg):
    tg.link(ANA, CHEN)
    settle_seeded(tg)
    [score] = tg.say(ANA, "/score")
    metric = next(d for _, d in buttons(score) if d.startswith("ex:")).split(":")[1].split(".")[0]
    [filed] = tg.say(ANA, f"/appeal {metric} two closed deals are missing")
    assert "Appeal #" in filed.params["text"] and "opened" in filed.params["text"]
    drain(tg)
    [card] = [c for c in _to(tg, CHEN) if "disputes" in c.params["text"]]
    reject = next(d for _, d in buttons(card) if d.startswith("ap:rej:"))
    message = tg.updates.bot_message(
        CHEN.private_chat(), "appeal", [[pair] for pair in buttons(card)]
    )
    pressed = tg.press(CHEN, reject, message=message)
    assert [c.method for c in pressed] == ["answerCallbackQuery", "sendMessage"]
    assert t.AP_REJECT_REASON in pressed[1].params["text"]
    assert pressed[1].params["reply_markup"]["force_reply"] is True
    mark = len(tg.api.called())
    done = tg.say(CHEN, "the CRM shows both deals in <December>")
    assert done and done[0].params["chat_id"] == CHEN.id
    with tg.rt.uow() as uow:
        appeal = uow.session.scalar(select(Appeal))
    assert (
        appeal.status == "rejected"
        and appeal.resolution_note == "the CRM shows both deals in <December>"
    )
    drain(tg)
    [outcome] = [c for c in _to(tg, ANA, mark) if "&lt;December&gt;" in c.params["text"]]
    assert "<December>" not in outcome.params["text"]
    again = tg.press(CHEN, reject, message=message)
    assert again[0].method == "answerCallbackQuery" and again[0].params["text"] == t.ALREADY_HANDLED
