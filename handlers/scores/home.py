"""The home screen (a home tab): my goals, score and appeals; a manager's team at a glance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Button, Card, Reply
from handlers.commands import Goals, PersonRef, Score
from handlers.common import Refused, actor_today, period_for
from handlers.format import day, num
from handlers.goals.view import show_goals
from handlers.nudges.sweep_calendar import SweepPolicy
from handlers.press import Press
from handlers.scores.compute import ScoringSetup
from handlers.scores.outlook import Outlook, branch_progress, is_final, outlook
from handlers.scores.view import show_score
from scoring.attainment import Direction
from scoring.pace import is_at_risk, pace
from store.models import Branch, Employee, Period
from store.uow import UnitOfWork

OPEN_APPEALS = ("open", "needs_info", "escalated")
TEAM_LINES = 15  # at a glance; /team has the whole report


def show_home(
    press: Press, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup, sweep_policy: SweepPolicy
) -> Reply:
    """Everything a person needs on one screen; `hm` is also the Home tab's Refresh button."""
    head = Card(
        title=t.HOME_TITLE.format(name=actor.name),
        lines=(t.HOME_INTRO,),
        buttons=(Button(t.HOME_REFRESH, "hm"),),
    )
    cards = [head]
    cards += show_goals(Goals(), uow=uow, actor=actor).cards
    cards += show_score(
        Score(), uow=uow, actor=actor, scoring=scoring, sweep_policy=sweep_policy
    ).cards
    with uow:
        cards.append(_my_appeals(uow, actor))
        team = _team_card(uow, actor, scoring, sweep_policy)
    if team is not None:
        cards.append(team)
    return Reply(cards=tuple(cards))


def show_person_score(
    press: Press, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup, sweep_policy: SweepPolicy
) -> Reply:
    """The [Score: name] button on the team card: that person's breakdown (if allowed)."""
    person_id = press.int_value()
    with uow:
        email = uow.org.email_of(person_id) if person_id is not None else None
    if email is None:
        return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
    who = PersonRef("email", email)
    return show_score(
        Score(who=who), uow=uow, actor=actor, scoring=scoring, sweep_policy=sweep_policy
    )


def _my_appeals(uow: UnitOfWork, actor: Actor) -> Card:
    rows = uow.scores.appeals_of(actor.employee_id, OPEN_APPEALS)
    lines = tuple(
        t.HOME_APPEAL_LINE.format(
            id=a.id, metric=a.metric, status=a.status, since=day(a.created_at.date())
        )
        for a in rows
    )
    return Card(title=t.HOME_APPEALS_TITLE, lines=lines or (t.HOME_NO_APPEALS,))


def _team_card(
    uow: UnitOfWork, actor: Actor, scoring: ScoringSetup, policy: SweepPolicy
) -> Card | None:
    reports = uow.org.direct_reports(actor.employee_id)
    if not reports:
        return None
    period = period_for(uow, actor, None)
    if isinstance(period, Refused):
        return None
    ids = [e.id for e in reports]
    scores = uow.scores.breakdowns(period.id, ids)
    today = actor_today(uow, actor)
    branch = uow.get(Branch, actor.branch_id)
    holidays = policy.holidays_for(branch.name) if branch else frozenset()
    rows = [(e, _behind(scores.get(e.id), period, today, holidays, policy)) for e in reports]
    rows.sort(key=lambda r: (not r[1], r[0].name))  # who is behind comes first
    progs = {} if is_final(period) else branch_progress(uow, period, policy)
    looks = {
        e.id: outlook(b, progs[e.branch_id], period.ends_on, scoring, policy.min_elapsed)
        for e in reports
        if (b := scores.get(e.id)) is not None and e.branch_id in progs
    }
    lines = [
        _team_line(e, scores.get(e.id), behind, looks.get(e.id)) for e, behind in rows[:TEAM_LINES]
    ]
    if len(rows) > TEAM_LINES:
        lines.append(t.HOME_TEAM_MORE.format(n=len(rows) - TEAM_LINES))
    pending = uow.scores.goals_to_confirm(period.id, ids)
    waiting = uow.scores.appeals_handled_by(actor.employee_id, OPEN_APPEALS)
    fields = (
        (t.HOME_PENDING_CONFIRM, str(pending or 0)),
        (t.HOME_APPEALS_TO_HANDLE, str(waiting or 0)),
    )
    buttons = tuple(
        Button(t.HOME_SCORE_BUTTON.format(name=e.name), "sc", str(e.id)) for e, b in rows if b
    )[:5]
    return Card(
        title=t.HOME_TEAM_TITLE.format(period=period.key),
        lines=tuple(lines),
        fields=fields,
        buttons=buttons,
    )


def _team_line(
    e: Employee, breakdown: dict[str, Any] | None, behind: list[str], o: Outlook | None
) -> str:
    if breakdown is None:
        return f"{e.name}: {t.HOME_NO_SCORE}"
    flag = t.HOME_BEHIND.format(metrics=t.LIST_SEP.join(behind)) if behind else ""
    total, band = num(breakdown.get("total")), breakdown.get("band") or "—"
    if o is not None and o.result is None:
        return t.HOME_TEAM_LINE_EARLY.format(name=e.name, total=total, flag=flag)
    if o is not None:
        return t.HOME_TEAM_LINE_PARTIAL.format(
            name=e.name, total=total, projected=num(o.total), band=o.band, flag=flag
        )
    return t.HOME_TEAM_LINE.format(name=e.name, total=total, band=band, flag=flag)


def _behind(
    breakdown: dict[str, Any] | None,
    period: Period,
    today: date,
    holidays: frozenset[date],
    policy: SweepPolicy,
) -> list[str]:
    """Labels of the dimensions behind pace (actual against the prorated target), by the
    sweep's thresholds, minimum elapsed share and holidays."""
    out = []
    for d in (breakdown or {}).get("dimensions", []):
        actual, target = _dec(d.get("actual")), _dec(d.get("target"))
        if actual is None or target is None:
            continue
        direction: Direction = "lower" if d.get("direction") == "lower" else "higher"
        p = pace(
            actual, target, period.starts_on, period.ends_on, today, holidays, direction=direction
        )
        threshold = policy.thresholds.get(str(d.get("metric")), policy.threshold)
        if is_at_risk(p, threshold, policy.min_elapsed / 100):
            out.append(str(d.get("label") or d.get("metric")))
    return out


def _dec(value: Any) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
