"""The Home tab on app_home_opened, retried events acted on once, and its buttons."""

from __future__ import annotations

import json
import time
from pathlib import Path

from sqlalchemy import func, select

from store.models import ProcessedEvent
from tests.e2e.slack.conftest import ANA, CHEN, STRANGER

PAYLOADS = Path(__file__).parents[2] / "adapters" / "payloads"


def home_event(user: str) -> dict[str, object]:
    event = json.loads((PAYLOADS / "slack_app_home_opened.json").read_text())["event"]
    return {**event, "user": user}


def all_text(view: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(view, ensure_ascii=False)


def test_home_shows_my_goals_score_and_appeals(slack):
    assert slack.event(home_event(ANA), "EvHOME1").status_code == 200
    (call,) = slack.fake.wait_for("views.publish")
    view = json.loads(call["view"]) if isinstance(call["view"], str) else call["view"]
    assert call["user_id"] == ANA and view["type"] == "home"
    text = all_text(view)
    for part in ("perfbot · Ana Li", "Goals · Ana Li", "Score · Ana Li", "Your open appeals"):
        assert part in text
    assert "Your team" not in text  # Ana manages nobody
    assert len(view["blocks"]) <= 100


def test_a_manager_sees_the_team_at_a_glance(slack):
    slack.event(home_event(CHEN), "EvHOME2")
    (call,) = slack.fake.wait_for("views.publish")
    text = all_text(call["view"])
    assert "Your team · 2026-11" in text and "Ana Li" in text
    assert "Goals waiting for your confirmation" in text and "Appeals waiting for you" in text


def test_a_retried_event_is_acted_on_once(slack, demo):
    first = slack.event(home_event(ANA), "EvRETRY1")
    retries = [slack.event(home_event(ANA), "EvRETRY1", retry=n) for n in (1, 2, 3)]
    assert first.status_code == 200 and all(r.status_code == 200 for r in retries)
    slack.fake.wait_for("views.publish")
    slack.drain()  # everything started has finished
    assert len(slack.fake.of("views.publish")) == 1
    with demo.uow() as uow:
        n = uow.session.scalar(select(func.count()).where(ProcessedEvent.event_id == "EvRETRY1"))
    assert n == 1


def test_a_stranger_gets_a_welcome_home(slack):
    slack.event(home_event(STRANGER), "EvHOME3")
    (call,) = slack.fake.wait_for("views.publish")
    assert "Welcome to perfbot" in all_text(call["view"])


def test_refresh_and_score_buttons_on_the_home_tab(slack):
    slack.event(home_event(CHEN), "EvHOME4")
    view = slack.fake.wait_for("views.publish")[0]["view"]
    blocks = view["blocks"]
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    refresh = next(b for b in buttons if b["action_id"] == "hm")
    slack.press(CHEN, refresh, blocks, container="view")
    slack.fake.wait_for("views.publish", 2)
    # Hu Bin is behind pace in the demo: his score opens in a modal.
    behind = next(b for b in buttons if b["action_id"].startswith("sc:") and "Hu Bin" in str(b))
    slack.press(CHEN, behind, blocks, container="view")
    (modal,) = slack.fake.wait_for("views.open")
    assert "Score · Hu Bin" in all_text(modal["view"])
    slack.fake.wait_for("views.publish", 3)  # and the Home tab is refreshed
    # Explain, pressed inside that modal: the records go on top of it (views.push).
    inside = modal["view"]["blocks"]
    explain = next(
        e
        for b in inside
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"][:3] == "ex:"
    )
    slack.press(CHEN, explain, inside, container="view", view_type="modal")
    (pushed,) = slack.fake.wait_for("views.push")
    assert "where the figure comes from" in all_text(pushed["view"])
    assert len(slack.fake.of("views.open")) == 1


def test_old_event_ids_are_forgotten_now_and_then(slack, demo, clock):
    from datetime import timedelta

    slack.event(home_event(ANA), "EvOLD")
    slack.fake.wait_for("views.publish")
    clock.now += timedelta(days=2)
    slack.app.claims.count = 0  # the next claim prunes
    slack.event(home_event(ANA), "EvNEW")
    slack.fake.wait_for("views.publish", 2)
    with demo.uow() as uow:
        ids = set(uow.session.scalars(select(ProcessedEvent.event_id)))
    assert ids == {"EvNEW"}


def test_a_message_link_button_is_acked_and_runs_nothing(slack):
    """[Message Ana] opens a DM by its URL; Slack still reports the click, which is ignored."""
    link = {"action_id": "pf:link:5"}
    before = len(slack.fake.calls)
    resp = slack.press(CHEN, link, [])
    assert resp.status_code == 200
    time.sleep(0.5)  # anything run after the ack would have called the Web API by now
    assert [c.method for c in slack.fake.calls[before:] if c.method != "auth.test"] == []
