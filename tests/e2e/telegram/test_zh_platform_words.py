"""What the Telegram layer itself writes (command menu, group pointers, link codes, form
prompts and hints, cancel, refusals), walked for a Chinese reader: no English left in what
the fake Bot API received; the same walk for an English reader keeps its English words."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sqlalchemy import update

from bot.telegram import texts as st
from handlers import strings as t
from handlers.i18n import speaking
from store.models import Branch
from tests.e2e.telegram.conftest import ANA, STRANGER, ZHAO, ZHOU, buttons
from tests.e2e.zh_residue import english_labels, english_runs
from tests.fakes.telegram_updates import GROUP

CODE = re.compile(r"\b[A-Z0-9]{12}\b")


def _walk(tg: Any, lang: str | None) -> None:
    ana, zhao, zhou, eve = (replace(u, language_code=lang) for u in (ANA, ZHAO, ZHOU, STRANGER))
    tg.link(ANA, ZHAO)
    [issued] = tg.say(zhao, "/linkcode zhou.tao@acme.example")  # a link code, from HR
    code = CODE.search(issued.params["text"])[0]  # type: ignore[index]
    tg.say(zhou, f"/start@perf_test_bot {code}", chat=GROUP)  # never in a group
    tg.say(zhou, "/start ZZZZZZZZZZZZ")  # a wrong code
    tg.say(zhou, f"/start {code}")  # the right one
    tg.say(zhou, "/start")  # hello again
    tg.say(eve, "/score")  # a stranger, in private
    tg.say(eve, "/score@perf_test_bot", chat=GROUP)  # and in a group
    tg.press(eve, "gl:ack:1")
    tg.say(ana, "/score@perf_test_bot", chat=GROUP)  # a private figure asked in a group
    tg.api.blocked.add(ANA.id)
    tg.say(ana, "/score@perf_test_bot", chat=GROUP)  # who never opened a private chat
    tg.api.blocked.discard(ANA.id)
    tg.say(ana, "/score 2026-13")  # malformed
    tg.say(ana, "/nosuchthing")
    # The appeal conversation: the numbered choice, a wrong answer, cancel; then filed.
    [score] = tg.say(ana, "/score")
    data = next(d for _, d in buttons(score) if d.startswith("ap:new:"))
    tg.press(ana, data)
    tg.say(ana, "99")
    tg.say(ana, "/cancel")
    tg.say(ana, "/cancel")
    tg.press(ana, data)
    tg.say(ana, "1")
    tg.say(ana, "/skip")  # a required answer skipped
    tg.say(ana, "长" * 3001)  # too long
    tg.say(ana, "两笔订单没有计入")
    tg.process({"update_id": 9_999_999, "callback_query": None})  # nothing to act on


def _sent(tg: Any, menu_language: str | None) -> list[Any]:
    """What the Bot API was sent (the command menu: only the one in that language)."""
    return [
        c.params
        for c in tg.api.called()
        if c.method not in ("getMe", "getUpdates", "getChat")
        and (c.method != "setMyCommands" or c.params.get("language_code") == menu_language)
    ]


def test_a_chinese_reader_sees_no_english_from_the_telegram_layer(tg):
    _walk(tg, "zh-hans")
    sent = _sent(tg, "zh")
    runs = sorted(set(english_runs(sent)))
    assert not runs, "\n".join(runs)
    assert not english_labels(sent)
    said = str(sent)
    with speaking("zh_CN"):  # every path was walked, and spoke Chinese
        for words in (st.START_IN_PRIVATE, st.FORM_CANCELLED, st.NOTHING_TO_CANCEL, st.FORM_CHOICE):
            assert words in said, words
        assert st.FORM_NEEDED in said and st.FORM_TOO_LONG.split("（")[0] in said
        assert st.PRIVATE_POINTER.split("，")[-1] in said and t.UNLINKED_TITLE in said


def test_an_english_reader_keeps_the_telegram_layers_words(tg):
    _walk(tg, None)
    said = str(_sent(tg, None))
    assert english_labels(_sent(tg, None))  # the check sees buttons
    for words in (
        "Send link codes to me in a private chat, never in a group.",
        "sent that to you in a private chat.",
        "send a number from the list, or the name",
        "Cancelled: nothing was changed.",
        "Nothing to cancel.",
        "/cancel to stop",
        "This one is required; please send an answer (or /cancel).",
        "That's too long (3001 characters); please keep it under 3000.",
    ):
        assert words in said, words


def test_a_stranger_whose_app_names_no_language_reads_the_headquarters(tg):
    # Some clients send no language_code: a Chinese company's HQ (zh_CN in the org file)
    # words what someone not linked yet reads.
    with tg.rt.uow() as uow:
        uow.session.execute(update(Branch).where(Branch.is_hq.is_(True)).values(locale="zh_CN"))
        uow.commit()
    eve = replace(STRANGER, language_code=None)
    tg.say(eve, "/score")
    tg.say(eve, "/score@perf_test_bot", chat=GROUP)
    tg.press(eve, "gl:ack:1")
    tg.say(eve, "/start ZZZZZZZZZZZZ")
    sent = [c.params for c in tg.api.called() if c.method in ("sendMessage", "answerCallbackQuery")]
    assert len(sent) == 4, sent
    assert not english_runs(sent), english_runs(sent)
    with speaking("zh_CN"):
        assert t.UNLINKED_TITLE in str(sent) and t.LINK_REFUSED_TITLE in str(sent)
