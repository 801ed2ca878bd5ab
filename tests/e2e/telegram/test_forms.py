"""Forms as short conversations: the bot asks each input, the person answers (or /cancel);
the answers go to the use case as one button press, and refused answers are asked again."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from bot.telegram import strings as st
from handlers import strings_en as t
from handlers.cards import Card, Form, Input, Reply
from handlers.registry import ACTIONS
from store.models import Appeal, Outbox
from tests.e2e.telegram.conftest import ANA, buttons


def _appeal_button(tg) -> tuple[str, str]:
    [score] = tg.say(ANA, "/score")
    found = buttons(score)
    metric = next(d for _, d in found if d.startswith("ex:")).split(":", 1)[1].split(".")[0]
    return next(d for _, d in found if d.startswith("ap:new:")), metric


def test_an_appeal_filed_through_a_conversation(tg):
    tg.link(ANA)
    data, metric = _appeal_button(tg)
    pressed = tg.press(ANA, data)
    # The figures are a numbered list under the question, answered by number or by name.
    assert [c.method for c in pressed] == ["answerCallbackQuery", "sendMessage"]
    ask = pressed[1].params
    assert ask["text"].startswith(f"<b>{t.AP_NEW_FORM}</b>\n{t.AP_PICK_METRIC}\n1. Sales\n")
    assert st.FORM_CHOICE in ask["text"]
    assert ask["reply_markup"]["force_reply"] is True and "/cancel" in ask["text"]
    [ask_reason] = tg.say(ANA, metric)  # a key typed still names the figure
    assert t.AP_NEW_REASON in ask_reason.params["text"]
    done = tg.say(ANA, "two deals are missing <b>ACME</b> & co")
    assert any("Appeal #" in c.params["text"] and "opened" in c.params["text"] for c in done)
    with tg.rt.uow() as uow:
        appeal = uow.session.scalar(select(Appeal))
        queued = uow.session.scalars(select(Outbox)).all()
    assert appeal.metric == metric and appeal.reason == "two deals are missing <b>ACME</b> & co"
    assert queued, "the manager's card waits in the outbox"


def test_a_chinese_reader_picks_the_figure_by_its_number(tg):
    tg.link(ANA)
    zh = replace(ANA, language_code="zh-hans")
    [score] = tg.say(zh, "/score")
    data = next(d for _, d in buttons(score) if d.startswith("ap:new:"))
    ask = tg.press(zh, data)[1].params["text"]
    assert ask.startswith("<b>对数据提出申诉</b>\n哪项数据\n1. 销售额\n")
    assert "回复列表中的序号，或直接输入名称" in ask and "sales_amount" not in ask
    tg.say(zh, "１")  # a full-width digit, as a Chinese keyboard may send it
    done = tg.say(zh, "两笔订单没有计入")
    assert any("申诉 #" in c.params["text"] for c in done), [c.params["text"] for c in done]
    with tg.rt.uow() as uow:
        assert uow.session.scalar(select(Appeal.metric)) == "sales_amount"


def test_a_number_past_the_list_is_asked_again(tg):
    tg.link(ANA)
    data, _ = _appeal_button(tg)
    ask = tg.press(ANA, data)[1].params["text"]
    last = max(int(line.split(".")[0]) for line in ask.splitlines() if line[:1].isdigit())
    [again] = tg.say(ANA, "99")
    assert st.FORM_OFF_THE_LIST.format(number=99, last=last) in again.params["text"]
    assert t.AP_PICK_METRIC in again.params["text"]  # the same question, still waiting
    [ask_reason] = tg.say(ANA, "1")
    assert t.AP_NEW_REASON in ask_reason.params["text"]
    with tg.rt.uow() as uow:
        assert uow.session.scalar(select(Appeal)) is None


def test_cancel_leaves_the_form_and_nothing_is_filed(tg):
    tg.link(ANA)
    data, metric = _appeal_button(tg)
    tg.press(ANA, data)
    tg.say(ANA, metric)
    [cancelled] = tg.say(ANA, "/cancel")
    assert cancelled.params["text"] == st.FORM_CANCELLED
    [again] = tg.say(ANA, "/cancel")
    assert again.params["text"] == st.NOTHING_TO_CANCEL
    [not_an_answer] = tg.say(ANA, "because")  # no form waits: read as a command, not a reason
    assert "/because is not a command" in not_an_answer.params["text"]
    with tg.rt.uow() as uow:
        assert uow.session.scalar(select(Appeal)) is None


def test_a_new_command_leaves_a_half_filled_form(tg):
    tg.link(ANA)
    data, _ = _appeal_button(tg)
    tg.press(ANA, data)
    [help_card] = tg.say(ANA, "/help")
    assert help_card.params["text"].startswith("<b>perfbot commands</b>")
    [after] = tg.say(ANA, "sales")
    assert "/sales is not a command" in after.params["text"]  # read as a command: form left


def test_refused_answers_are_asked_again_with_the_use_cases_words(tg, monkeypatch):
    form = Form(
        "Rate Ana", "t:rate", "7", (Input("stars", "Stars (1-5)", "number"), Input("why", "Why"))
    )
    seen: list[dict[str, str]] = []

    def rate(press, *, uow, actor):
        seen.append(dict(press.form))
        if not press.form:
            return Reply(cards=(Card(form.title, form=form),))
        if int(press.form["stars"]) > 5:
            return Reply(
                cards=(Card(form.title, form=form),),
                ok=False,
                errors=(("stars", "At most 5 stars."),),
            )
        return Reply.say("Rated", f"{press.form['stars']} stars: {press.form['why']}")

    monkeypatch.setitem(ACTIONS, "t:rate", rate)
    tg.link(ANA)
    [_, first] = tg.press(ANA, "t:rate:7")
    assert "Stars (1-5)" in first.params["text"]
    [not_number] = tg.say(ANA, "five")
    assert not_number.params["text"].startswith(st.FORM_NOT_NUMBER.format(text="five"))
    tg.say(ANA, "9")
    [asked_again] = tg.say(ANA, "great <quarter>")
    assert asked_again.params["text"].startswith("At most 5 stars.\n<b>Rate Ana</b>\nStars (1-5)")
    [rated] = tg.say(ANA, "4")
    assert rated.params["text"] == "<b>Rated</b>\n4 stars: great &lt;quarter&gt;"
    assert seen[1:] == [
        {"stars": "9", "why": "great <quarter>"},
        {"stars": "4", "why": "great <quarter>"},
    ]
