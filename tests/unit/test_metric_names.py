"""A metric named as a person names it: key, label, the label in their language."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from handlers import strings as t
from handlers.i18n import speaking
from handlers.metric_names import MetricName, NoMetric, configured, of_breakdown, resolve

SALES = MetricName("sales_amount", ("Sales",))
CSAT = MetricName("csat", ("Customer satisfaction",))
COLLECTION = MetricName("collection_rate", ("Collection rate",))
NAMES = (SALES, CSAT, COLLECTION)


def key(found: MetricName | NoMetric) -> str:
    assert isinstance(found, MetricName), found
    return found.key


def test_a_key_or_a_configured_label_in_any_case_or_width() -> None:
    for typed in (
        "sales_amount",
        "SALES_AMOUNT",
        "ｓａｌｅｓ＿ａｍｏｕｎｔ",
        "Sales",
        "sales",
        "ＳＡＬＥＳ",
    ):
        assert key(resolve(typed, NAMES)) == "sales_amount", typed


def test_a_label_with_spaces_is_typed_in_quotes_or_with_underscores() -> None:
    for typed in ("Customer satisfaction", "customer_satisfaction", '"customer  SATISFACTION"'):
        assert key(resolve(typed, NAMES)) == "csat", typed


def test_a_chinese_reader_names_a_metric_by_its_catalogued_label() -> None:
    with speaking("zh_CN"):
        assert key(resolve("销售额", NAMES)) == "sales_amount"
        assert key(resolve("客户满意度", NAMES)) == "csat"
        assert key(resolve("回款率", NAMES)) == "collection_rate"
        assert key(resolve("Sales", NAMES)) == "sales_amount"  # the configured label still works
    assert isinstance(resolve("销售额", NAMES), NoMetric)  # English readers have no such label


def test_nothing_matched_lists_every_metric_by_its_label_in_the_readers_language() -> None:
    with speaking("zh_CN"):
        found = resolve("利润", NAMES)
        assert isinstance(found, NoMetric) and not found.ambiguous
        assert found.listed() == "销售额、客户满意度、回款率"
        assert found.say(t.METRIC_UNKNOWN) == "没有指标“利润”。可用指标：销售额、客户满意度、回款率"
    found = resolve("profit", NAMES)
    assert isinstance(found, NoMetric)
    assert found.say(t.METRIC_UNKNOWN) == (
        "There is no metric 'profit'. Metrics: Sales, Customer satisfaction, Collection rate"
    )


def test_more_than_one_match_lists_only_those() -> None:
    found = resolve("c", NAMES)  # a prefix of two labels
    assert isinstance(found, NoMetric) and found.ambiguous
    assert found.say(t.METRIC_UNKNOWN) == (
        "'c' could be more than one metric: Customer satisfaction, Collection rate. Which one?"
    )
    with speaking("zh_CN"):
        assert isinstance(found, NoMetric)
        assert (
            found.say(t.METRIC_UNKNOWN) == "“c”可能指多个指标：客户满意度、回款率。请指明是哪一个。"
        )
    twins = (MetricName("a", ("Sales",)), MetricName("b", ("Sales",)))
    both = resolve("sales", twins)
    assert isinstance(both, NoMetric) and [c.key for c in both.choices] == ["a", "b"]


def test_a_unique_prefix_is_the_last_resort_and_a_key_beats_any_label() -> None:
    assert key(resolve("cust", NAMES)) == "csat"
    with speaking("zh_CN"):
        assert key(resolve("客户", NAMES)) == "csat"
    shadow = (MetricName("sales", ("Revenue",)), MetricName("revenue", ("Sales",)))
    assert key(resolve("sales", shadow)) == "sales"
    assert key(resolve("Revenue", shadow)) == "revenue"


def test_without_a_label_a_metric_is_shown_and_found_by_its_key() -> None:
    bare = MetricName("nps")
    assert bare.shown() == "nps" and key(resolve("NPS", (bare,))) == "nps"


def test_the_configured_metrics_are_the_scorecards_lines_and_the_definitions() -> None:
    dims = (
        SimpleNamespace(metric="sales_amount", label="Sales"),
        SimpleNamespace(metric="manager_rating", label="Manager rating"),
    )
    cards = {"rep": SimpleNamespace(dimensions=dims), "lead": SimpleNamespace(dimensions=dims)}
    specs = (
        SimpleNamespace(name="sales_amount", label="Sales amount", scale=Decimal(1)),
        SimpleNamespace(name="output_units", label=""),
    )
    setup = SimpleNamespace(config=SimpleNamespace(scorecards=cards), specs=specs)
    assert configured(setup) == (
        MetricName("sales_amount", ("Sales", "Sales amount")),
        MetricName("manager_rating", ("Manager rating",)),
        MetricName("output_units", ()),
    )
    assert [n.key for n in configured(setup, defined_only=True)] == ["sales_amount", "output_units"]
    assert configured(None) == ()


def test_a_stored_score_names_its_lines() -> None:
    dims = [
        {"metric": "x", "label": None, "pos": 1},
        {"metric": "csat", "label": "Customer satisfaction", "pos": 0},
    ]
    assert of_breakdown({"dimensions": dims}) == (CSAT, MetricName("x"))  # in scorecard order
    assert of_breakdown(None) == ()


def test_a_label_shared_with_a_metric_off_the_card_means_the_one_on_it() -> None:
    # The demo's `sales` (a metric off every scorecard) shares the label "Sales".
    off_card = (MetricName("sales", ("Sales",)), *NAMES)
    with speaking("zh_CN"):
        assert key(resolve("销售额", NAMES, off_card)) == "sales_amount"
        assert key(resolve("sales", NAMES, off_card)) == "sales"  # a key is a key
        found = resolve("销售额", off_card)
        assert isinstance(found, NoMetric) and found.ambiguous
    unknown = resolve("profit", (SALES,), off_card)
    assert isinstance(unknown, NoMetric)
    assert [c.key for c in unknown.choices] == ["sales_amount", "sales", "csat", "collection_rate"]
