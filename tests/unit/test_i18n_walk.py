"""Issue 17, walking the console in Chinese as each persona: what read as English or
unnatural (Latin demo data, ASCII punctuation, bare amounts, ISO timestamps, Latin
sub-commands in /help) now reads as Chinese, and English reads as before."""

from __future__ import annotations

import re
import textwrap
from datetime import date, datetime
from decimal import Decimal

import pytest

from bot.demo.company import org_yaml
from handlers.commands import (
    Calibrate,
    GoalAck,
    Goals,
    GoalUpdate,
    Help,
    PeriodPreview,
    Score,
    parse,
)
from handlers.format import amount, day, stamp
from handlers.help import show_help
from handlers.i18n import speaking
from handlers.people.org_validate import parse_org
from handlers.scores.view import provenance_note, score_card

ZH = "zh_CN"
LATIN = re.compile(r"[A-Za-z]")
DIMS = [
    {"metric": "sales_amount", "label": "Sales", "weight": "60", "actual": "130000",
     "target": "1000000", "attainment": "13", "points": "7.8", "sources": ["crm", "erp"]},
    {"metric": "manager_rating", "label": "Manager rating", "kind": "rating", "weight": "40",
     "actual": "4", "attainment": "75", "points": "30", "sources": ["manager"]},
]  # fmt: skip
FETCHED = {"crm": "2026-12-06T14:00:00+00:00", "erp": "2026-12-05T09:30:00+00:00",
           "manager": "2026-12-01T08:05:00+00:00"}  # fmt: skip


def test_dates_and_moments_for_each_reader():
    assert day(date(2026, 12, 6)) == "2026-12-06"
    assert stamp(datetime(2026, 12, 6, 14, 0)) == "2026-12-06 14:00"
    with speaking(ZH):
        assert day(date(2026, 12, 6)) == "2026年12月6日"
        assert stamp("2026-12-06T14:00:00+00:00") == "2026年12月6日 14:00"


def test_an_amount_is_money_for_a_chinese_reader_and_as_before_in_english():
    assert amount(Decimal(130000), "CNY") == "130,000"  # the score line never had a unit
    with speaking(ZH):
        assert amount(Decimal(130000), "CNY") == "¥13万"
        assert amount(Decimal(95), "") == "95"


def test_the_sources_footer_names_when_the_manager_rated_and_reads_as_chinese():
    english = provenance_note(DIMS, FETCHED)
    assert english == (
        "Sources: crm (fetched 2026-12-06 14:00 UTC); erp (fetched 2026-12-05 09:30 UTC); "
        "manager (rated 2026-12-01 08:05 UTC)"
    )
    with speaking(ZH):
        zh = provenance_note(DIMS, FETCHED)
    assert zh.startswith("数据源：crm（拉取于 2026年12月6日 14:00 UTC）；")
    assert zh.endswith("；经理（评分于 2026年12月1日 08:05 UTC）")
    assert ":" not in zh.replace("14:00", "").replace("09:30", "").replace("08:05", "")
    assert ";" not in zh


def test_a_rating_not_given_yet_names_no_source():
    unrated = [DIMS[0], {**DIMS[1], "actual": None, "attainment": None, "points": None}]
    assert "manager" not in provenance_note(unrated, FETCHED)


def test_the_score_card_in_chinese_shows_money_and_a_translated_band():
    breakdown = {"total": "91.11", "coverage": "100", "band": "excellent", "dimensions": DIMS}
    with speaking(ZH):
        card = score_card("李安娜", "2026-10", breakdown, own=False, ids=(5, 3),
                          units={"sales_amount": "CNY"})  # fmt: skip
    assert card.lines[0].startswith("销售额（60%）：¥13万/¥100万")
    assert "[crm、erp]" in card.lines[0]
    assert card.fields[0] == ("总计", "91.11（优秀）")
    english = score_card("Ana Li", "2026-10", breakdown, own=False, ids=(5, 3))
    assert english.lines[0].startswith("Sales (60%): 130,000 of 1,000,000")
    assert english.fields[0] == ("Total", "91.11 (excellent)")


def test_a_mistyped_command_is_quoted_in_chinese():
    bad = parse("/bogus")
    assert bad.problem.startswith("/bogus is not a command.")  # type: ignore[union-attr]
    assert "/goals, /score" in bad.problem  # type: ignore[union-attr]
    with speaking(ZH):
        zh = parse("/bogus").problem  # type: ignore[union-attr]
    assert zh.startswith("“/bogus”不是有效的命令。") and "/goals、/score" in zh


@pytest.mark.parametrize(
    ("chinese", "english"),
    [("/goals 更新 12 60%", "/goals update 12 60%"), ("/goals 确认 12", "/goals ack 12"),
     ("/score 假设 sales 1.2m", "/score what-if sales 1.2m"), ("/period 预览", "/period preview"),
     ("/period 关闭 2026-10", "/period close 2026-10"), ("/score 上期", "/score last"),
     ("/period 校准 @ana 2026-10 88 迟到的订单", "/period calibrate @ana 2026-10 88 迟到的订单")],
)  # fmt: skip
def test_the_chinese_sub_commands_of_help_are_understood(chinese, english):
    assert parse(chinese) == parse(english)
    assert isinstance(parse(english), (Goals, GoalUpdate, Score, PeriodPreview, Calibrate, GoalAck))


def test_help_in_chinese_writes_no_english_sub_command():
    with speaking(ZH):
        card = show_help(Help()).cards[0]
    words = {w for line in (*card.lines, card.footnote) for w in re.findall(r"[a-z-]{3,}", line)}
    assert not words & {"preview", "close", "calibrate", "what-if", "update", "ack", "company",
                        "last"}  # fmt: skip


def test_the_chinese_demo_company_names_everything_in_chinese():
    org = parse_org(org_yaml(ZH), ["slack", "telegram"])
    names = [b.name for b in org.branches] + [t.name for t in org.teams]
    names += [p.name for p in org.people] + [p.title or "" for p in org.people]
    assert not [n for n in names if LATIN.search(n)]
    assert {t.name for t in org.teams} >= {"华东销售", "东南亚销售"}


@pytest.fixture
def fresh_fonts():  # type: ignore[no-untyped-def]
    from handlers.reports import charts

    charts._families.cache_clear()
    yield charts
    charts._families.cache_clear()


def test_a_cjk_font_installed_after_matplotlib_listed_fonts_is_found(fresh_fonts, monkeypatch):
    from matplotlib import font_manager

    added: list[str] = []
    files = ["/f/DejaVuSans.ttf", "/f/NotoSansCJK-Regular.ttc", "/f/wqy-microhei.ttc"]
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: files)
    latin = [f for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans"]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    monkeypatch.setattr(font_manager.fontManager, "addfont", added.append)
    # The families are named one by one (the generic sans-serif falls back to one only).
    assert fresh_fonts._families() == ["DejaVu Sans"]
    assert added == ["/f/NotoSansCJK-Regular.ttc", "/f/wqy-microhei.ttc"]


def test_with_a_cjk_font_on_the_host_chinese_labels_get_one(fresh_fonts):
    from matplotlib import font_manager

    if not [p for p in font_manager.findSystemFonts() if fresh_fonts.CJK_FILES.search(p)]:
        pytest.skip("no CJK font on this host (apt install fonts-noto-cjk)")
    plt = fresh_fonts._pyplot()
    families = plt.rcParams["font.family"]
    assert families[0] == "DejaVu Sans" and set(families[1:]) & set(fresh_fonts.FONTS[1:])


def test_nudge_dates_read_as_chinese():
    from handlers.nudges.card import _day

    assert _day(date(2026, 11, 30)) == "30 Nov"
    with speaking(ZH):
        assert _day(date(2026, 11, 30)) == "11月30日"


def test_a_chinese_line_wraps_by_columns_and_keeps_words_dates_and_marks():
    from bot.plain_text import columns, wrap

    english = "Sales (40%): 803,200 of 1,000,000 → 80.3% → 32.13 pts  [crm] · on pace for 84.3%"
    assert wrap(english, 40, "  ") == textwrap.wrap(english, 40, subsequent_indent="  ")
    line = ("“/bogus”不是有效的命令。可用命令：/goals、/score、/explain、/praise、/appeal、/kpi、"
            "/team、/rate、/self、/period、/help；预计11月30日达成率为 84.3%（预计）")  # fmt: skip
    lines = wrap(line, 30, "  ")
    assert "".join(lines).replace(" ", "") == line.replace(" ", "")
    assert all(columns(x) <= 30 for x in lines), lines
    assert not [x for x in lines[1:] if x.strip()[0] in "）、，。；：%"]
    assert all(x.count("/") == len(re.findall(r"/[a-z]+", x)) for x in lines)  # /self whole
    assert any("11月30日" in x for x in lines)


def test_card_fields_line_up_by_columns():
    from bot.plain_text import render
    from handlers.cards import Card

    text = render(Card("团队", (), (("人数", "7"), ("按当前进度预计平均分", "89.9"))))
    assert text.splitlines()[-2:] == ["人数                  7", "按当前进度预计平均分  89.9"]


def test_a_closed_team_report_names_bands_and_incentives_in_chinese():
    from handlers.reports.team import _line
    from handlers.reports.team_rows import TeamRow
    from handlers.reports.team_summary import summary_fields

    row = TeamRow(11, "林秀", "华东销售", "上海总部", Decimal("111.1"), "excellent",
                  Decimal("108.2"), ("bonus",), 0)  # fmt: skip
    bands = [("excellent", Decimal(90)), ("good", Decimal(75)), ("needs improvement", Decimal(0))]
    with speaking(ZH):
        line, fields = _line(row), summary_fields([row], bands)
    assert line == "林秀（华东销售）：111.1 优秀 ▲2.9 · 奖金"
    assert [label for label, _ in fields] == ["平均分", "优秀", "良好", "待改进"]
    english = _line(row)
    assert english == "林秀 (华东销售): 111.1 excellent ▲2.9 · bonus"


def test_a_plain_text_card_names_its_image_and_form_in_the_readers_language():
    from bot.plain_text import render
    from handlers.cards import Card, Form, Image, Input

    card = Card(
        "T",
        image=Image(b"png", "team.png", "chart"),
        form=Form("Why", "ap:rej", "7", (Input("reason", "Reason"),)),
    )
    english = render(card).splitlines()
    assert "(image: team.png, chart)" in english
    assert "(form: press ap:rej 7 reason=…)" in english
    with speaking("zh_CN"):
        chinese = render(card).splitlines()
    assert "（图片：team.png，chart）" in chinese
    assert "（表单：输入 press ap:rej 7 reason=… 填写）" in chinese
