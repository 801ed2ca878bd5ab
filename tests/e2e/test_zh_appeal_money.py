"""A Chinese reader's appeal notices name money as money (¥, 万): the rejection told to the
employee and the correction watch told to the manager; English reads as before."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.ingest.app import store_push
from tests.conftest import NOW
from tests.e2e.social_support import MANAGER, REPORT, World, only_notice_to, opened_id
from tests.e2e.test_correction_watch import corrected_sales, pushed
from tests.e2e.test_i18n_console import speaks

MONEY = r"¥[0-9.]+万"


def test_a_chinese_employee_reads_a_rejected_appeal_s_figure_as_money(demo):
    world = World(demo)
    speaks(demo, [REPORT], "zh_CN")
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    reply = world.run(MANAGER, f"press ap:rej {appeal_id} 'reason=D-77 was booked in December'")
    told = only_notice_to(world, reply, REPORT)
    assert re.fullmatch(
        rf"Chen Jing驳回了你关于销售额的申诉，数据维持为 {MONEY}。", told.lines[0]
    ), told.lines
    assert "CNY" not in told.lines[0]


def _source_changed(world: World) -> str:
    _, facts = corrected_sales(world)
    world.move_to(NOW + timedelta(hours=1))
    store_push(
        world.rt.uow(), world.scoring, facts[0].source, [pushed(facts[0], facts[0].value + 1000)]
    )
    [row] = world.outbox("correction:%:source")
    return str(row.payload["lines"][0])


def test_a_chinese_manager_reads_the_correction_watch_in_money(demo):
    speaks(demo, [MANAGER], "zh_CN")
    line = _source_changed(World(demo))
    # Before → after, and both record totals: four amounts, each ¥…万, none in CNY.
    assert len(re.findall(MONEY, line)) == 4, line
    assert "→ ¥118万" in line and "CNY" not in line, line


def test_an_english_manager_reads_the_correction_watch_as_before(demo):
    line = _source_changed(World(demo))
    assert "¥" not in line and "→ 1,180,000)" in line


def _texts(reply) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(line for card in reply.cards for line in (card.title, *card.lines))


def test_a_chinese_employee_reads_a_corrected_figure_and_their_appeals_in_money(demo):
    world = World(demo)
    corrected_sales(world)
    speaks(demo, [REPORT], "zh_CN")
    explained = _texts(world.run(REPORT, "/explain sales_amount"))
    assert re.search(rf"{MONEY} → ¥118万", explained), explained
    assert "更正后的 ¥118万" in explained, explained  # the line saying the score uses it
    listed = _texts(world.run(REPORT, "/appeal"))
    assert re.search(rf"{MONEY} → ¥118万", listed), listed
    assert "CNY" not in explained + listed


def test_an_english_employee_reads_a_corrected_figure_as_before(demo):
    world = World(demo)
    corrected_sales(world)
    assert "→ 1,180,000 (" in _texts(world.run(REPORT, "/explain sales_amount"))
    assert "→ 1,180,000" in _texts(world.run(REPORT, "/appeal"))
