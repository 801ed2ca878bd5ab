"""What the Slack layer itself writes (Home tab, modals, acks, welcome, errors, buttons), walked
for a Chinese reader: no English left in anything the fake Slack received; and the same walk
for an English reader keeps the English words as they were."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import update

from bot import texts as bt
from bot.slack import texts as st
from handlers.i18n import speaking
from store.models import Branch
from tests.e2e.slack.conftest import ANA, CHEN, NO_EMAIL, STRANGER, ZHAO, every_answer_slow
from tests.e2e.slack.helpers import button, deliver, posted_to, view_of
from tests.e2e.slack.test_home_and_events import home_event
from tests.e2e.zh_residue import english_labels, english_runs


def _walk(flows: Any, demo: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every path of the Slack layer's own words; returns what the app answered in HTTP."""
    fake, seen = flows.fake, []
    flows.event(home_event(CHEN), "EvZH1")  # the Home tab, a manager's
    flows.event(home_event(STRANGER), "EvZH2")  # and a stranger's welcome
    fake.wait_for("views.publish", 2)
    for user, text, command in [
        (STRANGER, "", "/score"),  # not on file
        (NO_EMAIL, "", "/score"),  # no e-mail shared
        (CHEN, "score 2026-13", "/perf"),  # malformed
        (CHEN, "%%%", "/perf"),
        (CHEN, "", "/help"),
        (CHEN, "", "/team"),  # a chart: "sent to you as a file"
    ]:
        seen.append(flows.command(user, text, command).json())
    flows.press(CHEN, {"action_id": "zz:nope:1", "value": "1"})  # a button no longer valid
    fake.wait_for("response")
    # An appeal's reject modal: its title, submit and close; an empty required field.
    seen.append(flows.command(ANA, "sales_amount 两笔订单没有计入", "/appeal").json())
    deliver(demo, fake)
    card = next(m for (ch, _), m in fake.messages.items() if ch == "D" + CHEN)
    card = posted_to(fake, "D" + CHEN, card["text"][:8])
    reject = button(card["blocks"], "ap:rej:")
    flows.press(CHEN, reject, card["blocks"], ephemeral=False, channel="D" + CHEN, ts=card["ts"])
    modal = view_of(fake.wait_for("views.open")[0])
    seen.append(flows.submit(CHEN, modal, {"reason": ""}).json())
    seen.append(flows.submit(CHEN, modal, {"reason": "订单已在十二月成交"}).json())
    fake.wait_for("chat.update")
    # A slow answer: the "working on it" ack.
    every_answer_slow(flows, monkeypatch)
    seen.append(flows.command(ANA, "", command="/goals").json())
    fake.wait_for("response", 2)
    flows.drain()
    return seen


def _sent(fake: Any) -> list[Any]:
    return [c.params for c in fake.calls if c.method not in ("users.info", "auth.test")]


@pytest.fixture
def zh(fake):  # type: ignore[no-untyped-def]
    """Everyone's Slack app is in Chinese (before the first use, which keeps the language)."""
    for user in (ANA, CHEN, STRANGER, NO_EMAIL, ZHAO):
        fake.users[user]["locale"] = "zh-CN"


def test_a_chinese_reader_sees_no_english_from_the_slack_layer(zh, flows, demo, monkeypatch):
    answered = _walk(flows, demo, monkeypatch)
    runs = sorted(set(english_runs([answered, _sent(flows.fake)])))
    assert not runs, "\n".join(runs)
    assert not english_labels([answered, _sent(flows.fake)])
    said = str([answered, _sent(flows.fake)])
    # A modal's one-word labels (Cancel, Done) escape the three-word rule: each is Chinese.
    views = [view_of(c) for m in ("views.open", "views.push") for c in flows.fake.of(m)]
    labels = [v[k]["text"] for v in views for k in ("title", "submit", "close") if k in v]
    assert views and all(re.search("[\u4e00-\u9fff]", x) for x in labels), labels
    with speaking("zh_CN"):  # every path was walked, and spoke Chinese
        for words in (st.WORKING, bt.REQUIRED, bt.UNKNOWN_USER_TITLE, st.NO_EMAIL, st.CANCEL):
            assert words in said, words
        assert st.IMAGE_SENT.split("{alt}")[-1] in said  # the chart's note


def test_an_english_reader_keeps_the_slack_layers_words(flows, demo, monkeypatch):
    answered = _walk(flows, demo, monkeypatch)
    said = str([answered, _sent(flows.fake)])
    assert english_labels([answered, _sent(flows.fake)])  # the check sees buttons
    for words in (
        "Welcome to perfbot",
        "your Slack profile shares no e-mail",
        "Please fill this in.",
        "Working on it… the answer will appear here in a moment.",
        "Cancel",
    ):
        assert words in said, words
    modal = view_of(flows.fake.of("views.open")[0])
    assert (modal["submit"]["text"], modal["close"]["text"]) == ("Submit", "Cancel")


def test_a_stranger_whose_slack_names_no_language_reads_the_headquarters(flows, demo):
    # users.info gave no locale (the fake's default): a Chinese company's HQ (zh_CN in the
    # org file) words the welcome a stranger reads.
    with demo.uow() as uow:
        uow.session.execute(update(Branch).where(Branch.is_hq.is_(True)).values(locale="zh_CN"))
        uow.commit()
    answer = flows.command(STRANGER, "", "/score").json()
    assert not english_runs(answer), english_runs(answer)
    with speaking("zh_CN"):
        assert bt.UNKNOWN_USER_TITLE in str(answer)
