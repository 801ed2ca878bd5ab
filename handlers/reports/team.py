"""`/team [period]`: each person's total, band, trend and incentive flags, with a chart;
HR also gets the branch comparison and the process figures (R5, R9, R13)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Image, Reply
from handlers.commands import Team
from handlers.common import Refused, period_for
from handlers.format import num, plural
from handlers.i18n import term
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.permissions import deny, visible_ids
from handlers.reports.charts import branch_comparison
from handlers.reports.process_figures import process_figures
from handlers.reports.team_rows import TeamRow, team_rows
from handlers.reports.team_summary import partial_lines, summary_fields, team_chart
from handlers.scores.compute import ScoringSetup
from store.uow import UnitOfWork

MAX_LINES = 30


def show_team(
    cmd: Team, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup, sweep_policy: SweepPolicy
) -> Reply:
    """The report for everyone the actor may see; employees are refused. While the period
    runs it says so, and bands, trends and flags are of the projection (or absent)."""
    with uow:
        if actor.role == "employee":
            return deny("team.view", None, t.TEAM_NOT_MANAGER)
        period = period_for(uow, actor, cmd.period)
        if isinstance(period, Refused):
            return period.reply
        ids = visible_ids(uow, actor)
        rows = team_rows(uow, period, ids, scoring, sweep_policy)
        scored = [r for r in rows if r.total is not None]
        title = t.TEAM_TITLE.format(period=period.key)
        if not scored:
            return Reply.say(title, t.TEAM_EMPTY)
        bands = [(b.name, b.min) for b in scoring.config.bands]
        chart = team_chart(scored, bands, title)
        lines = partial_lines(scored) + [_line(r) for r in rows[:MAX_LINES]]
        if len(rows) > MAX_LINES:
            lines.append(t.AND_MORE.format(n=len(rows) - MAX_LINES))
        fields = [(t.TEAM_PEOPLE, str(len(rows))), *summary_fields(scored, bands)]
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
    flags = f" · {t.LIST_SEP.join(str(term(f)) for f in r.flags)}" if r.flags else ""
    praise = f" · {t.PRAISED.format(n=r.praise)}" if r.praise else ""
    o = r.outlook
    if o is None:
        head = t.TEAM_LINE.format(name=r.name, team=r.team, total=num(r.total, 1), band=r.band)
    elif o.result is None:  # too early: the partial total alone, no band, no trend
        head = t.TEAM_LINE_EARLY.format(name=r.name, team=r.team, total=num(r.total, 1))
    else:
        head = t.TEAM_LINE_PARTIAL.format(
            name=r.name, team=r.team, total=num(r.total, 1), projected=num(o.total, 1), band=o.band
        )
    return f"{head}{arrow}{flags}{praise}"


def _hr_card(uow: UnitOfWork, period: object, ids: list[int], rows: list[TeamRow]) -> Card:
    from store.models import Period

    assert isinstance(period, Period)
    per_branch: dict[str, list[Decimal]] = defaultdict(list)
    kind: dict[str, str] = {}  # final | projected | early: what the branch's average is of
    for r in rows:
        if r.standing is not None:
            per_branch[r.branch].append(Decimal(str(r.standing)))
            kind[r.branch] = _kind(r)
    names = sorted(per_branch)
    avgs = [sum(per_branch[b], Decimal(0)) / len(per_branch[b]) for b in names]
    figures = process_figures(uow, period, ids)
    title = t.HR_TITLE.format(period=period.key)
    partial = partial_lines(rows)
    lines = tuple(partial) + tuple(
        getattr(t, BRANCH_LINES[kind[b]]).format(
            branch=b, avg=num(a, 1), people=plural(len(per_branch[b]), t.PEOPLE)
        )
        for b, a in zip(names, avgs, strict=True)
    )
    rate = figures.completion_rate
    fields = (
        (
            t.COMPLETION,
            t.COMPLETION_VALUE.format(
                rate="—" if rate is None else f"{num(rate)}%",
                done=num(figures.goals_acknowledged),
                goals=plural(figures.goals_total, t.GOALS),
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
    chart = branch_comparison(names, avgs, " · ".join([title, *partial[:1]]))
    return Card(title, lines, fields, image=Image(chart, f"branches-{period.key}.png", title))


BRANCH_LINES = {  # the message each kind of branch line reads (in the reader's language)
    "final": "BRANCH_LINE",
    "projected": "BRANCH_LINE_PROJECTED",
    "early": "BRANCH_LINE_EARLY",
}


def _kind(r: TeamRow) -> str:
    if r.outlook is None:
        return "final"
    return "early" if r.outlook.result is None else "projected"
