"""Card flows end to end: buttons and forms answered through card.action.trigger, the card
updated in place after a decision (or through PATCH when the work outlasts the callback),
and the notices the outbox delivers for the next person to act on."""

from __future__ import annotations

from sqlalchemy import select

from bot import strings as bs
from bot.feishu import strings as st
from handlers import strings_en as t
from store.models import Appeal, Goal, KpiAdjustment, Praise
from tests.e2e.feishu.conftest import ANA, CHEN, GROUP, ZHAO, p2p, text_of, to
from tests.fakes.feishu_events import buttons


def value_of(card: dict, action: str) -> dict:
    return next(v for _, v in buttons(card) if v["a"] == action)


def card_texts(card: dict) -> str:
    out = [card["header"]["title"]["content"]]
    for e in card["body"]["elements"]:
        if e.get("tag") == "div":
            out.append(e["text"]["content"])
    return "\n".join(out)


def test_goals_acknowledged_on_the_card_which_updates_in_place(fs):
    fs.link(ANA)
    [goals] = fs.say(ANA, "/goals")
    ack = value_of(goals.card, "gl:ack")
    answer, _calls = fs.press(ANA, ack, chat_id=p2p(ANA))
    assert answer["toast"]["type"] == "success" and answer["toast"]["content"].startswith(
        t.ACK_TITLE
    )
    updated = answer["card"]["data"]
    assert answer["card"]["type"] == "raw" and buttons(updated) == []
    assert "Acknowledged 1 goal." in card_texts(updated)
    with fs.rt.uow() as uow:
        assert uow.session.get(Goal, int(ack["v"])).status == "acknowledged"
    again, more = fs.press(ANA, ack, chat_id=p2p(ANA))
    assert "card" not in again and t.ALREADY_HANDLED in again["toast"]["content"]
    assert more == []


def test_a_decision_in_a_group_keeps_figures_private(fs):
    fs.link(ANA)
    [goals] = fs.say(ANA, "/goals")
    ack = value_of(goals.card, "gl:ack")
    answer, _calls = fs.press(ANA, ack, chat_id=GROUP)
    assert card_texts(answer["card"]["data"]).startswith(st.DONE)
    assert "Acknowledged" not in card_texts(answer["card"]["data"])


def test_work_past_the_callbacks_budget_updates_the_card_through_patch(fs):
    fs.link(ANA)
    [goals] = fs.say(ANA, "/goals")
    fs.app.ack_budget = 0.0
    answer, calls = fs.press(
        ANA, value_of(goals.card, "gl:ack"), message_id="om_goals", chat_id=p2p(ANA)
    )
    assert answer == {"toast": {"type": "info", "content": st.WORKING}}
    [patch] = [c for c in calls if c.method == "PATCH"]
    assert patch.path.endswith("/om_goals") and "Acknowledged 1 goal." in card_texts(patch.card)


def test_an_appeal_filed_on_a_form_then_accepted_by_the_manager_on_his_card(fs):
    fs.link(ANA, CHEN)
    fs.settle_seeded()
    [score] = fs.say(ANA, "/score")
    _answer, calls = fs.press(ANA, value_of(score.card, "ap:new"), chat_id=p2p(ANA))
    [form_msg] = calls
    assert form_msg.query["receive_id_type"] == "chat_id" and form_msg.body["receive_id"] == p2p(
        ANA
    )
    submit = next(v for _, v in buttons(form_msg.card) if "f" in v)
    names = [i["name"] for i in submit["f"]["inputs"]]
    # Sent with a required input empty: the same form comes back, its problem under the input.
    refused, _ = fs.press(ANA, submit, chat_id=p2p(ANA), form_value={n: "" for n in names})
    assert refused["toast"]["type"] == "error" and bs.REQUIRED in str(refused["card"]["data"])
    with fs.rt.uow() as uow:
        assert uow.session.scalar(select(Appeal)) is None
    metric = next(v for _, v in buttons(score.card) if v["a"] == "ex")["v"].split(".")[0]
    values = {n: (metric if "metric" in n else "two closed deals are missing") for n in names}
    filed, _ = fs.press(ANA, submit, chat_id=p2p(ANA), form_value=values)
    assert filed["toast"]["type"] == "success"
    with fs.rt.uow() as uow:
        appeal = uow.session.scalar(select(Appeal))
    assert appeal is not None and appeal.status == "open"
    delivered = fs.deliver()
    [card] = [c for c in to(delivered, CHEN) if "disputes" in text_of(c)]
    accept = value_of(card.card, "ap:acc")
    asked, more = fs.press(CHEN, accept, message_id="om_appeal", chat_id=p2p(CHEN))
    assert asked["toast"]["type"] == "success" and "card" not in asked  # a form follows
    [form_msg] = more
    submit = next(v for _, v in buttons(form_msg.card) if "f" in v)
    inputs = {i["name"]: i for i in submit["f"]["inputs"]}
    filled = {
        n: (i["initial"] or "618000") if i["kind"] == "number" else "agreed"
        for n, i in inputs.items()
    }
    decided, _ = fs.press(CHEN, submit, message_id="om_form", chat_id=p2p(CHEN), form_value=filled)
    assert decided["toast"]["type"] == "success", decided
    assert buttons(decided["card"]["data"]) == []
    with fs.rt.uow() as uow:
        assert uow.session.get(Appeal, appeal.id).status == "accepted"
    told = fs.deliver()
    assert to(told, ANA), "the employee hears the outcome"


def test_an_appeal_rejected_with_a_reason_asked_on_a_form(fs):
    fs.link(ANA, CHEN)
    fs.settle_seeded()
    [score] = fs.say(ANA, "/score")
    metric = next(v for _, v in buttons(score.card) if v["a"] == "ex")["v"].split(".")[0]
    fs.say(ANA, f"/appeal {metric} two closed deals are missing")
    [card] = [c for c in to(fs.deliver(), CHEN) if "disputes" in text_of(c)]
    _answer, calls = fs.press(CHEN, value_of(card.card, "ap:rej"), chat_id=p2p(CHEN))
    [form_msg] = calls
    submit = next(v for _, v in buttons(form_msg.card) if "f" in v)
    [name] = [i["name"] for i in submit["f"]["inputs"]]
    done, _ = fs.press(
        CHEN, submit, chat_id=p2p(CHEN), form_value={name: "the CRM shows both <at id=all>"}
    )
    assert done["toast"]["type"] == "success"
    with fs.rt.uow() as uow:
        appeal = uow.session.scalar(select(Appeal))
    assert (
        appeal.status == "rejected" and appeal.resolution_note == "the CRM shows both <at id=all>"
    )


def test_kpi_change_requested_then_approved_by_hr_on_the_card(fs):
    fs.link(CHEN, ZHAO)
    fs.settle_seeded()
    [asked] = fs.say(
        CHEN,
        "/kpi @_user_1 sales_amount 800k market change",
        mentions={"@_user_1": (ANA, "Ana Li")},
    )
    assert "sent to HR" in text_of(asked)
    [card] = [c for c in to(fs.deliver(), ZHAO) if "Target change for Ana Li" in text_of(c)]
    approve = value_of(card.card, "kp:ok")
    answer, _ = fs.press(ZHAO, approve, chat_id=p2p(ZHAO))
    assert buttons(answer["card"]["data"]) == []
    with fs.rt.uow() as uow:
        adj = uow.session.get(KpiAdjustment, int(approve["v"]))
    assert adj.status == "approved" and adj.new_target == 800000


def test_praise_reaches_the_person(fs):
    fs.link(CHEN, ANA)
    fs.settle_seeded()
    [said] = fs.say(
        CHEN, "/praise @_user_1 closed the ACME deal #teamwork", mentions={"@_user_1": (ANA, "Ana")}
    )
    assert text_of(said).startswith("Praise")
    with fs.rt.uow() as uow:
        assert uow.session.scalars(select(Praise)).one().tags == ["teamwork"]
    [card] = [c for c in to(fs.deliver(), ANA) if "Praise from Chen Jing" in text_of(c)]
    assert "closed the ACME deal" in text_of(card)


def test_an_unknown_button_and_a_stranger_are_answered_not_crashed(fs):
    fs.link(ANA)
    answer, calls = fs.press(ANA, {"a": "zz:nope", "v": "1"})
    assert t.STALE_TITLE in answer["toast"]["content"] and calls == []
    answer, _ = fs.press("ou_nobody", {"a": "gl:ack", "v": "1"})
    assert answer["toast"] == {"type": "error", "content": t.UNLINKED_TITLE}
