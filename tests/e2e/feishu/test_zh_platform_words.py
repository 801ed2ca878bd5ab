"""What the Feishu layer itself writes (card headers, the group pointer, link and welcome
messages, form fallbacks and refusals, the card updated in place after a decision), walked for
a Chinese reader (the org file's zh_CN): no English left in what the fake Feishu received or
answered; the same walk for an English reader keeps its English words."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from bot import texts as bt
from bot.feishu import texts as st
from handlers import strings as t
from handlers.i18n import speaking
from handlers.people.link_codes import issue_code
from store.models import Branch, Employee
from tests.e2e.feishu.conftest import ANA, CHEN, STRANGER, p2p, text_of, to
from tests.e2e.feishu.test_cards import value_of
from tests.e2e.zh_residue import english_labels, english_runs
from tests.fakes.feishu_events import buttons
from tests.fakes.feishu_open_api import BOT_OPEN_ID

BOT = {"@_user_1": (BOT_OPEN_ID, "perfbot")}


def _speak(fs: Any, locale: str) -> None:
    with fs.rt.uow() as uow:
        uow.session.execute(update(Employee).values(locale=locale))
        uow.commit()


def _walk(fs: Any) -> list[Any]:
    """Every path of the Feishu layer's own words; what the callbacks answered."""
    answered: list[Any] = []
    fs.link(ANA, CHEN)
    fs.settle_seeded()
    fs.say(ANA, "@_user_1 /score", chat_type="group", mentions=BOT)  # the group pointer
    fs.say(ANA, "/score 2026-13")  # malformed
    fs.say(ANA, "/nosuchthing")
    fs.say(CHEN, "/team")  # a chart in the card
    [goals] = fs.say(ANA, "/goals")
    answered.append(fs.press(ANA, value_of(goals.card, "gl:ack"), chat_id=p2p(ANA))[0])
    answered.append(fs.press(ANA, {"a": "zz:nope", "v": "1"})[0])  # a button no longer valid
    # The appeal form: refused empty, then filed; the manager rejects it on a form.
    [score] = fs.say(ANA, "/score")
    [form_msg] = fs.press(ANA, value_of(score.card, "ap:new"), chat_id=p2p(ANA))[1]
    submit = next(v for _, v in buttons(form_msg.card) if "f" in v)
    names = [i["name"] for i in submit["f"]["inputs"]]
    answered.append(fs.press(ANA, submit, chat_id=p2p(ANA), form_value={n: "" for n in names})[0])
    values = {n: ("sales_amount" if "metric" in n else "两笔订单没有计入") for n in names}
    answered.append(fs.press(ANA, submit, chat_id=p2p(ANA), form_value=values)[0])
    [card] = [c for c in to(fs.deliver(), CHEN) if "ap:rej" in str(c.card)]
    [form_msg] = fs.press(CHEN, value_of(card.card, "ap:rej"), chat_id=p2p(CHEN))[1]
    submit = next(v for _, v in buttons(form_msg.card) if "f" in v)
    [name] = [i["name"] for i in submit["f"]["inputs"]]
    reason = {name: "系统里两笔都在"}
    answered.append(fs.press(CHEN, submit, chat_id=p2p(CHEN), form_value=reason)[0])
    fs.app.ack_budget = 0.0  # past the callback's budget: "working on it", then a PATCH
    [goals] = fs.say(ANA, "/goals")
    answered.append(fs.press(ANA, value_of(goals.card, "gl:ack"), message_id="om_g")[0])
    fs.deliver()
    return answered


def _stranger_walk(fs: Any) -> None:
    """Someone perfbot doesn't know: the welcome, the group pointer, a link code."""
    fs.say(STRANGER, "/score")
    fs.say(STRANGER, "@_user_1 /score", chat_type="group", mentions=BOT)
    with fs.rt.uow() as uow:
        zhou = uow.session.scalar(select(Employee).where(Employee.email == "zhou.tao@acme.example"))
        code = issue_code(uow, zhou, created_by="test").code
        uow.commit()
    fs.say(STRANGER, f"@_user_1 /start {code}", chat_type="group", mentions=BOT)
    fs.say(STRANGER, f"/start {code}")


def _sent(fs: Any) -> list[Any]:
    return [c.card or c.body for c in fs.fake.called() if "/im/v1/messages" in c.path]


def test_a_chinese_reader_sees_no_english_from_the_feishu_layer(fs):
    _speak(fs, "zh_CN")
    answered = _walk(fs)
    runs = sorted(set(english_runs([answered, _sent(fs)])))
    assert not runs, "\n".join(runs)
    assert not english_labels([answered, _sent(fs)])
    said = str([answered, _sent(fs)])
    with speaking("zh_CN"):  # every path was walked, and spoke Chinese
        for words in (st.PRIVATE_TITLE, bt.REQUIRED, st.WORKING):
            assert words in said, words


def test_an_english_reader_keeps_the_feishu_layers_words(fs):
    answered = _walk(fs)
    _stranger_walk(fs)
    said = str([answered, _sent(fs)]) + "".join(text_of(c) for c in fs.fake.called())
    assert "Submit" in english_labels([answered, _sent(fs)])  # the check sees buttons
    for words in (
        "Sent in private",
        "I've sent that to you in a private chat.",
        "Please fill this in.",
        "Working on it…",
        "Send link codes to me in a private chat, never in a group.",
        "Welcome to perfbot",
    ):
        assert words in said, words


def test_a_link_code_welcomes_in_the_org_files_language(fs):
    # Feishu tells nothing of a stranger's language, so what they read before linking is
    # the headquarters' (English here); once the code names them, the person's own.
    _speak(fs, "zh_CN")
    _stranger_walk(fs)
    welcome = text_of(fs.fake.called()[-1])
    with speaking("zh_CN"):
        assert welcome.startswith(t.LINK_DONE_TITLE.format(name="Zhou Tao")), welcome
    assert not english_runs(welcome)


def test_a_stranger_reads_the_headquarters_language(fs):
    # A Chinese company's HQ branch says zh_CN in the org file: someone not linked yet
    # reads the welcome, the group pointer and the link refusals in Chinese too.
    with fs.rt.uow() as uow:
        uow.session.execute(update(Branch).where(Branch.is_hq.is_(True)).values(locale="zh_CN"))
        uow.commit()
    _stranger_walk(fs)
    fs.say(STRANGER, "/start WRONG-CODE")
    sent = [text_of(c) for c in fs.fake.called() if "/im/v1/messages" in c.path]
    assert len(sent) == 5, sent
    assert not english_runs(sent), english_runs(sent)
    with speaking("zh_CN"):
        for words in (bt.UNKNOWN_USER_TITLE, st.START_IN_PRIVATE, t.LINK_REFUSED_TITLE):
            assert any(words in s for s in sent), words


def test_the_apology_for_a_bug_is_in_the_readers_language(fs, monkeypatch):
    _speak(fs, "zh_CN")
    fs.link(ANA)

    def boom(*a: Any, **k: Any) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(fs.app.dispatcher, "command", boom)
    [call] = fs.say(ANA, "/score")
    with speaking("zh_CN"):
        assert t.ERROR_TITLE in text_of(call) and t.INTERNAL_ERROR in text_of(call)
    assert not english_runs(text_of(call))
