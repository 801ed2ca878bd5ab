"""An uploaded image as a card's `img` element (else named), and Feishu's mobile numbers
as E.164."""

from __future__ import annotations

import pytest

from bot.feishu import render
from bot.feishu import strings as st
from bot.feishu.mobiles import mobile_e164, mobile_forms
from handlers.cards import Card, Image, Reply

CHART = Card("Team · 2026-11", lines=("Ana 92",), image=Image(b"png", "team.png", "Team chart"))


def test_an_uploaded_image_is_an_img_element_where_the_note_would_be():
    out = render.card(CHART, image_key="img_v3_0238_abc")
    [img] = [e for e in out["body"]["elements"] if e["tag"] == "img"]
    assert img == {
        "tag": "img",
        "img_key": "img_v3_0238_abc",
        "alt": {"tag": "plain_text", "content": "Team chart"},
        "scale_type": "fit_horizontal",
        "preview": True,
    }
    assert st.IMAGE_NOTE.format(alt="Team chart") not in render.content(out)


def test_without_an_image_key_the_image_is_named():
    out = render.card(CHART)
    assert all(e["tag"] != "img" for e in out["body"]["elements"])
    assert st.IMAGE_NOTE.format(alt="Team chart") in render.content(out)


def test_a_decided_card_keeps_its_image_without_its_buttons():
    out = render.decided(Reply(cards=(CHART,)), image_key="img_v3_0238_abc")
    tags = [e["tag"] for e in out["body"]["elements"]]
    assert "img" in tags and "button" not in tags
    named = render.content(render.decided(Reply(cards=(CHART,))))
    assert st.IMAGE_NOTE.format(alt="Team chart") in named, "without an image_key: named"


@pytest.mark.parametrize(
    ("given", "e164"),
    [
        ("+8613800138000", "+8613800138000"),
        ("13800138000", "+8613800138000"),  # mainland, without its +86
        ("+86 138-0013-8000", "+8613800138000"),
        ("+1 (212) 666-8888", "+12126668888"),
        ("2126668888", None),  # no country code, not a mainland number
        ("", None),
        (None, None),
    ],
)
def test_feishu_mobiles_as_e164(given, e164):
    assert mobile_e164(given) == e164


def test_a_mainland_number_is_asked_for_with_and_without_its_country_code():
    assert mobile_forms("+8613800138000") == ("+8613800138000", "13800138000")
    assert mobile_forms("+12126668888") == ("+12126668888",)
