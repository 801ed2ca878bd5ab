"""Issue 17, the console walked in Chinese as each persona: money reads as money, sources,
dates and lists with Chinese punctuation, configuration words and cascade proposals in the
reader's language; English reads as before."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.console.app import ConsoleSession
from store.models import Outbox
from tests.e2e.test_i18n_console import ADMIN, ANA, HR, MANAGER, chinese, speaks

ISO_DAY = re.compile(r"\b20[0-9]{2}-[0-9]{2}-[0-9]{2}\b")


def _text(reply) -> str:  # type: ignore[no-untyped-def]
    cards = [*reply.cards, *(n.card for n in reply.notices)]
    return "\n".join(
        "\n".join([c.title, *c.lines, *(f"{k} {v}" for k, v in c.fields), c.footnote])
        for c in cards
    )


def test_the_employee_reads_money_sources_and_dates_in_chinese(demo):
    ana = chinese(demo, ANA)
    score = _text(ana.handle("/score"))
    assert "¥" in score and "万" in score
    assert "数据源：crm（拉取于 2026年11月20日 02:00 UTC）；" in score
    assert "[erp-invoices、erp-payments]" in score and ";" not in score
    explain = _text(ana.handle("/explain sales_amount"))
    assert explain.startswith("销售额 · ") and "记录的合计" in explain
    assert not ISO_DAY.search(explain)
    filed = _text(ana.handle("/appeal sales_amount 两笔订单没有计入"))
    assert "销售额：¥" in filed


def test_english_readers_see_the_score_as_before(demo):
    score = _text(ConsoleSession(demo.dispatcher, demo.uow, ANA).handle("/score"))
    assert "Sources: crm (fetched 2026-11-20 02:00 UTC); " in score and "¥" not in score
    assert "Sales (40%): 602,400 of 1,000,000" in score


def test_the_manager_and_hr_read_target_changes_as_money(demo):
    speaks(demo, [MANAGER, HR], "zh_CN")
    manager = ConsoleSession(demo.dispatcher, demo.uow, MANAGER)
    asked = manager.handle(f"/kpi {ANA} sales_amount 120万 市场变化")
    text = _text(asked)
    assert "¥100万 → ¥120万" in text and "CNY" not in text
    assert "（" in text and "(" not in text.replace("(new)", "")


def test_a_cascade_proposal_reaches_a_chinese_manager_in_chinese(demo):
    speaks(demo, [MANAGER], "zh_CN")
    admin = ConsoleSession(demo.dispatcher, demo.uow, ADMIN)
    reply = admin.handle("/goals company sales_amount 15m Revenue")
    assert reply.ok, _text(reply)
    with demo.uow() as uow:
        rows = uow.session.scalars(
            select(Outbox.payload).where(Outbox.kind == "goal.proposal").order_by(Outbox.id)
        ).all()
    [zh] = [p["lines"] for p in rows if p["title"].endswith("的提议目标值 · 2026-11")]
    assert any(re.search(r"：¥[0-9.]+万 → ¥[0-9.]+万$", line) for line in zh), zh
    english = [p["lines"] for p in rows if p["title"].startswith("Proposed targets for Sales SEA")]
    assert english and all(line.endswith(" CNY") for line in english[-1][1:]), english


def test_hr_reads_scorecards_and_cohorts_in_chinese(demo):
    preview = _text(chinese(demo, HR).handle("/period 预览"))
    assert "销售代表" in preview and "Sales rep" not in preview
