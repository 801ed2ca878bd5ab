"""Every registered button and form, pressed with values no card of ours carries (forged
callback data, other scripts' digits, ids past 64 bits, hostile form fields): each gets a
clear answer, never the apology for an internal error, and changes nothing it shouldn't."""

from __future__ import annotations

import pytest

from handlers import strings_en as t
from handlers.identity import actor_by_email
from handlers.press import Press, key_of
from handlers.registry import ACTIONS

VALUES = ["²", "٣", "9" * 30, "1" * 19, "-1", "", "a.b.c", "1.².3", "\x00", "1.9" + "9" * 25]
FORMS = [
    {},
    {
        "reason": "x" * 100_000,
        "value": "1e999999",
        "note": "\x00",
        "e1": "NaN",
        "e2": "²",
        "answer": "\u202e",
        "question": " ",
        "metric": "../../etc",
        "score": "٣",
        "comment": "1" * 5000,
    },
]
PEOPLE = ["chen.jing@acme.example", "zhao.min@acme.example", "ana.li@acme.example"]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_forged_press_gets_a_clear_answer(demo, action):
    for email in PEOPLE:
        with demo.uow() as uow:
            actor = actor_by_email(uow, email)
        assert actor is not None, email
        for value in VALUES:
            for form in FORMS:
                reply = demo.dispatcher.press(actor, Press(action, value, form))
                assert reply.cards, (action, email, value)
                titles = [c.title for c in reply.cards]
                assert t.ERROR_TITLE not in titles, (action, email, value, form and "form")


def test_key_of_takes_only_ascii_digits_that_fit_a_key():
    assert key_of("42") == 42 and key_of("9" * 18) == int("9" * 18)
    assert [key_of(v) for v in ("²", "٣", "１", "9" * 19, "-1", "", "4 ")] == [None] * 7
