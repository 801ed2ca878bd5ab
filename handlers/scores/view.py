"""`/score`: the stored, weighted breakdown of a person's score, with its sources.

The breakdown snapshot stored with every Score (and produced by the scoring engine):
{"scorecard": key, "total": "87.50", "coverage": "100", "band": "good",
 "dimensions": [{"metric", "label", "weight", "direction", "actual", "target",
                 "attainment", "points", "facts", "sources": [..], "fetched_at"}]}
Numbers are decimal strings so the snapshot re-explains the score exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.window import AppealWindow, may_appeal
from handlers.cards import Button, Card, Reply
from handlers.commands import Score as ScoreCmd
from handlers.common import Refused, actor_today, employee_for
from handlers.format import amount, num, pct, stamp
from handlers.i18n import ENGLISH, current, term
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.periods import resolve
from handlers.permissions import gone
from handlers.scores.compute import ScoringSetup
from handlers.scores.outlook import (
    Outlook,
    local_date,
    outlook,
    pace_note,
    partial_line,
    total_text,
)
from handlers.scores.what_if import what_if_card
from scoring.projection import progress
from store.models import Employee, Period
from store.score_view import ScoreView
from store.uow import UnitOfWork


def show_score(
    cmd: ScoreCmd,
    *,
    uow: UnitOfWork,
    actor: Actor,
    scoring: ScoringSetup,
    sweep_policy: SweepPolicy,
    appeal_window: AppealWindow | None = None,
) -> Reply:
    """The weighted breakdown of a stored score: actual, target, attainment, weight, points;
    while the period runs, how much of it has gone and where each figure is heading."""
    # Someone else's score may end in a refusal, which is audited: only one's own (the
    # common case) is known to be read-only.
    with uow.reading() if cmd.who is None else uow:
        person_id = actor.employee_id
        if cmd.who is not None:  # someone else's: found, and allowed (or denied, audited)
            person = employee_for(uow, actor, cmd.who, "score.view")
            if isinstance(person, Refused):
                return person.reply
            person_id = person.id
        key = resolve(cmd.period, actor_today(uow, actor)).key
        # One statement: the score, its sources, corrections, pending targets and units.
        view = uow.scores.view(person_id, key)
        if cmd.who is None and not view.active:  # a leaver (registry: checks_active)
            return gone(cmd)
        if view.period_id is None:
            return Reply.say(t.NO_PERIOD_TITLE, t.NO_PERIOD.format(key=key), ok=False)
        if view.breakdown is None:
            why = t.NO_SCORECARD if view.scorecard is None else t.NO_SCORE_YET
            return Reply.say(t.SCORE_TITLE.format(name=view.name, period=key), why)
        own = person_id == actor.employee_id
        # Only another language writes a unit on the figures (`¥100万`): English needs none.
        units = view.units if current() != ENGLISH else None
        card = score_card(
            view.name,
            key,
            view.breakdown,
            own=own and _appealable(uow, appeal_window, person_id, view),
            ids=(person_id, view.period_id),
            fetched={src: at.isoformat() for src, at in view.fetched.items()},
            outlook=_outlook(view, uow.clock(), scoring, sweep_policy),
            corrected=view.corrected,
            rating_high=scoring.config.rating_scale.high,
            pending=view.pending,
            units=units,
        )
        if cmd.what_if:
            what_if = what_if_card(view.breakdown, cmd.what_if, scoring.config, units)
            return Reply(cards=(card, what_if))
        return Reply(cards=(card,))


def _appealable(
    uow: UnitOfWork, window: AppealWindow | None, person_id: int, view: ScoreView
) -> bool:
    """An open period can be appealed; a closed one within its window (the rare case that
    needs the person's branch calendar)."""
    if view.period_status != "closed":
        return True
    period = uow.get(Period, view.period_id)
    person = uow.get(Employee, person_id)
    return period is not None and person is not None and may_appeal(uow, window, period, person)


def score_card(
    name: str,
    period_key: str,
    breakdown: dict[str, Any],
    *,
    own: bool,
    ids: tuple[int, int],
    fetched: dict[str, str] | None = None,
    outlook: Outlook | None = None,
    corrected: Mapping[str, tuple[Any, Any]] | None = None,
    rating_high: int = 5,
    pending: Mapping[str, Decimal] | None = None,
    units: Mapping[str, str] | None = None,
) -> Card:
    """Render a breakdown snapshot as a neutral card (also used by what-if and App Home).
    With an outlook (the period still runs): the partial line, pace per figure, and the
    projected total and band in place of a band of the partial total; `own` offers
    [Appeal a figure]; `corrected`: metric -> (figure before, appeal); `pending`: targets
    proposed but not confirmed, by metric, shown as not counted; `units`: each metric's
    goal unit, so money reads as money where the reader's language writes it so."""
    dims = sorted(breakdown.get("dimensions", []), key=lambda d: d.get("pos", 0))
    fixes, waiting = corrected or {}, pending or {}
    lines: list[str] = [] if outlook is None else [partial_line(outlook)]
    for d in dims:
        lines.append(
            _dimension_line(d, rating_high, (units or {}).get(d["metric"], ""))
            + _corrected(fixes.get(d["metric"]), (units or {}).get(d["metric"], ""))
            + ("" if outlook is None else pace_note(outlook, d["metric"]))
        )
        if (target := waiting.get(d["metric"])) is not None:
            label = d.get("label") or d["metric"]
            unit = (units or {}).get(d["metric"], "")
            lines.append(t.PENDING_TARGET.format(label=label, target=amount(target, unit)))
    band = breakdown.get("band") or "—"
    total = t.TOTAL_BAND.format(total=num(breakdown.get("total")), band=band)
    if outlook is not None:
        total = total_text(breakdown.get("total"), outlook)
    fields = (
        (t.TOTAL, total),
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
        lines=tuple(lines),
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
    # A line without data (a rating not given yet) has no source to name.
    latest = {
        src: fetched.get(src, "")
        for d in dims
        if d.get("actual") is not None
        for src in sources_of(d)
    }
    if not latest:
        return ""
    parts = [_provenance(s, at) for s, at in sorted(latest.items())]
    return t.SOURCES_NOTE.format(sources=t.CLAUSE_SEP.join(parts))


def _provenance(source: str, at: str) -> str:
    if not at:
        return str(term(source))
    said = t.SOURCE_RATED if source == "manager" else t.SOURCE_FETCHED
    return said.format(source=source, at=stamp(at))


def _corrected(fix: tuple[Any, Any] | None, unit: str) -> str:
    if fix is None:
        return ""
    return t.SCORE_CORRECTED.format(before=amount(fix[0], unit), appeal=fix[1] or "—")


def _dimension_line(d: dict[str, Any], rating_high: int, unit: str = "") -> str:
    label = d.get("label") or d["metric"]
    if d.get("attainment") is None:
        if (
            d.get("kind", "metric") == "metric"
            and d.get("actual") is not None
            and d.get("target") is None
        ):
            return t.DIMENSION_NO_TARGET.format(
                label=label, weight=num(d.get("weight")), actual=amount(d.get("actual"), unit)
            )
        return t.DIMENSION_NO_DATA.format(label=label, weight=num(d.get("weight")))
    if d.get("kind") == "rating" or d.get("metric") == "manager_rating":
        return t.RATING_LINE.format(
            label=label,
            weight=num(d.get("weight")),
            rating=num(d.get("actual")),
            high=rating_high,
            attainment=pct(d.get("attainment")),
            points=num(d.get("points"), 2),
        )
    return t.DIMENSION_LINE.format(
        label=label,
        weight=num(d.get("weight")),
        actual=amount(d.get("actual"), unit),
        target=amount(d.get("target"), unit),
        attainment=pct(d.get("attainment")),
        points=num(d.get("points"), 2),
        sources=t.LIST_SEP.join(sources_of(d)) or t.PRAISE_NO_SOURCE,
    )


def _outlook(
    view: ScoreView, now: datetime, scoring: ScoringSetup, policy: SweepPolicy
) -> Outlook | None:
    """The outlook of an open period in the person's branch (None when final or ended)."""
    if view.breakdown is None or view.period_status == "closed":
        return None
    if view.starts_on is None or view.ends_on is None:
        return None
    today = local_date(now, view.timezone)
    prog = progress(view.starts_on, view.ends_on, today, policy.holidays_for(view.branch))
    return outlook(view.breakdown, prog, view.ends_on, scoring, policy.min_elapsed)
