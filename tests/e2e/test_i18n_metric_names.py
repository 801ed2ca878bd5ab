"""Issue 17: a Chinese reader names a metric in Chinese (`/explain 销售额`), as its label reads
on their score card; English readers name it by its English label or its key, as before."""

from __future__ import annotations

from sqlalchemy import select

from bot.console.app import ConsoleSession
from store.models import Appeal, Goal
from tests.e2e.test_i18n_console import ADMIN, ANA, MANAGER, chinese, speaks
from tests.e2e.test_i18n_walk import _text


def test_a_chinese_reader_explains_a_figure_by_its_chinese_name(demo):
    ana = chinese(demo, ANA)
    by_name = ana.handle("/explain 销售额")
    assert by_name.ok, _text(by_name)
    assert _text(by_name).startswith("销售额 · ") and "记录的合计" in _text(by_name)
    assert _text(ana.handle("/解释 ｓａｌｅｓ＿ａｍｏｕｎｔ")) == _text(
        by_name
    )  # the key, full-width


def test_a_chinese_reader_is_told_the_metrics_by_their_chinese_names(demo):
    refused = chinese(demo, ANA).handle("/explain 利润")
    assert not refused.ok
    text = _text(refused)
    assert "没有指标“利润”。可用指标：" in text and "客户满意度、" in text and "Sales" not in text


def test_a_chinese_reader_appeals_a_figure_by_its_chinese_name(demo):
    ana = chinese(demo, ANA)
    filed = ana.handle("/申诉 销售额 两笔订单没有计入")
    assert filed.ok, _text(filed)
    assert "销售额：¥" in _text(filed)
    again = _text(ana.handle('/appeal "销售额" 还有一笔'))
    assert "你已就 2026-11 的销售额提交过申诉 #" in again  # the same figure, named in quotes


def test_the_appeal_form_offers_the_figures_as_a_choice_by_their_labels(demo):
    ana = chinese(demo, ANA)
    [button] = [b for b in ana.handle("/score").cards[0].buttons if b.action == "ap:new"]
    form = ana.handle(f"press ap:new {button.value}")
    [which, _reason] = form.cards[0].form.inputs
    assert which.kind == "choice" and which.label == "哪项数据"
    assert which.options[0] == ("sales_amount", "销售额")  # the key submitted, the label shown
    shown = ana.as_text(form)
    assert "  metric=1  销售额" in shown and "sales_amount" not in shown
    by_number = ana.handle(f"press ap:new {button.value} metric=1 reason=两笔订单没有计入")
    assert by_number.ok, _text(by_number)
    assert "销售额" in _text(by_number)
    typed = ana.handle(f"press ap:new {button.value} metric=回款率 reason=发票已付")
    assert typed.ok, _text(typed)  # a label typed still names the figure
    assert "回款率" in _text(typed)


def test_an_english_reader_picks_a_figure_by_number_label_or_key(demo):
    ana = ConsoleSession(demo.dispatcher, demo.uow, ANA)
    [button] = [b for b in ana.handle("/score").cards[0].buttons if b.action == "ap:new"]
    form = ana.handle(f"press ap:new {button.value}")
    [which, _reason] = form.cards[0].form.inputs
    assert which.label == "Which figure" and which.options[0] == ("sales_amount", "Sales")
    assert "  metric=1  Sales" in ana.as_text(form)
    by_number = ana.handle(f"press ap:new {button.value} metric=1 'reason=two deals missing'")
    assert by_number.ok and "Sales" in _text(by_number), _text(by_number)
    by_key = ana.handle(f"press ap:new {button.value} metric=collection_rate reason=paid")
    assert by_key.ok, _text(by_key)
    with demo.uow() as uow:
        metrics = set(uow.session.scalars(select(Appeal.metric)))
    assert {"sales_amount", "collection_rate"} <= metrics


def test_a_chinese_manager_changes_a_target_and_tries_what_if_by_chinese_names(demo):
    speaks(demo, [MANAGER], "zh_CN")
    manager = ConsoleSession(demo.dispatcher, demo.uow, MANAGER)
    asked = manager.handle(f"/调整目标 {ANA} 销售额 120万 市场变化")
    assert asked.ok, _text(asked)
    assert "¥100万 → ¥120万" in _text(asked)
    what_if = chinese(demo, ANA).handle("/score 假设 销售额 120万")
    assert what_if.ok and what_if.cards[-1].lines == ("假如销售额为 ¥120万",)


def test_a_chinese_admin_sets_a_company_goal_by_its_chinese_name(demo):
    admin = chinese(demo, ADMIN)
    reply = admin.handle("/goals 公司 销售额 15m 收入")
    assert reply.ok, _text(reply)
    with demo.uow() as uow:  # the goal keeps the key, not the words typed
        metrics = set(uow.session.scalars(select(Goal.metric).where(Goal.title == "收入")))
    assert metrics == {"sales_amount"}


def test_english_readers_name_a_metric_by_label_or_key_as_before(demo):
    ana = ConsoleSession(demo.dispatcher, demo.uow, ANA)
    by_key = _text(ana.handle("/explain sales_amount"))
    assert by_key.startswith("Sales · Ana")
    assert _text(ana.handle("/explain Sales")) == by_key == _text(ana.handle("/explain sales"))
    refused = ana.handle("/explain 销售额")
    # two metrics labelled Sales (sales_amount and the built-in sales) told apart by key
    said = "There is no metric '销售额'. Metrics: Sales (sales_amount), "
    assert not refused.ok and said in _text(refused)
    filed = ana.handle('/appeal "Collection rate" an invoice was paid')
    assert filed.ok, _text(filed)
    assert "Collection rate for 2026-11: " in _text(filed)


def test_help_says_how_to_name_a_metric_in_each_language(demo):
    english = _text(ConsoleSession(demo.dispatcher, demo.uow, ANA).handle("/help explain"))
    assert 'put a name with spaces in quotes ("Customer satisfaction")' in english
    zh = _text(chinese(demo, ANA).handle("/help explain"))
    assert "指标：考核表上的名称或其键名" in zh
    listed = chinese(demo, ANA).handle("/help").cards[0].footnote
    assert listed.startswith("周期：") and listed.endswith("或把空格写成 _。")
