"""The decision card: figure, reason, records with what the source says now, the buttons."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from handlers.appeals.card import appeal_card, fetch_fresh
from handlers.appeals.correction import PlainSpec, Term
from handlers.appeals.figures import Disputed, pick_dimension
from handlers.metric_names import NoMetric
from store.models import Appeal, MetricFact

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
DIM = {
    "metric": "sales_amount",
    "label": "Sales",
    "actual": "759000",
    "target": "1000000",
    "attainment": "75.90",
    "sources": "crm",
    "pos": 0,
}


def fact(i: int, value: int, source: str = "crm") -> MetricFact:
    return MetricFact(
        id=i,
        employee_id=5,
        metric="sales_amount",
        value=Decimal(value),
        occurred_on=date(2026, 11, i),
        source=source,
        record_id=f"D-{i}",
        link=f"https://crm.example/D-{i}" if source == "crm" else None,
        fetched_at=NOW,
    )


def disputed(facts: list[MetricFact], count: int | None = None) -> Disputed:
    return Disputed(
        metric="sales_amount",
        label="Sales",
        dim=DIM,
        spec=PlainSpec("sales_amount", Term("sum", ("sales_amount",))),
        facts=tuple(facts),
        count=count if count is not None else len(facts),
        sums={"sales_amount": sum((f.value for f in facts), Decimal(0))},
        counts={"sales_amount": len(facts)},
    )


def appeal(**kw: object) -> Appeal:
    fields = {"id": 7, "status": "open", "reason": "deal D-9 is missing", "details": ""}
    return Appeal(**{**fields, **kw})


def test_the_card_shows_figure_reason_records_and_buttons():
    d = disputed([fact(3, 300_000), fact(2, 459_000)], count=12)
    card = appeal_card(appeal(), "Ana Li", "2026-11", d, {}, heading="Appeal #7", escalate=True)
    assert card.lines == (
        "Ana Li disputes Sales for 2026-11: 759,000 of 1,000,000 (75.9%) [crm]",
        "Reason: “deal D-9 is missing”",
        "Source records (latest 2 of 12):",
        "2026-11-03 · crm D-3 · sales_amount 300,000 https://crm.example/D-3",
        "2026-11-02 · crm D-2 · sales_amount 459,000 https://crm.example/D-2",
        "… and 10 more records (/explain shows them all)",
    )
    assert [b.callback for b in card.buttons] == ["ap:acc:7", "ap:rej:7", "ap:ask:7", "ap:esc:7"]
    assert card.fields == (("Status", "waiting for a decision"),)
    hr = appeal_card(appeal(), "Ana Li", "2026-11", d, {}, heading="x", escalate=False)
    assert [b.action for b in hr.buttons] == ["ap:acc", "ap:rej", "ap:ask"]


def test_fresh_source_values_are_compared_record_by_record():
    d = disputed([fact(4, 100), fact(3, 200), fact(2, 300), fact(1, 400, "appeal:3")])
    fresh = {
        ("crm", "D-4"): {"value": "150"},
        ("crm", "D-3"): {"void": True},
        ("crm", "D-2"): {"sales_amount": "300.0000"},
    }
    card = appeal_card(appeal(), "Ana Li", "2026-11", d, fresh, heading="h", escalate=True)
    assert card.lines[3].endswith(" · source now says 150 (+50)")
    assert card.lines[4].endswith(" · no longer in the source")
    assert card.lines[5].endswith(" · source agrees")
    assert card.lines[6] == "2026-11-01 · appeal:3 D-1 · sales_amount 400"
    assert card.lines[-1] == "Fresh from the sources: 2 records differ from what was scored."
    lower = appeal_card(
        appeal(), "A", "p", d, {("crm", "D-4"): {"value": "40.5"}}, heading="h", escalate=True
    )
    assert lower.lines[3].endswith("(-59.5)")


def test_the_thread_of_questions_shows_on_the_card():
    d = disputed([fact(1, 5)])
    a = appeal(details="Q (Chen Jing): which deal?\nA (Ana Li): D-9\n")
    card = appeal_card(a, "Ana Li", "2026-11", d, {}, heading="h", escalate=True)
    assert card.lines[2:4] == ("Q (Chen Jing): which deal?", "A (Ana Li): D-9")


def test_fetch_fresh_asks_each_record_once_and_survives_a_failing_source():
    asked = []

    def refetch(source: str, record_id: str) -> dict[str, object] | None:
        asked.append((source, record_id))
        if source == "erp":
            raise TimeoutError("erp timed out")
        return {"value": "1"} if record_id == "D-1" else None

    keys = [("crm", "D-1"), ("crm", "D-1"), ("crm", "D-2"), ("erp", "P-1")]
    fresh = fetch_fresh(refetch, keys)
    assert asked == [("crm", "D-1"), ("crm", "D-2"), ("erp", "P-1")]
    assert fresh == {
        ("crm", "D-1"): {"value": "1"},
        ("crm", "D-2"): None,
        ("erp", "P-1"): "erp timed out",
    }
    assert fetch_fresh(None, keys) == {}


def test_a_typed_metric_finds_its_scorecard_line():
    breakdown = {
        "dimensions": [
            {"metric": "csat", "label": "Customer satisfaction", "pos": 1},
            DIM,
            {"metric": "collection_rate", "label": "Collection rate", "pos": 2},
        ]
    }
    assert pick_dimension(breakdown, "sales")["metric"] == "sales_amount"
    assert pick_dimension(breakdown, "SALES_AMOUNT")["metric"] == "sales_amount"
    assert pick_dimension(breakdown, "customer satisfaction")["metric"] == "csat"
    ambiguous = pick_dimension(breakdown, "c")
    assert isinstance(ambiguous, NoMetric) and ambiguous.ambiguous
    assert [c.key for c in ambiguous.choices] == ["csat", "collection_rate"]
    unknown = pick_dimension(breakdown, "bonus")
    assert isinstance(unknown, NoMetric) and not unknown.ambiguous
    assert [c.key for c in unknown.choices] == ["sales_amount", "csat", "collection_rate"]
    assert unknown.listed() == "Sales, Customer satisfaction, Collection rate"


def test_a_figure_without_records_says_so():
    card = appeal_card(appeal(), "Rep", "2026-11", disputed([]), {}, heading="h", escalate=True)
    assert card.lines[2] == "No source records behind this figure in 2026-11."
