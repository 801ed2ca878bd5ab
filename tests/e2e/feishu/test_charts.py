"""Charts on Feishu: a team report's chart is uploaded (im/v1/images, multipart,
image_type=message) and shown in the card as an `img` element; an upload Feishu refuses
leaves the chart named on the card, and the card is still sent."""

from __future__ import annotations

from tests.e2e.feishu.conftest import CHEN, text_of
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
