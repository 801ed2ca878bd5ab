"""Charts on Feishu: a team report's chart is uploaded (im/v1/images, multipart,
image_type=message) and shown in the card as an `img` element; an upload Feishu refuses
leaves the chart named on the card, and the card is still sent. A card updated in place
after a decision carries its chart too: in the callback's answer when the upload is done
in time, else through a PATCH once it is."""

from __future__ import annotations

from typing import Any

from bot.feishu import strings as st
from handlers.cards import Card, Image, Reply
from tests.e2e.feishu.conftest import ANA, CHEN, p2p, text_of
from tests.fakes.feishu_open_api import Fault

PNG = b"\x89PNG\r\n\x1a\n"


def _images(card: dict) -> list[dict]:  # type: ignore[type-arg]
    return [e for e in card["body"]["elements"] if e.get("tag") == "img"]


def test_a_team_report_shows_its_chart_in_the_card(fs):
    fs.link(CHEN)
    [call] = fs.say(CHEN, "/team")
    [upload] = fs.fake.called("/open-apis/im/v1/images", "POST")
    assert upload.parts["image_type"] == (None, None, b"message")
    filename, kind, data = upload.parts["image"]
    assert filename and filename.startswith("team-") and filename.endswith(".png")
    assert kind == "image/png" and data.startswith(PNG)
    [img] = _images(call.card)
    assert img["img_key"].startswith("img_v3_fake")
    assert img["alt"]["tag"] == "plain_text" and img["alt"]["content"]
    assert img["scale_type"] == "fit_horizontal"
    assert "Chart:" not in text_of(call)
    assert upload.at < call.at, "uploaded before the card that shows it"


def test_a_failed_upload_names_the_chart_and_the_card_still_arrives(fs):
    fs.link(CHEN)
    fs.fake.fail(Fault("/open-apis/im/v1/images", 400, 234001, "Invalid request param."))
    [call] = fs.say(CHEN, "/team")
    assert _images(call.card) == []
    assert any(line.startswith("Chart: ") for line in call.texts)


def test_an_expired_token_is_fetched_again_and_the_whole_image_sent(fs):
    fs.link(CHEN)
    fs.fake.expire_tokens()
    [call] = fs.say(CHEN, "/team")
    uploads = fs.fake.called("/open-apis/im/v1/images", "POST")
    assert len(uploads) == 2 and uploads[0].parts["image"][2] == uploads[1].parts["image"][2]
    assert len(_images(call.card)) == 1


# --- a decision whose card has a chart (the card updated in place) ---------------------

CHART = Card(
    "Team · 2026-11",
    ("Ana 92",),
    image=Image(PNG + b"chart", "team-2026-11.png", "Team chart"),
)
NO_SCOPE = "Access denied. One of the following scopes is required: [im:resource]"


class Decides:
    """A dispatcher whose every press decides something and answers the chart card."""

    def press(self, actor: Any, press: Any) -> Reply:
        return Reply(cards=(CHART,))


def _decide(fs, message_id: str = "om_chart"):  # type: ignore[no-untyped-def]
    fs.link(ANA)
    fs.app.dispatcher = Decides()
    return fs.press(ANA, {"a": "gl:ack", "v": "1"}, message_id=message_id, chat_id=p2p(ANA))


def _patches(fs) -> list:  # type: ignore[no-untyped-def, type-arg]
    return fs.fake.called("/open-apis/im/v1/messages/", "PATCH")


def test_a_decided_card_shows_its_chart_in_the_callbacks_answer(fs):
    answer, calls = _decide(fs)
    [upload] = fs.fake.called("/open-apis/im/v1/images", "POST")
    assert upload.parts["image"][0] == "team-2026-11.png"
    card = answer["card"]["data"]
    [img] = _images(card)
    assert img["img_key"].startswith("img_v3_fake") and img["alt"]["content"] == "Team chart"
    assert not any(e.get("tag") == "button" for e in card["body"]["elements"])
    assert _patches(fs) == [] and calls == []


def test_an_upload_slower_than_the_callback_names_the_chart_then_patches_it_in(fs):
    fs.app.ack_budget = 0.3
    fs.fake.delays["/open-apis/im/v1/images"] = 1.0
    answer, _calls = _decide(fs, "om_slow")
    card = answer["card"]["data"]
    assert _images(card) == []
    assert st.IMAGE_NOTE.format(alt="Team chart") in str(card)
    [upload] = fs.fake.called("/open-apis/im/v1/images", "POST")
    [patch] = _patches(fs)
    assert patch.path.endswith("/om_slow") and patch.at > upload.at + 1.0
    [img] = _images(patch.card)
    assert img["img_key"].startswith("img_v3_fake")
    assert st.IMAGE_NOTE.format(alt="Team chart") not in str(patch.card)


def test_a_refused_upload_leaves_the_decided_card_naming_its_chart(fs):
    fs.fake.fail(Fault("/open-apis/im/v1/images", 400, 99991672, NO_SCOPE))
    answer, _calls = _decide(fs)
    card = answer["card"]["data"]
    assert _images(card) == []
    assert st.IMAGE_NOTE.format(alt="Team chart") in str(card)
    assert _patches(fs) == []


def test_work_past_the_callbacks_budget_patches_the_card_with_its_chart(fs):
    fs.app.ack_budget = 0.0
    answer, _calls = _decide(fs, "om_late")
    assert answer == {"toast": {"type": "info", "content": st.WORKING}}
    [upload] = fs.fake.called("/open-apis/im/v1/images", "POST")
    [patch] = _patches(fs)
    assert patch.path.endswith("/om_late") and upload.at < patch.at
    assert len(_images(patch.card)) == 1
