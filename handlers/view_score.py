"""`/score`: the stored, weighted breakdown of a person's score, with its sources.

The breakdown snapshot stored with every Score (and produced by the scoring engine):
{"scorecard": key, "total": "87.50", "coverage": "100", "band": "good",
 "dimensions": [{"metric", "label", "weight", "direction", "actual", "target",
                 "attainment", "points", "facts", "sources": [..], "fetched_at"}]}
Numbers are decimal strings so the snapshot re-explains the score exactly as it was.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.cards import Button, Card, Reply
from handlers.commands import Score as ScoreCmd
from handlers.common import Refused, employee_for, period_for
from handlers.format import num, pct
from handlers.scores import ScoringSetup
from handlers.what_if import what_if_card
from store.models import MetricFact, Period, Score
from store.uow import UnitOfWork


def show_score(cmd: ScoreCmd, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup) -> Reply:
    """The weighted breakdown of a stored score: actual, target, attainment, weight, points."""
    with uow:
        person = employee_for(uow, actor, cmd.who, "score.view")
        if isinstance(person, Refused):
            return person.reply
        period = period_for(uow, actor, cmd.period)
        if isinstance(period, Refused):
            return period.reply
        score = uow.session.scalar(
            select(Score).where(Score.employee_id == person.id, Score.period_id == period.id)
        )
        if score is None:
            why = t.NO_SCORECARD if person.scorecard is None else t.NO_SCORE_YET
            return Reply.say(t.SCORE_TITLE.format(name=person.name, period=period.key), why)
        card = score_card(
            person.name,
            period.key,
            score.breakdown,
            own=person.id == actor.employee_id,
            ids=(person.id, period.id),
            fetched=last_fetched(uow, person.id, period),
        )
        if cmd.what_if:
            return Reply(cards=(card, what_if_card(score.breakdown, cmd.what_if, scoring.config)))
        return Reply(cards=(card,))


def last_fetched(uow: UnitOfWork, employee_id: int, period: Period) -> dict[str, str]:
    """When each source behind a person's figures of a period was last fetched."""
    rows = uow.session.execute(
        select(MetricFact.source, func.max(MetricFact.fetched_at))
        .where(
            MetricFact.employee_id == employee_id,
            MetricFact.occurred_on >= period.starts_on,
            MetricFact.occurred_on <= period.ends_on,
        )
        .group_by(MetricFact.source)
    ).all()
    return {src: at.isoformat() for src, at in rows if at is not None}


def score_card(
    name: str,
    period_key: str,
    breakdown: dict[str, Any],
    *,
    own: bool,
    ids: tuple[int, int],
    fetched: dict[str, str] | None = None,
) -> Card:
    """Render a breakdown snapshot as a neutral card (also used by what-if and App Home)."""
    dims = sorted(breakdown.get("dimensions", []), key=lambda d: d.get("pos", 0))
    lines = tuple(_dimension_line(d) for d in dims)
    fields = (
        (t.TOTAL, f"{num(breakdown.get('total'))} ({breakdown.get('band') or '—'})"),
        (t.COVERAGE, f"{num(breakdown.get('coverage'))}% {t.OF_WEIGHTS_WITH_DATA}"),
    )
    buttons = tuple(
        Button(
            t.EXPLAIN_BUTTON.format(label=d.get("label") or d["metric"]),
            "ex",
            f"{d['metric']}.{ids[0]}.{ids[1]}",
        )
        for d in dims
        if d.get("facts")
    )[:4]
    if own:
        buttons += (Button(t.APPEAL_BUTTON, "ap:new", str(ids[1])),)
    return Card(
        title=t.SCORE_TITLE.format(name=name, period=period_key),
        lines=lines,
        fields=fields,
        buttons=buttons,
        footnote=provenance_note(dims, fetched or {}),
    )


def sources_of(dim: dict[str, Any]) -> list[str]:
    """A dimension's sources (stored as a list or a comma-joined string)."""
    raw = dim.get("sources") or []
    return [s for s in (raw.split(",") if isinstance(raw, str) else raw) if s]


def provenance_note(dims: list[dict[str, Any]], fetched: dict[str, str]) -> str:
    """'Sources: crm (fetched 2026-11-20 08:00 UTC); …' with each source's latest fetch."""
    latest = {src: fetched.get(src, "") for d in dims for src in sources_of(d)}
    if not latest:
        return ""
    parts = [
        t.SOURCE_FETCHED.format(source=s, at=at[:16].replace("T", " ")) if at else s
        for s, at in sorted(latest.items())
    ]
    return f"{t.SOURCES}: " + "; ".join(parts)


def _dimension_line(d: dict[str, Any]) -> str:
    label = d.get("label") or d["metric"]
    if d.get("attainment") is None:
        return t.DIMENSION_NO_DATA.format(label=label, weight=num(d.get("weight")))
    if d.get("kind") == "rating" or d.get("metric") == "manager_rating":
        return t.RATING_LINE.format(
            label=label,
            weight=num(d.get("weight")),
            rating=num(d.get("actual")),
            attainment=pct(d.get("attainment")),
            points=num(d.get("points"), 2),
        )
    return t.DIMENSION_LINE.format(
        label=label,
        weight=num(d.get("weight")),
        actual=num(d.get("actual")),
        target=num(d.get("target")),
        attainment=pct(d.get("attainment")),
        points=num(d.get("points"), 2),
        sources=", ".join(sources_of(d)) or "manual",
    )
