"""`/team [period]`: each person's total, band, trend and incentive flags, with a chart;
HR also gets the branch comparison and the process figures (R5, R9, R13)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.cards import Card, Image, Reply
from handlers.charts import branch_comparison, score_distribution
from handlers.commands import Team
from handlers.common import Refused, period_for
from handlers.format import num
from handlers.permissions import deny, visible_ids
from handlers.process_figures import process_figures
from handlers.scores import ScoringSetup
from handlers.team_rows import TeamRow, team_rows
from store.uow import UnitOfWork

MAX_LINES = 30


def show_team(cmd: Team, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup) -> Reply:
    """The report for everyone the actor may see; employees are refused."""
    with uow:
        if actor.role == "employee":
            return deny(uow, actor, "team.view", None, t.TEAM_NOT_MANAGER)
        period = period_for(uow, actor, cmd.period)
        if isinstance(period, Refused):
            return period.reply
        ids = visible_ids(uow, actor)
        rows = team_rows(uow, period, ids, scoring.config)
        scored = [r for r in rows if r.total is not None]
        title = t.TEAM_TITLE.format(period=period.key)
        if not scored:
            return Reply.say(title, t.TEAM_EMPTY)
        bands = [(b.name, b.min) for b in scoring.config.bands]
        chart = score_distribution(
            [r.name for r in scored], [Decimal(str(r.total)) for r in scored], bands, title
        )
        lines = [_line(r) for r in rows[:MAX_LINES]]
        if len(rows) > MAX_LINES:
            lines.append(t.AND_MORE.format(n=len(rows) - MAX_LINES))
        avg = sum((Decimal(str(r.total)) for r in scored), Decimal(0)) / len(scored)
        fields = [
            (t.TEAM_PEOPLE, str(len(rows))),
            (t.TEAM_AVERAGE, num(avg, 1)),
            *((name, str(n)) for name, n in _band_counts(scored, bands)),
        ]
        cards = [
            Card(
                title,
                tuple(lines),
                tuple(fields),
                image=Image(chart, f"team-{period.key}.png", title),
            )
        ]
        if actor.role in ("hr", "admin"):
            cards.append(_hr_card(uow, period, ids, rows))
        return Reply(cards=tuple(cards))


def _line(r: TeamRow) -> str:
    if r.total is None:
        return t.TEAM_LINE_NO_SCORE.format(name=r.name)
    trend = r.trend
    arrow = (
        ""
        if trend is None
        else (f" ▲{num(trend, 1)}" if trend > 0 else f" ▼{num(-trend, 1)}" if trend < 0 else " =")
    )
    flags = f" · {', '.join(r.flags)}" if r.flags else ""
    praise = f" · {t.PRAISED.format(n=r.praise)}" if r.praise else ""
    return f"{r.name} ({r.team}): {num(r.total, 1)} {r.band}{arrow}{flags}{praise}"


def _band_counts(rows: list[TeamRow], bands: list[tuple[str, Decimal]]) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r.band] += 1
    return [(name, counts[name]) for name, _ in sorted(bands, key=lambda b: -b[1])]


def _hr_card(uow: UnitOfWork, period: object, ids: list[int], rows: list[TeamRow]) -> Card:
    from store.models import Period

    assert isinstance(period, Period)
    per_branch: dict[str, list[Decimal]] = defaultdict(list)
    for r in rows:
        if r.total is not None:
            per_branch[r.branch].append(Decimal(str(r.total)))
    names = sorted(per_branch)
    avgs = [sum(per_branch[b], Decimal(0)) / len(per_branch[b]) for b in names]
    figures = process_figures(uow, period, ids)
    title = t.HR_TITLE.format(period=period.key)
    lines = tuple(
        t.BRANCH_LINE.format(branch=b, avg=num(a, 1), n=len(per_branch[b]))
        for b, a in zip(names, avgs, strict=True)
    )
    rate = figures.completion_rate
    fields = (
        (
            t.COMPLETION,
            t.COMPLETION_VALUE.format(
                rate="—" if rate is None else f"{num(rate)}%",
                done=figures.goals_acknowledged,
                total=figures.goals_total,
            ),
        ),
        (t.APPEALS_OPENED, str(figures.appeals_opened)),
        (t.APPEALS_RESOLVED, str(figures.appeals_resolved)),
        (
            t.MEDIAN_RESOLVE,
            "—"
            if figures.median_hours_to_resolve is None
            else t.HOURS.format(h=num(figures.median_hours_to_resolve)),
        ),
    )
    chart = branch_comparison(names, avgs, title)
    return Card(title, lines, fields, image=Image(chart, f"branches-{period.key}.png", title))
