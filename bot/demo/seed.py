"""Seed the demo company: org, periods, goals, ratings, then its source records synced
from a local sample server through the real connectors, then real scoring."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import yaml

from bot import strings as bs
from bot.demo.company import (
    CHINESE_BRANCHES,
    CHINESE_GOAL_TITLES,
    CHINESE_TEAMS,
    org_yaml,
    team_name,
)
from bot.demo.data import TARGETS, level_of
from bot.demo.sources import sync_demo
from bot.platform_names import CHAT_PLATFORMS
from handlers.commands import Kpi, PersonRef
from handlers.common import local_today
from handlers.goals.cascade import run_cascade
from handlers.goals.confirm import confirm_team_targets
from handlers.goals.file import parse_goals
from handlers.identity import actor_for
from handlers.kpi.request import request_target_change
from handlers.people.org_load import load_org
from handlers.periods import month_span, previous
from handlers.press import Press
from handlers.scores.compute import ScoringSetup, score_all
from said import Said, SaidError, joined
from store.models import Branch, Employee, Goal, ManagerRating, Period, Team
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
LOWER_IS_BETTER = {"bug_rate", "defect_rate"}
GOALS = Path(__file__).parent / "goals.yaml"
_TEAMS_LINE = re.compile(r"^(\s*teams: \[)([^\]]*)\]", re.MULTILINE)
# The reason of the demo's pending target change, in the demo's language.
KPI_REASON = {
    "en": "lost the Hangzhou key account to a competitor",
    "zh": "杭州的重点客户被竞争对手抢走了",
}


def seed_periods(uow: UnitOfWork, today: date, months: int = 4) -> list[Period]:
    """The current month and the `months - 1` before it, oldest first."""
    spans = [month_span(today.year, today.month)]
    for _ in range(months - 1):
        spans.append(previous(spans[-1]))
    out = []
    with uow:
        for s in reversed(spans):
            p = uow.org.period_by_key(s.key)
            if p is None:
                p = Period(key=s.key, kind="month", starts_on=s.start, ends_on=s.end)
                uow.add(p)
            out.append(p)
        uow.commit()
    return out


def seed_people_data(
    uow: UnitOfWork, periods: list[Period], today: date, now: datetime, labels: dict[str, str]
) -> None:
    """Employee goals and past managers' ratings of the open periods (the facts come by sync:
    bot/demo/sources.py); a refresh first removes the facts an earlier run synced. A closed
    period is history: a refresh leaves its goals, ratings and results as they are."""
    open_periods = [p for p in periods if p.status != "closed"]
    units = goal_units()
    with uow:
        people = uow.demo.scored_people()
        uow.demo.clear_seeded([e.id for e in people], [p.id for p in open_periods])
        for period in open_periods:
            past = period.ends_on < today
            for emp in people:
                cascaded = uow.demo.cascaded_metrics(period.id, emp.id)
                for metric, target in TARGETS[emp.scorecard or ""].items():
                    if metric in cascaded:
                        continue
                    uow.add(
                        Goal(
                            period_id=period.id,
                            level="employee",
                            employee_id=emp.id,
                            team_id=emp.team_id,
                            title=labels.get(metric) or metric,  # the scorecard's name
                            metric=metric,
                            unit=units.get(metric, ""),
                            target=target,
                            direction="lower" if metric in LOWER_IS_BETTER else "higher",
                            status="acknowledged" if past else "confirmed",
                            updated_at=now,
                        )
                    )
                if past:
                    rnd = random.Random(f"rating/{emp.email}/{period.key}")
                    level = level_of(emp.email) + rnd.uniform(-0.1, 0.1)
                    uow.add(
                        ManagerRating(
                            employee_id=emp.id,
                            period_id=period.id,
                            rater_id=emp.manager_id or emp.id,
                            rating=max(1, min(5, round(level * 4))),
                            at=now,
                        )
                    )
        uow.commit()


def goal_units() -> dict[str, str]:
    """The unit of each metric as the demo's goals file writes it (`sales_amount`: CNY):
    the goals the demo adds besides the cascade are in the same units."""
    doc = yaml.safe_load(GOALS.read_text(encoding="utf-8"))
    # A rate (`%`) stays without one: its figures read as percentages already.
    goals = [g for g in doc["goals"] if g.get("metric") and g.get("unit") not in (None, "%")]
    return {g["metric"]: g["unit"] for g in goals}


def seed_goals(
    uow_factory: UowFactory, period: Period, setup: ScoringSetup, locale: str | None = None
) -> None:
    """Cascade the demo's company goals; every manager confirms except Sales SEA's.
    `locale` `zh_CN`: the goals titled in Chinese."""
    text = GOALS.read_text(encoding="utf-8")
    if locale and locale.startswith("zh"):
        for english, chinese in CHINESE_GOAL_TITLES.items():
            text = text.replace(f"title: {english}\n", f"title: {chinese}\n")
        text = _TEAMS_LINE.sub(
            lambda m: m[1] + ", ".join(team_name(n.strip(), locale) for n in m[2].split(",")) + "]",
            text,
        )
    with uow_factory() as uow:
        teams = {t.name for t in uow.goals.teams()}
    gf = parse_goals(text.replace("{period}", period.key), teams)
    run_cascade(gf, uow=uow_factory(), scoring=setup, actor="demo")
    with uow_factory() as uow:
        pending = uow.demo.proposed_team_goals(period.id, team_name("Sales SEA", locale))
        managers = {m: uow.get(Employee, m) for _, m in pending}
    for goal_id, manager_id in pending:
        manager = managers[manager_id]
        assert manager is not None
        confirm_team_targets(
            Press("gl:cft", str(goal_id)), uow=uow_factory(), actor=actor_for(manager, "demo")
        )


class DemoNotSynced(SaidError):
    """The demo's own sample sources failed: nothing for the demo to show."""


def demo_today(uow_factory: UowFactory, now: datetime) -> date:
    """The demo's today: the date at headquarters, where the sample records end."""
    with uow_factory() as uow:
        hq = min(uow.closing.hq_branch_ids(), default=1)
        return local_today(uow, hq, now)


def seed_all(
    uow_factory: UowFactory, now: datetime, setup: ScoringSetup, locale: str | None = None
) -> tuple[int, int]:
    """Everything the demo needs; returns (periods, facts synced from the sample sources).
    `locale` `zh_CN`: the company's people named in Chinese, and speaking it."""
    rename_demo_units(uow_factory(), locale)
    load_org(org_yaml(locale), uow=uow_factory(), actor="demo", platforms=CHAT_PLATFORMS)
    today = demo_today(uow_factory, now)
    periods = seed_periods(uow_factory(), today)
    seed_goals(uow_factory, periods[-1], setup, locale)
    labels = {
        d.metric: d.label
        for card in setup.config.scorecards.values()
        for d in card.dimensions
        if d.label
    }
    seed_people_data(uow_factory(), periods, today, now, labels)
    synced = sync_demo(uow_factory, periods, today)
    failed: list[str] = [
        Said(bs.DEMO_SOURCE_FAILED, source=s.source, errors=joined("; ", list(s.errors)))
        for s in synced
        if not s.complete
    ]
    if failed:
        raise DemoNotSynced(Said(bs.DEMO_NOT_SYNCED, failed=joined(" | ", failed)))
    facts = sum(s.new for s in synced)
    for p in periods:
        if p.status != "closed":
            score_all(p.key, uow=uow_factory(), setup=setup, actor="demo")
    _pending_target_change(uow_factory, locale)
    return len(periods), facts


def rename_demo_units(uow: UnitOfWork, locale: str | None) -> None:
    """Teams and branches an earlier demo in the other language made, renamed into this
    one's (`Sales East` <-> `华东销售`), so a refresh keeps them and their history rather
    than leaving them empty beside new ones."""
    chinese = bool(locale and locale.startswith("zh"))
    with uow:
        teams = {r.name: r for r in uow.goals.teams()}
        branches = {r.name: r for r in uow.org.branches()}
        rows: list[tuple[dict[str, Team] | dict[str, Branch], dict[str, str]]] = [
            (teams, CHINESE_TEAMS),
            (branches, CHINESE_BRANCHES),
        ]
        for found, names in rows:
            for english, zh in names.items():
                old, new = (english, zh) if chinese else (zh, english)
                if old in found and new not in found:
                    found[old].name = new
        uow.commit()


def _pending_target_change(uow_factory: UowFactory, locale: str | None) -> None:
    """A request waiting for HR, so the approval card shows up in the demo."""
    with uow_factory() as uow:
        manager = uow.org.employee_by_email("chen.jing@acme.example")
        if manager is None or uow.demo.any_target_change():
            return
    request_target_change(
        Kpi(
            PersonRef("email", "zhou.tao@acme.example"),
            "sales_amount",
            Decimal(800_000),
            KPI_REASON["zh" if locale and locale.startswith("zh") else "en"],
        ),
        uow=uow_factory(),
        actor=actor_for(manager, "demo"),
    )
