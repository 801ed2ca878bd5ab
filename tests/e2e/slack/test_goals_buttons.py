"""Buttons on a goals card: acknowledge updates the card in place; a second press is refused."""

from __future__ import annotations

from sqlalchemy import select

from store.models import Employee, Goal
from tests.e2e.slack.conftest import ANA, CHEN


def buttons(blocks):  # type: ignore[no-untyped-def]
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def ana_goals(demo) -> dict[int, str]:  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana.li@acme.example"))
        rows = uow.session.scalars(select(Goal).where(Goal.employee_id == ana.id)).all()
        return {g.id: g.status for g in rows}


def test_acknowledge_from_an_ephemeral_goals_card(slack, demo):
    card = slack.command(ANA, "", command="/goals").json()
    ack = next(b for b in buttons(card["blocks"]) if b["action_id"].startswith("gl:ack:"))
    goal_id = int(ack["value"])
    assert ana_goals(demo)[goal_id] == "confirmed"

    assert slack.press(ANA, ack, card["blocks"], ephemeral=True).status_code == 200
    (update,) = slack.fake.wait_for("response")
    # The ephemeral card is replaced in place: that button is gone, the outcome is shown.
    assert update["replace_original"] is True
    assert ack["action_id"] not in [b["action_id"] for b in buttons(update["blocks"])]
    assert "Acknowledged 1 goal" in update["blocks"][-1]["elements"][0]["text"]
    assert ana_goals(demo)[goal_id] == "acknowledged"

    slack.press(ANA, ack, card["blocks"], ephemeral=True)  # a stale copy pressed again
    again = slack.fake.wait_for("response", 2)[1]
    assert "Already handled" in again["blocks"][-1]["elements"][0]["text"]
    assert ana_goals(demo)[goal_id] == "acknowledged"


def test_a_delivered_card_is_updated_with_chat_update(slack, demo):
    card = slack.command(ANA, "", command="/goals").json()
    ack = next(b for b in buttons(card["blocks"]) if b["action_id"].startswith("gl:ack:"))
    slack.press(ANA, ack, card["blocks"], ephemeral=False, channel="DANA", ts="1700000200.000100")
    (update,) = slack.fake.wait_for("chat.update")
    assert update["channel"] == "DANA" and update["ts"] == "1700000200.000100"
    assert "Acknowledged" in update["text"]
    assert ack["action_id"] not in [b["action_id"] for b in buttons(update["blocks"])]


def test_someone_else_cannot_acknowledge_my_goal(slack, demo):
    card = slack.command(ANA, "", command="/goals").json()
    ack = next(b for b in buttons(card["blocks"]) if b["action_id"].startswith("gl:ack:"))
    slack.press(CHEN, ack, card["blocks"])
    (answer,) = slack.fake.wait_for("response")
    assert answer["replace_original"] is False and "isn't one of yours" in str(answer["blocks"])
    assert ana_goals(demo)[int(ack["value"])] == "confirmed"


def test_an_unknown_button_says_so(slack):
    slack.press(CHEN, {"action_id": "zz:nope:1", "value": "1"})
    (answer,) = slack.fake.wait_for("response")
    assert "no longer valid" in str(answer["blocks"])
