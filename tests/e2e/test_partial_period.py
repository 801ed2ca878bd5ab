"""Mid-period honesty through the console: a running period is shown as partial with pace,
bands, trends and incentives come from the projection (or are not shown), and a closed
period shows its final figures."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from click.testing import CliRunner
from sqlalchemy import delete, select

from bot.cli import main
from bot.console.app import ConsoleSession
from handlers.closing.close import close_period
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.scores.compute import score_all
from store.breakdowns import breakdown_of
from store.models import Employee, MetricFact, Period, Score

ANA, MANAGER, HEAD, HR = (
    "ana.li@acme.example",
    "chen.jing@acme.example",
    "li.wei@acme.example",
    "zhao.min@acme.example",
)
PNG = b"\x89PNG\r\n\x1a\n"


def as_(rt, email: str) -> ConsoleSession:  # type: ignore[no-untyped-def]
    return ConsoleSession(rt.dispatcher, rt.uow, email)


def rewind(rt, day: date) -> None:  # type: ignore[no-untyped-def]
    """The clock at 10:00 in Shanghai on `day`, with only the records up to that day."""
    rt.clock.now = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
    with rt.uow() as uow:
        uow.session.execute(delete(MetricFact).where(MetricFact.occurred_on > day))
        uow.commit()
    score_all(f"{day:%Y-%m}", uow=rt.uow(), setup=rt.scoring)


def person_lines(card) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in card.lines if not line.startswith("Partial:")]


def test_score_mid_month_is_partial_with_pace_per_figure(demo):
    card = as_(demo, ANA).handle("/score").cards[0]
    assert card.lines[0] == ("Partial: 15 of 21 working days · projections are on pace to 30 Nov")
    with demo.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == ANA))
        period = uow.session.scalar(select(Period).where(Period.key == "2026-11"))
        stored = breakdown_of(uow.session, ana.id, period.id)
    sales = next(d for d in stored["dimensions"] if d["metric"] == "sales_amount")
    # 15 of 21 working days gone: the month's sales at this pace, against the target.
    on_pace = Decimal(sales["actual"]) * 21 / 15 * 100 / Decimal(sales["target"])
    sales_line = next(line for line in card.lines if line.startswith("Sales"))
    assert sales_line.endswith(f"· on pace for {on_pace:.1f}% by 30 Nov")
    csat = next(line for line in card.lines if line.startswith("Customer satisfaction"))
    was = re.search(r"→ ([\d.]+%) →", csat)
    assert was and csat.endswith(f"on pace for {was.group(1)} by 30 Nov")  # a rate stands
    total = dict(card.fields)["Total"]
    assert re.fullmatch(
        rf"{stored['total']} so far · on pace for [\d.]+ \((excellent|good|needs improvement),"
        r" projected\)",
        total,
    ), total
    assert f"({stored['band']})" not in total  # never the band of a partial total


def test_team_mid_month_ranks_and_flags_on_the_projection(demo):
    reply = as_(demo, HEAD).handle("/team")
    card = reply.cards[0]
    assert card.lines[0].startswith("Partial: 15 of 21 working days")
    people = person_lines(card)
    assert len(people) == 13 and dict(card.fields)["People"] == "13"
    assert all(" so far · on pace for " in line and "(projected)" in line for line in people)
    fields = dict(card.fields)
    assert {"Average so far", "Average on pace", "excellent (projected)"} <= fields.keys()
    assert "Average" not in fields and "excellent" not in fields
    projected = [Decimal(re.findall(r"on pace for ([\d.]+)", x)[0]) for x in people]
    assert projected == sorted(projected, reverse=True)  # ordered by the projection
    for line in people:  # flags are projected, and never for the lowest projected band
        assert "bonus" not in line or "bonus (projected)" in line
        assert not ("needs improvement (projected)" in line and "bonus" in line)
    assert card.image is not None and card.image.data.startswith(PNG)


def test_team_on_the_4th_shows_no_band_trend_or_bonus_from_a_partial_total(demo):
    rewind(demo, date(2026, 11, 4))  # 3 of 21 working days: under the sweep's 20%
    with demo.uow() as uow:  # what used to be shown: low partial totals banded as final
        stored = set(
            uow.session.scalars(select(Score.band).join(Period).where(Period.key == "2026-11"))
        )
    assert "needs improvement" in stored
    reply = as_(demo, HR).handle("/team")
    card, hr = reply.cards
    assert card.lines[0] == "Partial: 3 of 21 working days · too early to project"
    everything = "\n".join([*card.lines, *hr.lines, *(f"{k} {v}" for k, v in card.fields)])
    for dishonest in ("needs improvement", "excellent", "good", "▼", "▲", "bonus", "promotion"):
        assert dishonest not in everything, dishonest
    assert all(line.endswith(" so far") for line in person_lines(card)[:30])
    assert set(dict(card.fields)) == {"People", "Average so far"}
    assert all("too early to project" in line for line in hr.lines[1:])
    score = as_(demo, ANA).handle("/score").cards[0]
    assert score.lines[0] == "Partial: 3 of 21 working days · too early to project"
    assert dict(score.fields)["Total"].endswith("so far (too early to project)")
    assert not any("on pace" in line for line in score.lines)


def test_team_early_but_projectable_flags_nobody_projected_to_need_improvement(demo):
    rewind(demo, date(2026, 11, 6))  # 5 of 21 working days: projections start
    card = as_(demo, HR).handle("/team").cards[0]
    assert card.lines[0].startswith("Partial: 5 of 21 working days · projections are on pace")
    people = person_lines(card)
    weak = [x for x in people if "needs improvement (projected)" in x]
    flagged = [x for x in people if "bonus (projected)" in x]
    assert weak and flagged  # the situation is really there: weak people and a bonus
    assert not any("bonus" in x or "promotion" in x for x in weak)
    assert int(dict(card.fields)["needs improvement (projected)"]) >= len(weak)


def test_home_team_card_is_partial_too(demo):
    team = as_(demo, MANAGER).handle("press hm").cards[-1]
    scored = [x for x in team.lines if "no score yet" not in x and not x.startswith("…")]
    assert scored and all(", projected)" in x and " so far, on pace for " in x for x in scored)


def test_a_closed_period_shows_final_figures_without_partial(demo):
    close_period("2026-10", uow=demo.uow(), scoring=demo.scoring, actor="t")
    score = as_(demo, ANA).handle("/score last").cards[0]
    assert not any(x.startswith("Partial") or "on pace" in x for x in score.lines)
    assert re.fullmatch(
        r"[\d.]+ \((excellent|good|needs improvement)\)", dict(score.fields)["Total"]
    )
    card = as_(demo, HEAD).handle("/team last").cards[0]
    text = "\n".join([*card.lines, *(f"{k} {v}" for k, v in card.fields)])
    assert "so far" not in text and "projected" not in text and "Partial" not in text
    assert "Average" in dict(card.fields)


def test_the_report_says_partial_and_labels_projections(demo_url, tmp_path):
    runner = CliRunner()
    md = runner.invoke(main, ["report", "--format", "md", "--db", demo_url])
    assert md.exit_code == 0, md.output
    assert "- Partial: 15 of 21 working days · projections are on pace to 30 Nov" in md.output
    assert "| working_days | projected | projected_band |" in md.output
    table = runner.invoke(main, ["report", "--format", "csv", "--db", demo_url]).output
    header, *rows = list(csv.reader(io.StringIO(table)))
    at = {name: i for i, name in enumerate(header)}
    assert all(r[at["working_days"]] == "15/21" and r[at["band"]] == "" for r in rows)
    assert all(r[at["projected_band"]] in ("excellent", "good", "needs improvement") for r in rows)
    png = tmp_path / "r.png"
    out = runner.invoke(main, ["report", "--format", "png", "--out", str(png), "--db", demo_url])
    assert out.exit_code == 0 and png.read_bytes().startswith(PNG)
    last = runner.invoke(
        main, ["report", "--period", "2026-10", "--format", "csv", "--db", demo_url]
    )
    header, *rows = list(csv.reader(io.StringIO(last.output)))
    assert rows and all(r[header.index("working_days")] == "" for r in rows)


def test_pace_counts_the_branchs_holidays_like_the_sweep(demo):
    holidays = {
        "Shanghai HQ": {date(2026, 11, 2), date(2026, 11, 3)},
        "Berlin": {date(2026, 11, 4)},
    }
    dispatcher = demo.dispatcher.with_deps(sweep_policy=SweepPolicy(holidays=holidays))
    ana = ConsoleSession(dispatcher, demo.uow, ANA).handle("/score").cards[0]
    assert ana.lines[0].startswith("Partial: 13 of 19 working days")  # Shanghai HQ
    team = ConsoleSession(dispatcher, demo.uow, HR).handle("/team").cards[0]
    assert "Partial: 13 of 19 working days · projections are on pace to 30 Nov (Shanghai HQ)" in (
        team.lines
    )
    assert "Partial: 14 of 20 working days · projections are on pace to 30 Nov (Berlin)" in (
        team.lines
    )
