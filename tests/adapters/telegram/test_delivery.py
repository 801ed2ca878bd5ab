"""TelegramDeliverer against the fake Bot API: where it sends, and how Telegram's refusals
become DeliveryError (retry_after, unreachable, permanent)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from bot.config import Settings, TelegramSettings
from bot.delivery import DeliveryError, Target
from bot.telegram.build import make_bot
from bot.telegram.deliver import GROUP_INTERVAL, TelegramDeliverer, chat_for, make_deliverer
from handlers.cards import Button, Card, Image
from tests.fakes.telegram_bot_api import TOKEN, FakeBotApi

ANA = Target(
    5,
    "ana.li@acme.example",
    "Ana Li",
    identities={"telegram": "424242"},
    dm_channels={"telegram": "424242"},
)
CARD = Card("Praise from Chen", ("“closed <b>ACME</b>”",), private=True)
PUBLIC = Card("Kudos", ("Ana closed ACME",), private=False)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


class Clock:
    def __init__(self) -> None:
        self.now, self.slept = 100.0, []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def deliver(api: FakeBotApi, target: Target, card: Card, clock: Clock | None = None) -> str:
    async def go() -> str:
        bot = make_bot(TelegramSettings(bot_token=TOKEN, api_url=api.base_url))
        kw = {"monotonic": clock, "sleep": clock.sleep} if clock else {}
        try:
            return await TelegramDeliverer(bot, **kw).deliver(target, card)
        finally:
            await bot.shutdown()

    return asyncio.run(go())


def test_where_a_target_is_reached():
    assert chat_for(ANA) == "424242"
    assert (
        chat_for(Target(5, None, None, identities={"telegram": "77"})) == "77"
    )  # private chat id = user id
    assert chat_for(Target(5, None, None, identities={"slack": "U1"})) is None
    for channel, chat in [
        ("-1001234567890", "-1001234567890"),
        ("telegram:-42", "-42"),
        ("@acme_kudos", "@acme_kudos"),
    ]:
        assert chat_for(Target(None, None, None, channel=channel)) == chat
    for channel in ("#kudos", "C0123ABC", "", "@x"):
        assert chat_for(Target(None, None, None, channel=channel)) is None


def test_a_card_goes_to_the_private_chat_as_escaped_html(api):
    card = Card("Goals", ("#12 Sales",), buttons=(Button("Acknowledge #12", "gl:ack", "12"),))
    ref = deliver(api, ANA, card)
    [sent] = api.called("sendMessage")
    assert ref == f"424242:{api._next_id}"
    assert sent.params["chat_id"] == 424242 and sent.params["parse_mode"] == "HTML"
    assert sent.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Acknowledge #12", "callback_data": "gl:ack:12"}]]
    }
    deliver(api, ANA, CARD)
    assert "&lt;b&gt;ACME&lt;/b&gt;" in api.called("sendMessage")[1].params["text"]


def test_a_chart_goes_as_a_photo(api):
    deliver(
        api, ANA, Card("Team", ("8 people",), image=Image(b"\x89PNG fake", "team.png", "chart"))
    )
    [photo] = api.called("sendPhoto")
    assert photo.files["photo"] == b"\x89PNG fake" and photo.params["caption"].startswith(
        "<b>Team</b>"
    )


def test_a_429_asks_the_dispatcher_to_wait(api):
    api.fail("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
    with pytest.raises(DeliveryError) as err:
        deliver(api, ANA, CARD)
    assert err.value.retry_after == 5.0 and not err.value.unreachable and not err.value.permanent
    assert len(api.called("sendMessage")) == 1  # the dispatcher retries, not the deliverer


@pytest.mark.parametrize(
    ("status", "description", "unreachable", "permanent"),
    [
        (403, "Forbidden: bot was blocked by the user", True, False),
        (403, "Forbidden: user is deactivated", True, False),
        (400, "Bad Request: chat not found", True, False),
        (400, "Bad Request: can't parse entities: unexpected end tag", False, True),
        (500, "Internal Server Error", False, False),
        (502, "Bad Gateway", False, False),
    ],
)
def test_refusals_become_what_the_dispatcher_acts_on(
    api, status, description, unreachable, permanent
):
    api.fail("sendMessage", status, description)
    with pytest.raises(DeliveryError) as err:
        deliver(api, ANA, CARD)
    assert (err.value.unreachable, err.value.permanent, err.value.retry_after) == (
        unreachable,
        permanent,
        None,
    )


def test_a_blocked_person_in_the_fake_is_unreachable(api):
    api.blocked.add(424242)
    with pytest.raises(DeliveryError) as err:
        deliver(api, ANA, CARD)
    assert err.value.unreachable


def test_private_cards_never_go_to_a_group(api):
    group = Target(None, None, None, channel="-1001234567890")
    with pytest.raises(DeliveryError) as err:
        deliver(api, group, CARD)
    assert err.value.permanent and api.called("sendMessage") == []
    assert deliver(api, group, PUBLIC).startswith("-1001234567890:")


def test_messages_to_one_group_are_spaced_to_twenty_a_minute(api):
    clock = Clock()
    group = Target(None, None, None, channel="-1001234567890")

    async def three() -> None:
        bot = make_bot(TelegramSettings(bot_token=TOKEN, api_url=api.base_url))
        d = TelegramDeliverer(bot, monotonic=clock, sleep=clock.sleep)
        for _ in range(3):
            await d.deliver(group, PUBLIC)
        await d.deliver(ANA, CARD)  # private chats are the dispatcher's to pace
        await bot.shutdown()

    asyncio.run(three())
    assert clock.slept == [GROUP_INTERVAL, 2 * GROUP_INTERVAL]


def test_make_deliverer_only_with_a_token(api):
    assert make_deliverer(Settings(telegram=TelegramSettings(bot_token=None)), uow=None) is None
    made = make_deliverer(
        Settings(
            telegram=TelegramSettings(bot_token=SecretStr(TOKEN), api_url=api.base_url + "/bot")
        ),
        uow=None,
    )
    assert made is not None and made.platform == "telegram" and made.per_second == 30.0
    assert made.can_reach(ANA)


def test_message_buttons_open_a_private_chat_and_survive_a_privacy_refusal(api):
    by_id = Button("Message Zhou Yue", "nd:msg", "6", chat=(("telegram", "777", ""),))
    by_name = Button("Message Ana Li", "nd:msg", "5", chat=(("telegram", "4242", "ana_li"),))
    elsewhere = Button("Message Bo", "nd:msg", "7", chat=(("slack", "U7", ""),))
    card = Card("3 people on your team are behind pace", ("…",), (), (by_id, by_name, elsewhere))
    deliver(api, ANA, card)
    rows = api.called("sendMessage")[0].params["reply_markup"]["inline_keyboard"]
    assert [b for row in rows for b in row] == [
        {"text": "Message Zhou Yue", "url": "tg://user?id=777"},
        {"text": "Message Ana Li", "url": "https://t.me/ana_li"},
        {"text": "Message Bo", "callback_data": "nd:msg:7"},  # no Telegram account: a press
    ]
    api.clear()
    api.fail("sendMessage", 400, "Bad Request: BUTTON_USER_PRIVACY_RESTRICTED")
    deliver(api, ANA, card)  # the person's privacy refuses tg:// links: sent again, pressable
    _failed, second = api.called("sendMessage")
    rows = second.params["reply_markup"]["inline_keyboard"]
    assert [b.get("callback_data") for row in rows for b in row] == [
        "nd:msg:6", "nd:msg:5", "nd:msg:7"
    ]  # fmt: skip
