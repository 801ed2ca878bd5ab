"""The appeal life cycle in Slack: DM cards, modals with inline errors, cards updated in place."""

from __future__ import annotations

import json

from sqlalchemy import select

from store.models import Appeal
from tests.e2e.slack.conftest import ANA, CHEN
from tests.e2e.slack.helpers import button, deliver, posted_to, view_of


def appeal(demo) -> Appeal:  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        return uow.session.scalars(select(Appeal).order_by(Appeal.id.desc())).first()


def test_appeal_reject_through_a_modal_with_inline_errors(flows, demo):
    fake = flows.fake
    opened = flows.command(ANA, "sales_amount two deals are missing <!channel>", "/appeal")
    assert opened.json()["text"].startswith("Appeal #")
    a = appeal(demo)
    assert a.status == "open" and a.metric == "sales_amount"

    deliver(demo, fake)
    card = posted_to(fake, "D" + CHEN, f"Appeal #{a.id}")
    # Slack's <!channel> is read as the words "@channel": shown, it notifies nobody.
    assert "<!channel>" not in json.dumps(card) and "@channel" in json.dumps(card)
    reject = button(card["blocks"], "ap:rej:")
    flows.press(CHEN, reject, card["blocks"], ephemeral=False, channel="D" + CHEN, ts=card["ts"])
    modal = view_of(fake.wait_for("views.open")[0])
    assert modal["type"] == "modal" and modal["blocks"][0]["block_id"] == "reason"

    empty = flows.submit(CHEN, modal, {"reason": ""})
    assert empty.json() == {
        "response_action": "errors",
        "errors": {"reason": "Please fill this in."},
    }
    assert appeal(demo).status == "open"

    done = flows.submit(CHEN, modal, {"reason": "the two deals closed in December"})
    assert done.json()["response_action"] == "update"
    assert appeal(demo).status == "rejected"
    (updated,) = fake.wait_for("chat.update")
    assert updated["channel"] == "D" + CHEN and updated["ts"] == card["ts"]
    # Every button of that appeal is gone from the card, the outcome is under it.
    assert not [b for b in updated["blocks"] if b["type"] == "actions"]
    assert "Rejected" in updated["blocks"][-1]["elements"][0]["text"]

    deliver(demo, fake)  # Ana hears the outcome
    posted_to(fake, "D" + ANA, f"Appeal #{a.id}")
    # The stale card pressed again: handled by state, nothing changes.
    flows.press(CHEN, reject, card["blocks"], ephemeral=False, channel="D" + CHEN, ts=card["ts"])
    flows.drain()
    again = fake.of("chat.update")[-1]
    assert "Already handled" in again["text"] and appeal(demo).status == "rejected"


def test_appeal_questions_go_back_and_forth_then_accept_with_a_correction(flows, demo):
    fake = flows.fake
    flows.command(ANA, "appeal sales_amount two deals are missing")
    a = appeal(demo)
    deliver(demo, fake)
    card = posted_to(fake, "D" + CHEN, f"Appeal #{a.id}")
    where = {"ephemeral": False, "channel": "D" + CHEN, "ts": card["ts"]}

    flows.press(CHEN, button(card["blocks"], "ap:ask:"), card["blocks"], **where)
    ask = view_of(fake.wait_for("views.open")[0])
    assert (
        flows.submit(CHEN, ask, {"question": "Which deals?"}).json()["response_action"] == "update"
    )
    assert appeal(demo).status == "needs_info"

    deliver(demo, fake)
    question = posted_to(fake, "D" + ANA, f"A question about your appeal #{a.id}")
    flows.press(ANA, button(question["blocks"], "ap:ans:"), question["blocks"], ephemeral=False,
                channel="D" + ANA, ts=question["ts"])  # fmt: skip
    answer = view_of(fake.wait_for("views.open", 2)[1])
    flows.submit(ANA, answer, {"answer": "D-ANALI2611-004 and -005"})
    assert appeal(demo).status == "open"

    flows.press(CHEN, button(card["blocks"], "ap:acc:"), card["blocks"], **where)
    accept = view_of(fake.wait_for("views.open", 3)[2])
    number = next(b for b in accept["blocks"] if b["element"]["type"] == "number_input")
    values = {b["block_id"]: "" for b in accept["blocks"]}
    bad = flows.submit(CHEN, accept, {**values, number["block_id"]: "lots"})
    assert bad.json()["errors"][number["block_id"]] == "Enter a number, e.g. 118000."
    good = {**{k: "corrected" for k in values}, number["block_id"]: "880000"}
    assert flows.submit(CHEN, accept, good).json()["response_action"] == "update"
    a = appeal(demo)
    assert a.status == "accepted" and a.corrected_value == 880000
