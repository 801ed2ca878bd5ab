"""Issue 17: Telegram's `language_code` of the update's user is the language perfbot
answers in (and keeps for their notices), unless the org file sets one."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select, update

from store.models import ChatIdentity, Employee
from tests.e2e.telegram.conftest import ANA, texts


def test_a_chinese_telegram_user_is_answered_in_chinese(tg):
    tg.link(ANA)
    zh = replace(ANA, language_code="zh-hans")
    [call] = tg.say(zh, "/help")
    assert (
        call.params["text"].startswith("<b>perfbot 命令</b>") or "perfbot 命令" in texts([call])[0]
    )
    with tg.rt.uow() as uow:
        ident = uow.session.scalar(
            select(ChatIdentity).where(ChatIdentity.platform_user_id == str(ANA.id))
        )
    assert ident.locale == "zh_CN"
    # Typed as a Chinese keyword, in private: the command it names.
    assert "得分" in texts(tg.say(zh, "绩效"))[0]
    # Back to English in the app: English again.
    assert "perfbot commands" in texts(tg.say(ANA, "/help"))[0]


def test_the_org_files_locale_wins_over_telegrams(tg):
    tg.link(ANA)
    with tg.rt.uow() as uow:
        uow.session.execute(
            update(Employee).where(Employee.email == "ana.li@acme.example").values(locale="en")
        )
        uow.commit()
    assert "perfbot commands" in texts(tg.say(replace(ANA, language_code="zh-hans"), "/help"))[0]


def test_a_stranger_is_told_in_their_apps_language(tg):
    from tests.e2e.telegram.conftest import STRANGER

    [call] = tg.say(replace(STRANGER, language_code="zh-hans"), "/score")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in texts([call])[0])
