"""A running period's cards (partial line, pace per figure, projected total and band, the
projected chart) rendered for Slack and Telegram: nothing new to the renderers, kept whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.slack import render as slack
from bot.telegram.render import render as telegram
from handlers.cards import Card, Image
from handlers.reports.charts import score_distribution
from handlers.scores.outlook import Outlook
from handlers.scores.view import score_card
from scoring.bands import Band
from scoring.config import Dimension, Scorecard
from scoring.projection import progress, project

D = Decimal
CARD = Scorecard(
    "sales_rep",
    (Dimension("sales_amount", D(60), label="Sales"), Dimension("csat", D(40), label="CSAT")),
)
BREAKDOWN = {
    "scorecard": "sales_rep",
    "total": "62.49",
    "coverage": "100",
    "band": "needs improvement",  # the band of the partial total: never shown
    "dimensions": [
        {"pos": 0, "metric": "sales_amount", "label": "Sales", "weight": D(60),
         "actual": D(562200), "target": D(1000000), "attainment": D("56.22"),
         "points": D("33.73"), "facts": 3, "sources": "crm"},
        {"pos": 1, "metric": "csat", "label": "CSAT", "weight": D(40), "actual": D(90),
         "target": D(90), "attainment": D(100), "points": D(40), "facts": 20,
         "sources": "helpdesk"},
    ],
}  # fmt: skip


def partial_card() -> Card:
    prog = progress(date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 20))
    result = project(
        CARD,
        {"sales_amount": D(562200), "csat": D(90)},
        {"sales_amount": D(1000000), "csat": D(90)},
        {},
        cumulative={"sales_amount"},
        elapsed=prog.elapsed,
        total=prog.total,
    )
    o = Outlook(prog, date(2026, 11, 30), result, "good")
    return score_card("Ana Li", "2026-11", BREAKDOWN, own=True, ids=(5, 4), outlook=o)


def test_the_partial_score_card_has_pace_and_the_projected_total():
    card = partial_card()
    assert card.lines[0] == "Partial: 15 of 21 working days · projections are on pace to 30 Nov"
    assert card.lines[1].endswith("[crm] · on pace for 78.7% by 30 Nov")
    assert dict(card.fields)["Total"] == "62.49 so far · on pace for 87.23 (good, projected)"


def test_slack_renders_the_partial_card_whole():
    msg = slack.message((partial_card(),))
    text = str(msg["blocks"])
    assert "Partial: 15 of 21 working days" in text and "on pace for 78.7% by 30 Nov" in text
    assert "on pace for 87.23 (good, projected)" in text and "needs improvement" not in text


def test_telegram_renders_the_partial_card_whole():
    html = telegram(partial_card()).texts[0]
    assert "Partial: 15 of 21 working days · projections are on pace to 30 Nov\n" in html
    assert "<b>Total</b>: 62.49 so far · on pace for 87.23 (good, projected)" in html


def test_the_projected_chart_is_a_png_both_platforms_can_carry():
    bands = [(b.name, b.min) for b in (Band("good", D(75)), Band("needs improvement", D(0)))]
    png = score_distribution(
        ["Ana Li", "Zhou Tao"],
        [D("87.23"), D("40.1")],
        bands,
        "Team report · 2026-11 · partial, 15 of 21 working days · bars: on pace by 30 Nov",
        so_far=[D("62.49"), D("30.2")],
        muted=[False, True],
    )
    card = Card("Team report · 2026-11", ("Partial: 15 of 21 working days",),
                image=Image(png, "team-2026-11.png", "Team report"))  # fmt: skip
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert telegram(card).photo is not None
    assert "Partial: 15 of 21" in str(slack.message((card,)))
