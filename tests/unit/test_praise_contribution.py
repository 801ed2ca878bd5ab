"""The contribution attached to praise: strongest figures and record ids named in the text."""

from __future__ import annotations

from handlers.praise.contribution import (
    contribution_lines,
    figure_text,
    is_rating,
    record_tokens,
    strongest_figures,
)

BREAKDOWN = {
    "dimensions": [
        {
            "metric": "sales_amount",
            "label": "Sales",
            "actual": "1180000",
            "target": "1000000",
            "attainment": "118.00",
            "sources": ["crm", "appeal:4"],
            "pos": 0,
        },
        {
            "metric": "csat",
            "label": "Customer satisfaction",
            "actual": "96",
            "target": "90",
            "unit": "%",
            "attainment": "106.67",
            "sources": "helpdesk",  # the SQL engine joins sources with commas
            "pos": 1,
        },
        {"metric": "collection_rate", "label": "Collection", "attainment": None, "pos": 2},
        {
            "metric": "manager_rating",
            "kind": "rating",
            "actual": "5",
            "attainment": "100",
            "pos": 3,
        },
        {"metric": "tickets", "actual": "10", "attainment": "106.67", "sources": [], "pos": 4},
    ]
}


def test_strongest_first_without_ratings_or_missing_data():
    best = strongest_figures(BREAKDOWN)
    assert [f["metric"] for f in best] == ["sales_amount", "csat", "tickets"]  # tie: card order
    assert best[1]["sources"] == ["helpdesk"] and best[2]["label"] == "tickets"
    assert strongest_figures(BREAKDOWN, limit=1)[0]["label"] == "Sales"
    assert strongest_figures({}) == []


def test_figures_read_like_a_person_wrote_them():
    sales, csat, tickets = strongest_figures(BREAKDOWN)
    assert figure_text(sales) == "Sales 1,180,000 (118% of target, crm, appeal:4)"
    assert figure_text(csat) == "Customer satisfaction 96% (106.7% of target, helpdesk)"
    assert figure_text(tickets) == "tickets 10 (106.7% of target, manual)"


def test_ratings_are_judgements_not_figures():
    assert is_rating({"metric": "x", "kind": "rating"})
    assert is_rating({"metric": "manager_rating"})
    assert not is_rating({"metric": "sales_amount", "kind": "metric"})


def test_record_ids_are_picked_out_of_free_text_and_links():
    text = (
        "Closed D-ANALI2611-003 and INV-4521. See https://crm.example/deals/98231, "
        "#teamwork #q4 2x faster, thanks!"
    )
    tokens = record_tokens(text)
    assert {"D-ANALI2611-003", "INV-4521", "98231"} <= set(tokens)
    assert not {"teamwork", "thanks", "https", "q4", "2x"} & set(tokens)  # no digit, or too short
    assert record_tokens("great work") == []
    assert len(record_tokens(" ".join(f"R{i:04d}" for i in range(100)))) == 30


def test_contribution_lines():
    contribution = {
        "period": "2026-11",
        "figures": strongest_figures(BREAKDOWN, limit=2),
        "records": [
            {
                "source": "crm",
                "record_id": "D-1",
                "metric": "sales_amount",
                "value": "120000",
                "occurred_on": "2026-11-03",
                "link": "https://crm.example/D-1",
            }
        ],
    }
    assert contribution_lines(contribution) == (
        "Contribution 2026-11: Sales 1,180,000 (118% of target, crm, appeal:4) · "
        "Customer satisfaction 96% (106.7% of target, helpdesk)",
        "Record crm D-1: 120,000 on 2026-11-03 https://crm.example/D-1",
    )
    assert contribution_lines({"period": None, "figures": [], "records": []}) == ()
