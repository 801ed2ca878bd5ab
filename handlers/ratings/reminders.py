"""The scheduler's rating round: the rating card near the end of each period, then a reminder
to managers who still have someone to rate (business days in each branch's calendar).

Run as often as you like: each manager gets each card once per period (outbox dedupe keys
`rating:<period>:card|remind:<manager>:<page>`), in their branch's working hours only
(from `at`, local time, Monday to Friday, not on holidays). Managers who have rated
everyone get nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers import strings as t
from handlers.cards import Card
from handlers.format import num, plural
from handlers.notify import notify, speaking_to
from handlers.ratings.card import cards_for, rated_scorecards
from handlers.scores.compute import ScoringSetup
from scoring.pace import branch_holidays, business_days
from store.models import Period
from store.ratings import ReportRow
from store.uow import UnitOfWork

ACTOR = "scheduler"


@dataclass(frozen=True)
class RatingPolicy:
    """Cards go `card_days` business days before a period ends (today counts), reminders
    `remind_days` before; 0 turns either off. Holidays by branch name ("all": everywhere)."""

    card_days: int = 5
    remind_days: int = 2
    at: time = time(9, 30)
    holidays: Mapping[str, Collection[date]] = field(default_factory=dict)

    def holidays_for(self, branch: str) -> frozenset[date]:
        return branch_holidays(self.holidays, branch)


@dataclass(frozen=True)
class RatingRun:
    """What one round queued: cards and reminders, one per manager."""

    cards: int = 0
    reminders: int = 0

    def __str__(self) -> str:
        return f"{plural(self.cards, t.RATING_CARDS)}, {plural(self.reminders, t.REMINDERS)}"


def send_rating_cards(
    *, uow: UnitOfWork | Callable[[], UnitOfWork], scoring: ScoringSetup, policy: RatingPolicy
) -> RatingRun:
    """Queue the cards and reminders due now; `uow` may be a unit of work or its factory."""
    u = uow() if callable(uow) else uow
    cards = reminders = 0
    with u:
        now = u.clock()
        for period, left_by_branch in _due(u, policy, now).items():
            c, r = _period_round(u, scoring, policy, period, left_by_branch)
            cards, reminders = cards + c, reminders + r
        u.commit()
    return RatingRun(cards, reminders)


def _due(u: UnitOfWork, policy: RatingPolicy, now: datetime) -> dict[Period, dict[int, int]]:
    """Open periods whose card is due somewhere: branch -> business days left there."""
    if policy.card_days <= 0 and policy.remind_days <= 0:
        return {}
    periods = u.org.open_periods()
    due: dict[Period, dict[int, int]] = defaultdict(dict)
    for branch in u.org.branches():
        local = now.astimezone(ZoneInfo(branch.timezone))
        today, holidays = local.date(), policy.holidays_for(branch.name)
        if today.weekday() >= 5 or today in holidays or local.time() < policy.at:
            continue
        for p in periods:
            left = business_days(today, p.ends_on, holidays)
            if p.starts_on <= today and left <= max(policy.card_days, policy.remind_days):
                due[p][branch.id] = left
    return due


def _period_round(
    u: UnitOfWork,
    scoring: ScoringSetup,
    policy: RatingPolicy,
    period: Period,
    left_by_branch: dict[int, int],
) -> tuple[int, int]:
    scorecards = rated_scorecards(scoring.config)
    managers = u.ratings.managers_with_unrated(period.id, list(left_by_branch), scorecards)
    sent = u.ratings.queued_keys(f"rating:{period.id}:")
    todo: dict[int, tuple[str, int]] = {}
    for manager_id, branch_id in managers:
        left = left_by_branch[branch_id]
        card_due = policy.card_days > 0 and left <= policy.card_days
        remind_due = policy.remind_days > 0 and left <= policy.remind_days
        reminded = _key(period, "remind", manager_id) in sent
        # Inside the reminder window the card comes as the reminder (once), never as a card
        # followed by a reminder the next hour.
        if remind_due and not reminded:
            todo[manager_id] = ("remind", left)
        elif card_due and not reminded and _key(period, "card", manager_id) not in sent:
            todo[manager_id] = ("card", left)
    by_manager: dict[int, list[ReportRow]] = defaultdict(list)
    for row in u.ratings.card_rows(list(todo), period.id, scorecards):
        by_manager[row.manager_id].append(row)
    for manager_id, (kind, left) in todo.items():
        rows = by_manager[manager_id]
        missing = sum(1 for r in rows if r.rating is None)
        with speaking_to(u, manager_id):
            pages = [
                _headed(card, kind, period, left, missing, len(rows))
                for card in cards_for(rows, period, scoring.config.rating_scale)
            ]
        for page, card in enumerate(pages, 1):
            notify(
                u,
                kind="rating",
                dedupe_key=_key(period, kind, manager_id, page),
                card=card,
                recipient_id=manager_id,
            )
    counts = [kind for kind, _ in todo.values()]
    if todo:
        u.audit(
            actor=ACTOR,
            action="rating.round",
            entity="period",
            entity_id=period.id,
            after={
                "period": period.key,
                "cards": counts.count("card"),
                "reminders": counts.count("remind"),
            },
        )
    return counts.count("card"), counts.count("remind")


def _key(period: Period, kind: str, manager_id: int, page: int = 1) -> str:
    return f"rating:{period.id}:{kind}:{manager_id}:{page}"


def _headed(card: Card, kind: str, period: Period, left: int, missing: int, total: int) -> Card:
    """The rating card with why it came: the period ending, or a reminder."""
    if kind == "card":
        return replace(
            card,
            lines=(
                t.RT_CARD_INTRO.format(period=period.key, left=plural(left, t.BUSINESS_DAYS)),
                *card.lines,
            ),
        )
    line = t.RT_REMIND.format(
        left=plural(left, t.BUSINESS_DAYS),
        period=period.key,
        missing=num(missing),
        total=plural(total, t.REPORTS),
    )
    title = t.RT_REMIND_TITLE.format(period=period.key)
    return replace(card, title=title, lines=(line, *card.lines))
