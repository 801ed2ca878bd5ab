"""The corpus of real Telegram updates (tests/fakes/telegram_payloads/corpus/: the Bot API
documentation and python-telegram-bot's own tests, each naming its source) replayed through
the Application and through the webhook route: every one answered or ignored as its
`expect` says, never a 5xx, and nothing logged at ERROR."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from telegram import Update

from bot.telegram.server import webhook_route
from handlers.identity import ChatAccount, link_identity
from store.models import Employee
from tests.e2e.telegram.conftest import Harness, texts

CORPUS = Path(__file__).parents[2] / "fakes" / "telegram_payloads" / "corpus"
FIXTURES = sorted(CORPUS.glob("telegram_*.json"))
SECRET = "corpus-secret"
# The corpus' people, as demo people: the webhook guide's test user is Ana's manager, the
# peer without a username (reached by text_mention only) is Zhou Tao.
PEOPLE = {
    1111111: ("chen.jing@acme.example", "Testusername"),
    2222222: ("zhou.tao@acme.example", None),
}
AUTH = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}


def load(path: Path) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert fixture.get("source") and fixture.get("note"), f"{path.name} must name its source"
    assert fixture["expect"] in ("answered", "ignored"), path.name
    return fixture


def link_people(tg: Harness) -> None:
    with tg.rt.uow() as uow:
        for user_id, (email, username) in PEOPLE.items():
            emp = uow.session.scalar(select(Employee.id).where(Employee.email == email))
            link_identity(uow, ChatAccount("telegram", str(user_id), username, str(user_id)), emp)
        uow.commit()


def through_webhook(tg: Harness, update: dict[str, Any]) -> int:
    """POST the update to the real webhook route, as Telegram does; the route hands it to
    the same Application (on the harness' loop), as `serve telegram --webhook` does."""

    async def submit(data: dict[str, Any]) -> None:
        await tg.app.process_update(Update.de_json(data, tg.app.bot))

    app = Starlette(routes=[webhook_route("/hook", SECRET, submit)])

    async def post() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            resp = await client.post("/hook", content=json.dumps(update).encode(), headers=AUTH)
            return resp.status_code

    return tg.runner.run(post())


def test_every_fixture_names_its_source_and_the_kinds_are_all_there():
    names = {p.stem.removeprefix("telegram_") for p in FIXTURES}
    for path in FIXTURES:
        load(path)
    for kind in (
        "message_command", "edited_message", "channel_post", "forwarded_message_origin",
        "forwarded_message_legacy", "callback_query", "callback_query_inaccessible_message",
        "my_chat_member_added_to_group", "chat_member_promoted", "forum_topic_command",
        "photo_with_caption", "text_mention_after_emoji",
    ):  # fmt: skip
        assert kind in names


@pytest.mark.parametrize("route", ["application", "webhook"])
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem.removeprefix("telegram_"))
def test_real_update_is_answered_or_ignored_without_error(tg, path, route, caplog):
    fixture = load(path)
    link_people(tg)
    before = len(tg.api.called())
    with caplog.at_level(logging.INFO):
        if route == "webhook":
            assert through_webhook(tg, fixture["update"]) == 200
        else:
            tg.process(fixture["update"])
    calls = tg.api.called()[before:]
    if fixture["expect"] == "ignored":
        assert calls == [], [c.method for c in calls]
    else:
        sent = texts(calls)
        answered = [c for c in calls if c.method == "answerCallbackQuery"]
        assert sent or answered, [c.method for c in calls]
        assert not any("went wrong" in s for s in sent), sent
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


def test_a_text_mention_after_emoji_names_the_right_person(tg):
    link_people(tg)
    update = load(CORPUS / "telegram_text_mention_after_emoji.json")["update"]
    sent = texts(tg.process(update))
    assert any("Zhou Tao" in s for s in sent), sent


def test_a_forum_topic_command_is_answered_in_its_topic(tg):
    link_people(tg)
    update = load(CORPUS / "telegram_forum_topic_command.json")["update"]
    calls = [c for c in tg.process(update) if c.method.startswith("send")]
    chat = update["message"]["chat"]["id"]
    in_group = [c for c in calls if str(c.params.get("chat_id")) == str(chat)]
    assert in_group, [c.params for c in calls]
    for call in in_group:  # a reply to the command, so Telegram keeps it in the topic
        thread = call.params.get("message_thread_id")
        reply = call.params.get("reply_parameters") or call.params.get("reply_to_message_id")
        replied = json.dumps(reply)
        assert thread == 91 or str(update["message"]["message_id"]) in replied, call.params
