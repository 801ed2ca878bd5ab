"""The rating card on every platform: all its buttons within Slack's and Telegram's limits,
on the default scale and the widest one, with ids as large as a big company's."""

from __future__ import annotations

from datetime import date

import pytest

from bot.console.render import render as console_render
from bot.slack import render as slack
from bot.slack.parse import press_for
from bot.telegram import render as telegram
from bot.telegram.parse import to_press
from handlers.cards import Card
from handlers.ratings.card import cards_for, comment_form
from handlers.registry import ACTIONS
from scoring.config import RatingScale
from store.models import Period
from store.ratings import ReportRow

NOV = Period(id=987_654, key="2026-11", kind="month", starts_on=date(2026, 11, 1),
             ends_on=date(2026, 11, 30), status="open")  # fmt: skip


def team(n: int) -> list[ReportRow]:
    return [
        ReportRow(
            manager_id=1,
            employee_id=9_999_000 + i,
            name=f"Maximilian Alexander-Schmidt {i}",
            email=f"p{i}@x.example",
            rating=(i % 5) + 1 if i % 2 else None,
            note="solid <b>quarter</b> & more " * 10 if i % 3 == 0 else "",
            rater=None,
            self_text="I did a lot. " * 100 if i % 2 else None,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("scale", "people", "pages"), [(RatingScale(1, 5), 23, 3), (RatingScale(0, 10), 9, 3)]
)
def test_every_page_fits_slack_and_telegram(scale: RatingScale, people: int, pages: int) -> None:
    cards = cards_for(team(people), NOV, scale)
    assert len(cards) == pages
    shown = 0
    for card in cards:
        rate_buttons = [b for b in card.buttons if b.action == "rt"]
        shown += len(rate_buttons) // len(scale.values)
        msg = slack.message((card,))
        actions = [b for b in msg["blocks"] if b["type"] == "actions"]
        assert len(msg["blocks"]) < slack.MESSAGE_BLOCKS  # nothing cut to "…and N more"
        assert all(len(a["elements"]) <= 25 for a in actions)
        assert sum(len(a["elements"]) for a in actions) == len(card.buttons)
        board = telegram.keyboard(card.buttons)  # raises on callback data over 64 bytes
        assert sum(len(row) for row in board) == len(card.buttons) <= 100
        assert all(len(b.callback.encode()) <= 64 for b in card.buttons)
    assert shown == people


def test_each_button_comes_back_as_the_press_the_handlers_expect() -> None:
    card = cards_for(team(3), NOV, RatingScale())[0]
    for b in card.buttons:
        element = next(
            e
            for blk in slack.message((card,))["blocks"]
            if blk["type"] == "actions"
            for e in blk["elements"]
            if e["action_id"] == b.callback
        )
        assert press_for(element["action_id"], element["value"]) == press_for(b.callback, b.value)
        assert press_for(element["action_id"], element["value"]).action in ACTIONS
        tg = to_press(b.callback, tuple(ACTIONS))
        assert (tg.action, tg.value) == (b.action, b.value)


def test_the_card_survives_the_outbox_and_reads_in_the_console() -> None:
    card = cards_for(team(2), NOV, RatingScale())[0]
    assert Card.from_dict(card.to_dict()) == card
    text = console_render(card)
    assert "[rt:987654.9999000.1] Maximilian Al… 1" in text
    assert "Self-assessment: “I did a lot." in text


def test_the_comment_form_becomes_a_modal_and_a_telegram_conversation() -> None:
    card = comment_form(team(10), NOV, RatingScale(), 1)
    assert card.form is not None and len(card.form.inputs) == 10
    view = slack.modal(card.form, "{}")
    assert [b["block_id"] for b in view["blocks"]] == [f"e{9_999_000 + i}" for i in range(10)]
    assert all(b["optional"] for b in view["blocks"])
    assert "Maximilian" in telegram.prompt(card.form.title, card.form.inputs[0])
