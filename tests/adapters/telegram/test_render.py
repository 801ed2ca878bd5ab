"""Cards as Telegram HTML and inline keyboards: escaping, limits, photos, prompts."""

from __future__ import annotations

import re

import pytest

from bot.presses import is_stale
from bot.telegram import strings as st
from bot.telegram.render import (
    MAX_CALLBACK,
    MAX_CAPTION,
    MAX_TEXT,
    CallbackTooLong,
    esc,
    keyboard,
    prompt,
    render,
    toast,
)
from handlers import strings_en as t
from handlers.cards import Button, Card, Image, Input, Reply

TAG = re.compile(r"</?(b|i)>")


def test_a_card_is_bold_title_lines_fields_and_an_italic_footnote():
    card = Card(
        "Score · Ana Li · 2026-11",
        lines=("Sales (40%): 1 of 2",),
        fields=(("Total", "83.2 (good)"),),
        footnote="Sources: crm",
        buttons=(
            Button("Explain Sales", "ex", "sales.5.4"),
            Button("Appeal a figure", "ap:new", "4"),
        ),
    )
    out = render(card)
    assert out.texts == (
        "<b>Score · Ana Li · 2026-11</b>\nSales (40%): 1 of 2\n<b>Total</b>: 83.2 (good)\n"
        "<i>※ Sources: crm</i>",
    )
    assert out.keyboard == ((("Explain Sales", "ex:sales.5.4"), ("Appeal a figure", "ap:new:4")),)
    assert out.photo is None


def test_every_user_text_is_escaped():
    evil = '<a href="http://x">pwn</a> & <b>bold</b>'
    card = Card(evil, lines=(evil,), fields=((evil, evil),), footnote=evil)
    html = render(card).texts[0]
    assert "<a " not in html and "pwn</a>" not in html
    assert TAG.sub("", html).count("&lt;a href") == 5
    assert "&amp;" in html


def test_long_cards_split_at_line_boundaries_within_telegram_limits():
    card = Card("Team", lines=tuple(f"{i:04d} " + "x" * 90 for i in range(200)))
    out = render(card)
    assert len(out.texts) > 1 and all(len(text) <= MAX_TEXT for text in out.texts)
    joined = "\n".join(out.texts)
    assert [int(n) for n in re.findall(r"^(\d{4}) ", joined, re.M)] == list(range(200))


def test_one_huge_line_of_ampersands_still_fits():
    out = render(Card("Praise", lines=("&" * 5000,)))
    assert all(len(text) <= MAX_TEXT for text in out.texts)
    assert "".join(out.texts).count("&amp;") == 5000


def test_a_chart_goes_as_a_photo_with_the_card_as_caption():
    png = Image(b"\x89PNG...", "team.png", "chart")
    out = render(Card("Team · 2026-11", lines=("8 people",), image=png))
    assert out.photo is png and out.texts == ()
    assert out.caption == "<b>Team · 2026-11</b>\n8 people"


def test_a_chart_with_a_long_card_gets_a_short_caption_and_the_text_after():
    png = Image(b"png", "team.png", "chart")
    out = render(Card("Team", lines=tuple("y" * 100 for _ in range(20)), image=png))
    assert out.caption == "<b>Team</b>" and len(out.caption) <= MAX_CAPTION
    assert out.texts and out.texts[0].startswith("<b>Team</b>")


def test_keyboard_rows_pair_short_labels_and_give_long_ones_a_row():
    buttons = (
        Button("Accept", "ap:acc", "1"),
        Button("Reject", "ap:rej", "1"),
        Button("Ask for more details about it", "ap:ask", "1"),
        Button("Done", "x"),
    )
    assert keyboard(buttons) == (
        (("Accept", "ap:acc:1"), ("Reject", "ap:rej:1")),
        (("Ask for more details about it", "ap:ask:1"),),
        (("Done", "x"),),
    )


def test_callback_data_over_64_bytes_is_refused():
    ok = Button("ok", "ex", "a" * (MAX_CALLBACK - 3))
    assert keyboard((ok,))[0][0][1] == ok.callback
    with pytest.raises(CallbackTooLong):
        keyboard((Button("too long", "ex", "a" * (MAX_CALLBACK - 2)),))
    with pytest.raises(CallbackTooLong):  # bytes, not characters
        keyboard((Button("wide", "ex", "周" * 21),))


def test_form_prompts_say_what_can_be_answered():
    item = Input("value", "New target <for 2026>", kind="number", initial="100000")
    html = prompt("Adjust #12", item, problem="'x' is not a number")
    assert html.startswith("'x' is not a number\n<b>Adjust #12</b>\nNew target &lt;for 2026&gt;")
    assert st.FORM_NUMBER in html and "/skip keeps: 100,000" in html and "/cancel" in html
    optional = prompt("", Input("note", "Note", required=False))
    assert st.FORM_OPTIONAL in optional


def test_toasts_are_short_plain_text():
    long = Reply.say("Title", "z" * 500)
    assert len(toast(long)) == 200 and toast(long).endswith("…")
    assert toast(Reply()) == st.DONE


def test_stale_replies_are_recognised():
    assert is_stale(Reply.say(t.ACK_TITLE, t.ALREADY_HANDLED))
    assert is_stale(Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False))
    assert not is_stale(Reply.say(t.ACK_TITLE, t.ACKED.format(goals="1 goal")))


def test_esc_leaves_quotes_for_readability():
    assert esc('it\'s "fine" <3') == 'it\'s "fine" &lt;3'


def test_a_choice_is_asked_as_a_numbered_list():
    item = Input(
        "metric", "Which figure", "choice", options=(("sales", "Sales <net>"), ("nps", "NPS"))
    )
    html = prompt("Appeal a figure", item)
    assert html.startswith(
        "<b>Appeal a figure</b>\nWhich figure\n1. Sales &lt;net&gt;\n2. NPS\n<i>"
    )
    assert st.FORM_CHOICE in html and "/cancel" in html
    assert "1." not in prompt("", Input("reason", "Why"))


def test_a_kept_choice_is_named_by_its_label():
    item = Input("metric", "Which", "choice", initial="nps", options=(("nps", "客户满意度"),))
    assert "/skip keeps: 客户满意度" in prompt("", item)
