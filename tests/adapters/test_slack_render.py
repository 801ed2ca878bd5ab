"""Cards to Block Kit: Slack's limits kept, fallback text set, user text inert."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from slack_sdk.errors import SlackObjectFormationError

from bot.slack import render
from handlers.cards import Button, Card, Form, Image, Input, Reply


def test_a_score_card():
    card = Card(
        title="Score · Ana Li · 2026-11",
        lines=("Sales (40%): 670,508 of 1,000,000 → 67% → 26.82 pts  [crm]",),
        fields=(("Total", "83.23 (good)"),),
        buttons=(
            Button("Explain Sales", "ex", "sales.5.4"),
            Button("Appeal", "ap:new", "4", "danger"),
        ),
        footnote="Sources: crm",
    )
    msg = render.message((card,))
    kinds = [b["type"] for b in msg["blocks"]]
    assert kinds == ["header", "section", "section", "actions", "context"]
    assert msg["text"].startswith("Score · Ana Li · 2026-11: Sales (40%)")
    elements = msg["blocks"][3]["elements"]
    assert [(e["action_id"], e["value"]) for e in elements] == [
        ("ex:sales.5.4", "sales.5.4"),
        ("ap:new:4", "4"),
    ]
    assert elements[1]["style"] == "danger" and "style" not in elements[0]


def test_user_text_is_escaped_everywhere():
    evil = "<!channel> & <@U999> <https://evil|click>"
    card = Card(title=evil, lines=(evil,), fields=((evil, evil),), footnote=evil)
    msg = render.message((card,))
    dumped = json.dumps(msg)
    assert "<!channel>" not in dumped and "<@U999>" not in dumped and "<https" not in dumped
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt;" in msg["text"]


def test_long_cards_are_cut_to_fit_never_rejected():
    card = Card(
        title="T" * 400,
        lines=tuple(f"line {i} " + "x" * 500 for i in range(200)),
        fields=tuple((f"f{i}", "v" * 3000) for i in range(25)),
        buttons=tuple(Button("B" * 100, "gl:ack", str(i)) for i in range(40)),
    )
    msg = render.message([card] * 5)
    assert len(msg["blocks"]) == render.MESSAGE_BLOCKS
    assert msg["blocks"][-1]["elements"][0]["text"].startswith("…and ")
    assert "…and 140 more" in json.dumps(msg["blocks"], ensure_ascii=False)  # past MAX_LINES
    assert len(msg["blocks"][0]["text"]["text"]) <= 150
    for b in msg["blocks"]:
        if b["type"] == "section" and "text" in b:
            assert len(b["text"]["text"]) <= 3000
        if b["type"] == "actions":
            assert len(b["elements"]) <= 5
            assert all(len(e["text"]["text"]) <= 75 for e in b["elements"])


def test_a_form_opens_as_a_modal_with_inline_error_targets():
    form = Form(
        "Reject appeal #4 — tell them why please",
        "ap:rej",
        "4",
        (Input("reason", "Reason"), Input("value", "Corrected value", "number", required=False)),
    )
    view = render.modal(form, '{"a":"ap:rej","v":"4"}')
    assert view["type"] == "modal" and view["callback_id"] == render.SUBMIT_CALLBACK
    assert len(view["title"]["text"]) <= 24
    ids = [(b["block_id"], b["element"]["type"], b.get("optional", False)) for b in view["blocks"]]
    assert ids == [("reason", "plain_text_input", False), ("value", "number_input", True)]


def test_a_form_card_without_a_trigger_gets_a_button_that_carries_the_form():
    form = Form("Details", "ap:ans", "9", (Input("answer", "Your answer"),))
    msg = render.message((Card(title="Your manager asks", form=form),))
    (button,) = msg["blocks"][-1]["elements"]
    assert button["action_id"].startswith(render.FORM_OPEN + ":")
    assert render.form_from_button(button["value"]) == form
    assert render.form_from_button("not json") is None


def test_an_image_is_announced_and_fallback_never_empty():
    card = Card(title="Team", image=Image(b"png", "team.png", "Scores by person"))
    assert "Scores by person" in json.dumps(render.message((card,)))
    assert render.message(())["text"] == "perfbot"


def test_decided_removes_the_pressed_button_and_adds_the_outcome():
    blocks = render.message(
        (
            Card(
                title="Goals",
                buttons=(Button("Ack #1", "gl:ack", "1"), Button("Ack #2", "gl:ack", "2")),
            ),
        )
    )["blocks"]
    out = render.decided(
        blocks, "gl:ack:1", Reply.say("Goals acknowledged", "Acknowledged 1").cards
    )
    actions = [e["action_id"] for b in out if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["gl:ack:2"]
    assert out[-1]["elements"][0]["text"] == "✓ Goals acknowledged: Acknowledged 1"


def test_home_and_result_views_hold_up_to_100_blocks():
    cards = [Card(title=f"c{i}", lines=("x",), buttons=(Button("b", "hm"),)) for i in range(40)]
    home = render.home_view(cards)
    assert home["type"] == "home" and len(home["blocks"]) == render.VIEW_BLOCKS
    result = render.result_view(Reply(cards=tuple(cards[:2])))
    assert result["title"]["text"] == "c0" and result["close"]["text"] == "Done"


def test_as_dict_runs_slack_sdks_limit_checks():
    too_long = render.HeaderBlock(text="x" * 151)
    with pytest.raises(SlackObjectFormationError) as sdk:
        too_long.to_dict()
    with pytest.raises(SlackObjectFormationError) as ours:
        render.as_dict(too_long)
    assert str(ours.value) == str(sdk.value)
    no_text = render.SectionBlock()
    with pytest.raises(SlackObjectFormationError):
        render.as_dict(no_text)


def test_as_dict_is_slack_sdks_to_dict_only_faster():
    form = Form(
        "F", "ap:acc", "1", (Input("v", "Value", "number"), Input("n", "Note", required=False))
    )
    buttons = (Button("Go", "gl:ack", "1", "primary"), Button("No", "ap:rej", "2", "danger"))
    cards = [
        Card(
            title="A & <b>", lines=("x",) * 3, fields=(("k", "v"),), footnote="f", buttons=buttons
        ),
        Card(title="Form", form=form, image=Image(b"x", "a.png", "alt")),
    ]
    blocks = [b for c in cards for b in render.card_blocks(c)]
    assert [render.as_dict(b) for b in blocks] == [b.to_dict() for b in blocks]
    view = render.View(type="modal", title="t", blocks=render.fit(blocks, 100))
    assert render.as_dict(view) == view.to_dict()
    modal = render.modal(form, "{}")
    assert modal["blocks"][0]["element"] == {
        "type": "number_input",
        "action_id": "v",
        "is_decimal_allowed": True,
    }


def test_a_chat_button_links_to_a_direct_message_and_its_click_is_ignored():
    linked = Button("Message Ana Li", "nd:msg", "5", chat=(("slack", "U05ANA", "ana"),))
    not_here = Button("Message Bo", "nd:msg", "7", chat=(("telegram", "77", ""),))
    nothing = Button("Open a chat with Cy", "", "8", chat=(("telegram", "88", ""),))
    blocks = render.card_blocks(Card("Digest", buttons=(linked, not_here, nothing)))
    (actions,) = [b for b in map(render.as_dict, blocks) if b["type"] == "actions"]
    assert actions["elements"] == [
        {
            "type": "button",
            "action_id": "pf:link:5",
            "text": {"type": "plain_text", "text": "Message Ana Li", "emoji": True},
            "url": "https://slack.com/app_redirect?channel=U05ANA",
        },
        {
            "type": "button",
            "action_id": "nd:msg:7",
            "text": {"type": "plain_text", "text": "Message Bo", "emoji": True},
            "value": "7",
        },
    ]


def test_a_decided_digest_button_takes_only_its_own_siblings_away():
    card = Card(
        "Digest",
        buttons=(
            Button("Ana Li's score", "sc", "12"),
            Button("Snooze Ana Li", "nd:snzp", "12"),
            Button("Approve #12", "kp:ok", "12"),
            Button("Reject #12", "kp:no", "12"),
        ),
    )
    blocks = render.message((card,))["blocks"]
    kept = render.decided(blocks, "kp:ok:12", [Card("Approved")])
    ids = [e["action_id"] for b in kept if b["type"] == "actions" for e in b["elements"]]
    assert ids == ["sc:12", "nd:snzp:12"]


CHOICE = Input(
    "metric",
    "Which figure",
    "choice",
    options=(("sales_amount", "Sales"), ("collection_rate", "回款率" * 30)),
)


def test_a_choice_opens_as_a_static_select_within_slacks_limits():
    form = Form("Appeal a figure", "ap:new", "3", (CHOICE, Input("reason", "Reason")))
    view = render.modal(form, "{}")
    metric = view["blocks"][0]
    assert metric["block_id"] == "metric" and metric["label"]["text"] == "Which figure"
    element = metric["element"]
    assert element["type"] == "static_select" and element["action_id"] == "v"
    assert [o["value"] for o in element["options"]] == ["sales_amount", "collection_rate"]
    assert element["options"][0]["text"] == {"type": "plain_text", "text": "Sales", "emoji": True}
    assert len(element["options"][1]["text"]["text"]) == 75  # cut to Slack's option text
    assert "initial_option" not in element
    # slack_sdk's own to_dict (its validators run) builds the same view
    rebuilt = render.View(**{k: v for k, v in view.items() if k != "type"}, type="modal")
    assert rebuilt.to_dict() == view


def test_a_choice_keeps_its_pick_and_falls_back_to_typing_beyond_slacks_limits():
    picked = render.modal(Form("F", "a", "", (replace(CHOICE, initial="collection_rate"),)), "{}")
    assert picked["blocks"][0]["element"]["initial_option"]["value"] == "collection_rate"
    many = tuple((f"m{i}", f"Metric {i}") for i in range(101))
    long_value = (("x" * 151, "Long"),)
    for options in (many, long_value):
        form = Form("F", "a", "", (replace(CHOICE, options=options),))
        element = render.modal(form, "{}")["blocks"][0]["element"]
        assert element["type"] == "plain_text_input"  # typed words are still resolved
    hundred = Form("F", "a", "", (replace(CHOICE, options=many[:100]),))
    assert len(render.modal(hundred, "{}")["blocks"][0]["element"]["options"]) == 100


def test_a_form_button_too_long_for_its_options_carries_the_form_without_them():
    many = tuple((f"metric_{i}", f"Metric number {i}") for i in range(100))
    form = Form("Appeal a figure", "ap:new", "3", (replace(CHOICE, options=many),))
    carried = render.form_from_button(render.form_button(form).value)
    assert carried is not None and carried.inputs[0].options == ()
    short = Form("Appeal a figure", "ap:new", "3", (CHOICE,))
    assert render.form_from_button(render.form_button(short).value) == short
