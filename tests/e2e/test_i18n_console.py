"""Issue 17, languages: the console in Chinese for each persona, notices in their reader's
language (an English manager and a Chinese employee, both ways), Chinese keywords, locale
formatting, and the org file's `locale`."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from bot.console.app import ConsoleSession
from handlers.cards import Card, Reply
from store.models import Branch, Employee

MANAGER, ANA, ZHOU = "chen.jing@acme.example", "ana.li@acme.example", "zhou.tao@acme.example"
HR, ADMIN = "zhao.min@acme.example", "wang.jun@acme.example"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Three English words in a row: a sentence perfbot forgot to translate. Data may be English
# (team and branch names, goal titles, metric keys, source names): those are allowed here.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
DATA = ("Sales East", "Sales SEA", "Shanghai HQ", "Tan Mei Ling", "Lim Wei Jie", "Nur Aisyah",
        "Siti Rahman", "Raj Kumar", "Priya Nair", "Daniel Koh",
        "perfbot period preview")  # fmt: skip


def _texts(card: Card) -> list[str]:
    return [card.title, *card.lines, *(f"{k} {v}" for k, v in card.fields), card.footnote,
            *(b.label for b in card.buttons)]  # fmt: skip


def leaks(reply: Reply) -> list[str]:
    """Lines of the reply's cards that read as an English sentence (its notices are in
    their readers' languages)."""
    found = []
    for text in (t for c in reply.cards for t in _texts(c)):
        for data in DATA:
            text = text.replace(data, "")
        if ENGLISH.search(text):
            found.append(text)
    return found


def speaks(rt, emails: list[str], locale: str | None) -> None:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        uow.session.execute(
            update(Employee).where(Employee.email.in_(emails)).values(locale=locale)
        )
        uow.commit()


def chinese(rt, who: str) -> ConsoleSession:  # type: ignore[no-untyped-def]
    speaks(rt, [who], "zh_CN")
    return ConsoleSession(rt.dispatcher, rt.uow, who)


PERSONAS = {
    ANA: ["/score", "/goals", "/help", "/appeal", "/self", "/team", f"/praise {MANAGER} thanks"],
    MANAGER: [f"/score {ANA}", f"/goals {ANA}", "/team", "/rate", f"/praise {ANA} great deal",
              f"/kpi {ANA} sales_amount 900k market change", "/help score",
              "/explain sales_amount @ana.li"],
    HR: ["/team", "/period preview", f"/score {ANA}", f"/goals {ANA}", "/help"],
    ADMIN: [f"/score {ANA}", "/team", f"/goals {ANA}", "/period preview", "/help kpi"],
}  # fmt: skip


@pytest.mark.parametrize("who", list(PERSONAS))
def test_each_persona_reads_the_main_commands_in_chinese(demo, who):
    session = chinese(demo, who)
    for line in PERSONAS[who]:
        reply = session.handle(line)
        assert reply.cards, line
        title = reply.cards[0].title
        assert CJK.search(title) or title.startswith("/"), (line, title)
        assert not leaks(reply), (line, leaks(reply))


def test_the_score_card_in_chinese_formats_figures_for_chinese_readers(demo):
    card = chinese(demo, MANAGER).handle(f"/score {ANA}").cards[0]
    assert card.title == "得分 · Ana Li · 2026-11"
    sales = next(line for line in card.lines if line.startswith("销售额"))
    assert "万" in sales and "（40%）" in sales  # 1,000,000 reads 100万
    assert card.fields[0][0] == "总计"


def test_a_notice_from_an_english_manager_arrives_in_chinese_and_back(demo):
    speaks(demo, [ANA], "zh_CN")
    manager = ConsoleSession(demo.dispatcher, demo.uow, MANAGER)
    reply = manager.handle(f"/praise {ANA} closed the ACME deal")
    assert reply.ok and reply.cards[0].title == "Praise"  # the manager reads English
    [dm] = [n for n in reply.notices if n.recipient_id is not None]
    assert dm.card.title.startswith("来自") or CJK.search(dm.card.title), dm.card.title
    assert "closed the ACME deal" in dm.card.lines[0]  # the giver's words stay theirs
    # ...and a Chinese employee's appeal reaches her English manager in English.
    ana = ConsoleSession(demo.dispatcher, demo.uow, ANA)
    filed = ana.handle("/appeal sales_amount 两笔已成交的订单没有计入")
    assert filed.ok and CJK.search(filed.cards[0].title)
    [to_manager] = filed.notices
    assert to_manager.card.title.startswith("Appeal #") and not CJK.search(to_manager.card.title)


def test_a_channel_post_speaks_the_branch_language(demo):
    with demo.uow() as uow:
        uow.session.execute(update(Branch).values(locale="zh_CN"))
        uow.commit()
    reply = ConsoleSession(demo.dispatcher, demo.uow, MANAGER).handle(f"/praise {ANA} great job")
    post = next(n for n in reply.notices if n.channel)
    assert CJK.search(post.card.title), post.card.title
    # The branch's language is everyone's there who set none: the manager now reads Chinese.
    assert CJK.search(reply.cards[0].title)


@pytest.mark.parametrize(
    ("typed", "title"),
    [("绩效", "得分 · Ana Li · 2026-11"), ("/目标", "目标 · Ana Li · 2026-11"),
     ("帮助", "perfbot 命令"), ("团队", "团队报告 · 2026-11")],
)  # fmt: skip
def test_chinese_keywords_run_their_commands(demo, typed, title):
    who = MANAGER if typed == "团队" else ANA
    reply = chinese(demo, who).handle(typed)
    assert reply.cards[0].title == title


def test_help_lists_the_keywords_in_the_readers_language(demo):
    english = ConsoleSession(demo.dispatcher, demo.uow, ANA).handle("/help").cards[0]
    assert any("(also: 绩效, 得分)" in line for line in english.lines)
    zh = chinese(demo, ZHOU).handle("/help").cards[0]
    assert any("（也可输入：绩效、得分）" in line for line in zh.lines)


def test_a_mistyped_command_is_explained_in_chinese(demo):
    reply = chinese(demo, ANA).handle("/score 2026-13")
    assert not reply.ok and reply.cards[0].title == "操作未成功"
    assert "2026-13" in reply.cards[0].lines[0] and CJK.search(reply.cards[0].lines[0])


def test_the_console_speaks_the_locale_it_is_asked_for(demo):
    session = ConsoleSession(demo.dispatcher, demo.uow, ANA, locale="zh-CN")
    assert session.actor.locale == "zh_CN"
    assert CJK.search(session.handle("/goals").cards[0].title)
    assert session.prompt_help().startswith("你的身份是")
