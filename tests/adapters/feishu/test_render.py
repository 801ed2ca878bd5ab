"""Neutral cards as Feishu card JSON 2.0: plain text only, buttons, forms, limits."""

from __future__ import annotations

import json

from bot.feishu import render
from bot.feishu import strings as st
from handlers.cards import Button, Card, Form, Image, Input, Reply
from tests.fakes.feishu_events import buttons


def texts(card: dict) -> list[str]:
    out = []
    for e in card["body"]["elements"]:
        if e["tag"] == "div":
            out.append(e["text"]["content"])
    return out


def test_a_card_is_header_plain_text_fields_buttons_and_footnote():
    card = Card(
        "Score · 2026-11",
        lines=('<at user_id="all"></at> **not bold**',),
        fields=(("Attainment", "92%"),),
        buttons=(Button("Acknowledge", "gl:ack", "4", "primary"), Button("Later", "x")),
        footnote="as of today",
        image=Image(b"png", "c.png", "sales chart"),
    )
    out = render.card(card)
    assert out["schema"] == "2.0" and out["header"]["title"]["content"] == "Score · 2026-11"
    assert texts(out)[0] == card.lines[0]  # shown literally: plain_text, never markdown
    assert "Attainment: 92%" in texts(out) and "as of today" in texts(out)
    assert st.IMAGE_NOTE.format(alt="sales chart") in texts(out)
    assert buttons(out) == [
        ("Acknowledge", {"a": "gl:ack", "v": "4"}),
        ("Later", {"a": "x", "v": ""}),
    ]
    assert all(e["tag"] != "markdown" for e in out["body"]["elements"])


def test_a_form_carries_itself_back_and_shows_problems_under_inputs():
    form = Form(
        "Appeal",
        "ap:file",
        "7",
        (Input("reason", "Why?"), Input("n", "Amount", "number", False, "5")),
    )
    out = render.card(Card("Appeal", form=form), problems=(("reason", "Please fill this in."),))
    box = next(e for e in out["body"]["elements"] if e["tag"] == "form")
    inputs = [e for e in box["elements"] if e["tag"] == "input"]
    assert [(i["name"], i["required"]) for i in inputs] == [("reason", True), ("n", False)]
    assert inputs[1]["default_value"] == "5"
    assert any(
        "Please fill this in." in e.get("text", {}).get("content", "") for e in box["elements"]
    )
    [(_, value)] = buttons(out)
    assert (
        value["a"] == "ap:file"
        and value["v"] == "7"
        and value["f"]["inputs"][0]["name"] == "reason"
    )


def test_a_chat_button_opens_the_direct_chat():
    b = Button("Message Ana", "pp:dm", "3", chat=(("feishu", "ou_ana", ""), ("slack", "U1", "")))
    [element] = [
        e for e in render.card(Card("x", buttons=(b,)))["body"]["elements"] if e["tag"] == "button"
    ]
    assert element["behaviors"] == [
        {"type": "open_url", "default_url": render.APPLINK.format(open_id="ou_ana")}
    ]


def test_long_cards_are_cut_never_refused():
    card = Card("Team", lines=tuple("x" * 1900 for _ in range(200)), buttons=(Button("Go", "go"),))
    out = render.card(card)
    assert len(render.content(out).encode()) <= render.MAX_CARD_BYTES + 500
    assert buttons(out) == [("Go", {"a": "go", "v": ""})]
    assert any(t.startswith("…and") for t in texts(out))


def test_decided_keeps_the_outcome_and_drops_the_buttons():
    reply = Reply.say("Appeal #4", "Accepted.")
    out = render.decided(
        Reply(cards=(Card("Appeal #4", lines=("Accepted.",), buttons=(Button("x", "y"),)),))
    )
    assert buttons(out) == []
    assert st.DECIDED.format(outcome="Appeal #4: Accepted.") in texts(out)
    assert render.toast(reply) == {"type": "success", "content": "Appeal #4: Accepted."}
    assert json.loads(render.content(out)) == out


def test_a_choice_is_a_select_static_whose_form_value_is_the_key():
    which = Input(
        "metric", "哪项数据", "choice", options=(("sales_amount", "销售额"), ("nps", "客户满意度"))
    )
    form = Form("对数据提出申诉", "ap:new", "3", (which, Input("reason", "有什么问题")))
    out = render.card(Card(form.title, form=form), problems=(("metric", "请填写此项。"),))
    box = next(e for e in out["body"]["elements"] if e["tag"] == "form")
    [select] = [e for e in box["elements"] if e["tag"] == "select_static"]
    assert select == {
        "tag": "select_static",
        "name": "metric",
        "required": True,
        "placeholder": {"tag": "plain_text", "content": "哪项数据"},
        "width": "fill",
        "options": [
            {"text": {"tag": "plain_text", "content": "销售额"}, "value": "sales_amount"},
            {"text": {"tag": "plain_text", "content": "客户满意度"}, "value": "nps"},
        ],
    }
    # its question above it (a select has no label), its problem below
    at = box["elements"].index(select)
    assert box["elements"][at - 1]["text"]["content"] == "哪项数据"
    assert box["elements"][at + 1]["text"]["content"] == "⚠ 请填写此项。"
    # the submit button carries the options back, so a refused form is shown again whole
    [(_, value)] = buttons(out)
    assert value["f"]["inputs"][0]["options"] == [["sales_amount", "销售额"], ["nps", "客户满意度"]]
    json.dumps(out, ensure_ascii=False)
    picked = Form(
        "F", "a", "", (Input("metric", "Which", "choice", initial="nps", options=which.options),)
    )
    again = next(e for e in render.form(picked)["elements"] if e["tag"] == "select_static")
    assert again["initial_option"] == "nps"
