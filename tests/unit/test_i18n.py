"""Issue 17, languages: the locale kernel, locale formatting, plural forms, configuration
words, Chinese keywords and the org file's `locale`."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from bot.demo.company import org_yaml
from handlers import strings as t
from handlers.commands import Help, PersonRef, Praise, Score, parse
from handlers.format import day_month, money, num, plural, shown, with_unit
from handlers.i18n import current, normalize, speaking
from handlers.people.org_validate import OrgFileError, parse_org

ZH = "zh_CN"


@pytest.mark.parametrize(
    ("tag", "want"),
    [("zh-CN", ZH), ("zh_cn", ZH), ("zh-hans", ZH), ("zh", ZH), ("zh-TW", ZH), ("en-US", "en"),
     ("EN", "en"), ("de", None), ("", None), (None, None)],
)  # fmt: skip
def test_a_locale_as_platforms_write_it(tag, want):
    assert normalize(tag) == want


def test_speaking_is_scoped_to_the_block_and_the_thread():
    seen = []
    with speaking("zh-CN"):
        assert current() == ZH
        worker = threading.Thread(target=lambda: seen.append(current()))
        worker.start()
        worker.join()
        with speaking("en"):
            assert t.TOTAL == "Total"
        assert t.TOTAL == "总计"
    assert current() == "en" and seen == ["en"]  # another thread speaks its own


def test_an_unknown_language_speaks_english():
    with speaking("tlh"):
        assert t.TOTAL == "Total"


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [(Decimal(1_200_000), "1,200,000", "120万"), (Decimal(120_000_000), "120,000,000", "1.2亿"),
     (Decimal(562_200), "562,200", "56.22万"), (Decimal(1_234_567), "1,234,567", "1,234,567"),
     (Decimal("94.3368"), "94.34", "94.34"), (Decimal(9_000), "9,000", "9,000"), (None, "—", "—")],
)  # fmt: skip
def test_numbers_for_each_reader(value, english, chinese):
    assert num(value) == english
    with speaking(ZH):
        assert num(value) == chinese


def test_money_in_yuan():
    assert money(Decimal(1_200_000), "CNY") == "1,200,000 CNY"  # English: as always
    with speaking(ZH):
        assert money(Decimal(1_200_000), "CNY") == "¥120万"
        assert money(Decimal("1234.5"), "CNY") == "¥1,234.50"
        assert with_unit(Decimal(1_000_000), "CNY") == ("¥100万", "")
        assert with_unit(Decimal(95), "%") == ("95", "%")  # closed up, as Chinese writes it
    assert with_unit(Decimal(95), "%") == ("95", " %")  # English: as always


def test_plural_forms_follow_the_locale():
    assert plural(1, t.GOALS) == "1 goal" and plural(3, t.GOALS) == "3 goals"
    with speaking(ZH):  # one form in Chinese, with its measure word
        assert plural(1, t.GOALS) == "1个目标" and plural(3, t.GOALS) == "3个目标"
        assert plural(2, t.PEOPLE) == "2人"


def test_dates_for_each_reader():
    assert day_month(date(2026, 11, 30)) == "30 Nov"
    with speaking(ZH):
        assert day_month(date(2026, 11, 30)) == "11月30日"


def test_names_in_their_natural_order():
    assert shown(SimpleNamespace(name="李 安娜", display_name=None)) == "李安娜"
    assert shown(SimpleNamespace(name="Ana Li", display_name=None)) == "Ana Li"


def test_configuration_words_are_translated_where_a_message_names_them():
    assert t.RESULT_SCORE.format(final="91", band="excellent") == "Score 91 (excellent)"
    with speaking(ZH):
        line = t.RESULT_SCORE.format(final="91", band="excellent")
        assert "优秀" in line and "excellent" not in line
        assert t.PRAISE_FIGURE.format(label="Sales", actual="1", attainment="1%", sources="crm")
        assert "销售额" in t.EXPLAIN_BUTTON.format(label="Sales")
        assert t.EXPLAIN_BUTTON.format(label="Ana") == "解释：Ana"  # data stays as it is


@pytest.mark.parametrize(
    ("typed", "command"),
    [("绩效", Score()), ("/绩效 @ana", Score(PersonRef("handle", "ana"))),
     ("表扬 @ana 签下大单", Praise(PersonRef("handle", "ana"), "签下大单", ())),
     ("帮助 绩效", Help("score")), ("ＨＥＬＰ", Help())],
)  # fmt: skip
def test_chinese_keywords(typed, command):
    assert parse(typed) == command


def test_the_org_file_gives_locales_and_refuses_an_unknown_one():
    text = """
branches:
  - {name: HQ, timezone: Asia/Shanghai, hq: true, locale: zh-CN}
employees:
  - {email: a@x.example, name: 李 安娜, locale: en}
  - {email: b@x.example, name: B}
"""
    org = parse_org(text, ["slack"])
    assert org.branches[0].locale == ZH
    assert [p.locale for p in org.people] == ["en", None]
    with pytest.raises(OrgFileError) as err:
        parse_org(text.replace("locale: en", "locale: klingon"), ["slack"])
    assert "unknown locale 'klingon'" in str(err.value) and "line 5" in str(err.value)


def test_the_chinese_demo_company():
    org = parse_org(org_yaml(ZH), ["slack", "telegram"])
    names = {p.email: p.name for p in org.people}
    assert names["ana.li@acme.example"] == "李安娜" and names["chen.jing@acme.example"] == "陈静"
    assert {b.locale for b in org.branches} == {ZH}
    assert {b.locale for b in parse_org(org_yaml(), ["slack", "telegram"]).branches} == {None}
