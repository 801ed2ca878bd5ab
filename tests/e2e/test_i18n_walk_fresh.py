"""Issue 17, a fresh walk of the console in Chinese: a sale's records read as money on
/explain and the appeal card, built-in metric labels in the reader's language, a
percentage closed up (92%), results cards and drain counts in natural Chinese; English
reads exactly as before."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.catalogue import catalogued
from bot.cli.outbox import _drained
from bot.console.app import ConsoleSession
from connectors.metrics import DEFAULT_METRICS
from handlers.closing.outcomes import run_reason, top_reason
from handlers.format import figure
from handlers.i18n import TERM, speaking
from tests.e2e.test_i18n_console import ANA, ENGLISH, MANAGER, chinese, speaks
from tests.e2e.test_i18n_walk import _text

# A sale's amount as perfbot writes it for a Chinese reader: ¥16.25万, ¥128,375.
MONEY = re.compile(r"¥[0-9][0-9,.]*万?")


def test_explain_reads_a_sale_and_its_records_as_money_in_chinese(demo):
    text = _text(chinese(demo, ANA).handle("/explain 销售额"))
    total, *records = text.splitlines()[1:]
    assert re.match(r"^¥[0-9.]+万 = ", total), total
    sales = [r for r in records if " · sales_amount " in r]
    assert sales and all(MONEY.search(r) for r in sales), sales


def test_explain_in_english_reads_as_before(demo):
    session = ConsoleSession(demo.dispatcher, demo.uow, ANA)
    text = _text(session.handle("/explain sales_amount"))
    assert "¥" not in text and "万" not in text
    assert re.search(r"^[0-9,]+ = sum of sales_amount records below$", text, re.M), text
    assert re.search(r" · sales_amount [0-9,]+ · crm", text), text


def test_the_appeal_card_reads_the_records_as_money_for_a_chinese_manager(demo):
    chinese(demo, MANAGER)
    filed = chinese(demo, ANA).handle("/appeal 销售额 两笔订单没有计入")
    [card] = [n.card for n in filed.notices if n.card.title.startswith("申诉 #")]
    records = [line for line in card.lines if " · sales_amount " in line]
    assert records and all(MONEY.search(line) for line in records), records


def test_built_in_metric_labels_are_said_in_chinese(demo):
    text = _text(chinese(demo, ANA).handle("/explain nothing_like_it"))
    assert "成交单数" in text and "请假天数" in text
    assert "Deals won" not in text and not ENGLISH.search(text), text


def test_every_built_in_metric_label_is_catalogued_as_a_term():
    terms = {msgid for ctx, msgid in catalogued() if ctx == TERM}
    labels = {m["label"] for m in DEFAULT_METRICS.values()}
    assert labels <= terms, labels - terms


def test_a_percentage_is_closed_up_in_chinese_and_spaced_in_english():
    with speaking("zh_CN"):
        assert figure(Decimal(92), "%") == "92%"
        assert figure(Decimal(1_000_000), "CNY") == "¥100万"
    with speaking("en"):
        assert figure(Decimal(92), "%") == "92 %"


class _Standing:
    rank, size, cohort = 4, 7, ("Engineer",)

    def __init__(self, cutoff: int) -> None:
        self.cutoff = cutoff


class _Rule:
    percent = Decimal(10)


def test_the_results_card_names_the_top_ranks_in_natural_chinese():
    with speaking("zh_CN"):
        none = top_reason(_Rule(), _Standing(0))  # type: ignore[arg-type]
        three = top_reason(_Rule(), _Standing(3))  # type: ignore[arg-type]
    assert none.endswith("前 10%：人数过少，无人入选"), none
    assert three.endswith("前 10%：第 1-3 名"), three
    with speaking("en"):
        assert top_reason(_Rule(), _Standing(3)) == (  # type: ignore[arg-type]
            "rank 4 of 7 in Engineer; top 10% is ranks 1-3"
        )


class _Run:
    band, periods = "excellent", 3


def test_the_results_card_counts_a_run_in_chinese():
    with speaking("zh_CN"):
        one = run_reason(_Run(), "excellent", 1, "month")  # type: ignore[arg-type]
    assert one == "已连续 1 个月度周期为优秀；需连续 3 期", one
    with speaking("en"):
        assert run_reason(_Run(), "excellent", 1, "month") == (  # type: ignore[arg-type]
            "1st excellent month in a row; needs 3"
        )


def test_drain_counts_are_listed_with_chinese_punctuation():
    with speaking("zh_CN"):
        assert _drained({"claimed": 3, "sent": 3, "failed": 0}) == "已认领 3、已发送 3"
    with speaking("en"):
        assert _drained({"claimed": 3, "sent": 3, "failed": 0}) == "claimed 3, sent 3"


def test_a_missing_appeal_reason_gives_a_chinese_example(demo):
    text = _text(chinese(demo, ANA).handle("/appeal 销售额"))
    assert "/appeal 销售额 " in text and "/appeal sales " not in text, text


def test_doctor_lists_names_with_chinese_punctuation(demo_url):
    from tests.e2e.test_operator_locale import run

    _, out = run({"PERFBOT_LOCALE": "zh-CN"}, "doctor", "--db", demo_url, "--timeout", "10")
    [people] = [line for line in out.splitlines() if "无法通过聊天联系" in line]
    assert "、" in people and ", " not in people, people
    _, out = run({"PERFBOT_LOCALE": "en"}, "doctor", "--db", demo_url, "--timeout", "10")
    [people] = [line for line in out.splitlines() if "can't be reached by chat" in line]
    assert ", " in people and "、" not in people, people


def test_the_report_separates_incentive_flags_with_a_chinese_semicolon(demo_url):
    from tests.e2e.test_operator_locale import run

    env = {"PERFBOT_LOCALE": "zh-CN"}
    _, out = run(env, "report", "--period", "2026-11", "--locale", "zh-CN", "--db", demo_url)
    flagged = [line for line in out.splitlines() if "（预计）" in line and line.startswith("|")]
    assert any("；" in line for line in flagged) and not any("; " in line for line in flagged), out
    _, out = run({}, "report", "--period", "2026-11", "--locale", "en", "--db", demo_url)
    assert "(projected); " in out, out


def test_the_demo_names_a_branch_the_sweep_left_out_in_chinese():
    from bot.cli.console import _skipped
    from handlers import strings_en as en
    from handlers.nudges.sweep_calendar import Skipped
    from said import Said

    weekend = Said(en.SWEEP_SKIP_WEEKEND)
    early = Said(en.SWEEP_SKIP_TOO_EARLY, period="2026-12")

    with speaking("zh_CN"):
        assert _skipped(Skipped("柏林", weekend)) == "柏林：周末"
        assert _skipped(Skipped("柏林", early)) == "柏林：2026-12 刚开始，为时尚早"
    with speaking("en"):
        assert _skipped(Skipped("Berlin", weekend)) == "Berlin: weekend"
        assert _skipped(Skipped("Berlin", early)) == "Berlin: too early in 2026-12"


def test_a_nudge_rounds_the_pace_estimate_to_what_wan_says_for_chinese_readers():
    from handlers.format import about, money

    expected = Decimal("217391.30")  # ¥1,000,000 × 5 of 23 working days
    with speaking("zh_CN"):
        assert money(about(expected, "CNY"), "CNY") == "¥21.74万"
        assert about(Decimal("869.57"), "") == Decimal("869.57")  # not money: as it is
    with speaking("en"):
        assert about(expected, "CNY") == expected


def test_a_form_lists_its_fields_with_chinese_punctuation():
    from bot.plain_text import render
    from handlers.cards import Card, Form, Input

    form = Form("t", "ap:acc", "1", (Input("value", "v"), Input("note", "n")))
    with speaking("zh_CN"):
        assert "press ap:acc 1 value=…、note=… " in render(Card("t", form=form))
    with speaking("en"):
        assert "(form: press ap:acc 1 value=…, note=…)" in render(Card("t", form=form))


def test_a_bad_corrected_value_suggests_the_wan_form_to_a_chinese_manager(demo):
    manager = chinese(demo, MANAGER)
    filed = chinese(demo, ANA).handle("/appeal 销售额 两笔订单没有计入")
    [appeal_id] = {b.value for n in filed.notices for b in n.card.buttons if b.action == "ap:acc"}
    text = _text(manager.handle(f"press ap:acc {appeal_id} value=12万x"))
    assert "“12万x”不是有效数字" in text and "118万" in text, text


def test_the_sweep_table_reads_in_chinese_with_money_as_money(demo_url):
    from tests.e2e.test_operator_locale import run

    _, out = run({"PERFBOT_LOCALE": "zh-CN"}, "sweep", "--dry-run", "--db", demo_url)
    rows = out.splitlines()[2:]
    sales = [r for r in rows if "销售额" in r]
    assert sales and all(re.search(r"¥[0-9.]+万?，预期 ¥[0-9.]+万", r) for r in sales), out
    assert not ENGLISH.search(out.replace("Sales East", "").replace("Sales SEA", "")), out
    assert not re.search(r"\b(nudge|already nudged|snoozed|Sales)\b", out), out
    _, out = run({}, "sweep", "--dry-run", "--db", demo_url)
    assert re.search(r"Sales +[0-9.]+%  [0-9,]+ of [0-9,.]+ expected", out), out


def test_the_backup_table_heads_its_columns_in_chinese(demo_url, tmp_path):
    from tests.e2e.test_operator_locale import run

    _, out = run({"PERFBOT_LOCALE": "zh-CN"}, "backup", str(tmp_path / "b.db"), "--db", demo_url)
    assert re.search(r"^表 +行数$", out, re.M), out
    _, out = run({}, "backup", str(tmp_path / "c.db"), "--db", demo_url)
    assert re.search(r"^table +rows$", out, re.M), out


def test_a_file_that_is_not_there_is_said_in_chinese(demo_url, tmp_path):
    from tests.e2e.test_operator_locale import run

    missing = str(tmp_path / "sources.yaml")
    _, out = run({"PERFBOT_LOCALE": "zh-CN"}, "sync", "--config", missing, "--db", demo_url)
    assert "无法读取：文件或目录不存在" in out and "No such file" not in out, out
    _, out = run({"PERFBOT_LOCALE": "zh-CN"}, "sync", "--config", str(tmp_path), "--db", demo_url)
    assert "无法读取：这是一个目录，不是文件" in out, out
    _, out = run({}, "sync", "--config", missing, "--db", demo_url)
    assert "cannot read: No such file or directory" in out, out


def test_a_name_nobody_has_is_quoted_in_chinese_marks(demo):
    text = _text(chinese(demo, ANA).handle("/score @nobody"))
    assert "没有与“nobody”匹配的员工" in text and "'nobody'" not in text, text
    what_if = _text(chinese(demo, ANA).handle("/score 假设 foo 100"))
    assert "“foo”不在此考核表中" in what_if, what_if
    speaks(demo, [ANA], None)
    english = _text(ConsoleSession(demo.dispatcher, demo.uow, ANA).handle("/score @nobody"))
    assert "No employee matches 'nobody'." in english, english


def test_a_company_goal_example_and_score_ranges_read_in_chinese(demo):
    from tests.e2e.test_i18n_console import ADMIN, HR

    text = _text(chinese(demo, ADMIN).handle("/goals 公司"))
    assert "/goals 公司 销售额 5000万 营收" in text and "sales_amount" not in text, text
    preview = _text(chinese(demo, HR).handle("/period 预览"))
    assert re.search(r"平均 [0-9.]+（[0-9.]+～[0-9.]+）", preview), preview


def test_two_metrics_sharing_a_label_are_told_apart_by_key(demo):
    text = _text(chinese(demo, ANA).handle("/explain nothing_like_it"))
    assert "销售额（sales_amount）" in text and "销售额（sales）" in text, text
    speaks(demo, [ANA], None)
    english = _text(ConsoleSession(demo.dispatcher, demo.uow, ANA).handle("/explain nothing"))
    assert "Sales (sales_amount), " in english and "Sales (sales), " in english, english


def test_the_preview_says_how_many_more_lack_data_in_chinese(demo):
    from tests.e2e.test_i18n_console import HR

    preview = _text(chinese(demo, HR).handle("/period 预览 2026-11"))
    missing = [line for line in preview.splitlines() if "人无数据" in line]
    assert missing and all(", +" not in line for line in missing), missing
    assert any(re.search(r"，另有 [0-9]+ 人）$", line) for line in missing), missing


def test_a_deactivation_heads_the_handover_with_a_chinese_colon(demo_url):
    from tests.e2e.test_operator_locale import run

    who = "zhou.tao@acme.example"
    _, out = run({"PERFBOT_LOCALE": "zh-CN"}, "people", "deactivate", who, "--db", demo_url)
    assert f"{who}：" in out.splitlines(), out
    run({}, "people", "reactivate", who, "--db", demo_url)
    _, out = run({"PERFBOT_LOCALE": "en"}, "people", "deactivate", who, "--db", demo_url)
    assert f"{who}:" in out.splitlines(), out
