"""The at-risk sweep (R8): find goals behind pace in set-based SQL, nudge their managers.

A goal is nudged at most once per nudge week (its nudge state), never while snoozed, and
after it recovers only once it falls behind again. Each manager gets one digest card per
sweep: every person newly behind (their worst goal first) and what waits for them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers import strings_en as en
from handlers.cards import Card
from handlers.notify import speaking_to
from handlers.nudges.card import employee_card, manager_digest
from handlers.nudges.reminders import Reminder, due_reminders
from handlers.nudges.sweep_calendar import Skipped, SweepPolicy, windows
from handlers.nudges.sweep_findings import Finding, findings_of
from handlers.scores.compute import ScoringSetup
from store.actuals import SpecLike
from store.sweep_sql import SweepDay
from store.uow import UnitOfWork

# Reminders wait out a branch's weekend or holiday, not a period too young for pace nudges.
_RESTING = (en.SWEEP_SKIP_WEEKEND, en.SWEEP_SKIP_HOLIDAY)


@dataclass(frozen=True)
class SweepReport:
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...]
    dry_run: bool
    reminders: tuple[Reminder, ...] = ()
    bucket: str = ""  # today's date, in the digests' dedupe keys

    def count(self, decision: str) -> int:
        return sum(1 for f in self.findings if f.decision == decision)


def run_sweep(
    *,
    uow: UnitOfWork,
    scoring: ScoringSetup,
    policy: SweepPolicy,
    branch_ids: Collection[int] | None = None,
    dry_run: bool = False,
    actor: str = "scheduler",
) -> SweepReport:
    """Sweep the branches (all by default) on their local date; with dry_run write nothing."""
    with uow:
        now = uow.clock()
        wins, skipped = windows(uow, policy, now, branch_ids)
        labels = {s.name: getattr(s, "label", None) or s.name for s in scoring.specs}
        findings: list[Finding] = []
        uow.nudges.prepare_for_sweep()
        for w in wins:
            specs = _specs_needed(uow, scoring, w.period_id)
            if not specs:
                continue
            swept = SweepDay(
                w.period_id, w.starts_on, w.today, w.days, policy.thresholds, policy.threshold
            )
            rows = uow.nudges.goals_behind_pace(specs, swept)
            findings += findings_of(rows, w, now, labels)
        findings.sort(key=lambda f: (f.employee_id, f.goal_id))
        resting = {k.branch for k in skipped if k.reason.msgid in _RESTING}
        working = [b for b in uow.nudges.branches(branch_ids) if b.name not in resting]
        due = due_reminders(uow, working, now, policy.remind_after_days)
        day = f"{now:%Y-%m-%d}"
        report = SweepReport(tuple(findings), tuple(skipped), dry_run, tuple(due), day)
        if not dry_run:
            _apply(uow, report, policy, now, actor)
            uow.commit()
    return report


def _specs_needed(uow: UnitOfWork, scoring: ScoringSetup, period_id: int) -> list[SpecLike]:
    """Only the metrics the period's goals can fall behind on: cumulative ones, and any
    metric of a lower-is-better goal (a higher-is-better average has no pace)."""
    used = uow.nudges.goal_metrics(period_id)
    lower = {m for m, d in used if d == "lower"}
    names = {m for m, _ in used}
    return [
        s for s in scoring.specs if s.name in names and (s.denominator is None or s.name in lower)
    ]


def _apply(
    uow: UnitOfWork, report: SweepReport, policy: SweepPolicy, now: datetime, actor: str
) -> None:
    behind = [f for f in report.findings if f.decision != "recovered"]
    nudges = [f for f in behind if f.decision == "nudge"]
    by_person: dict[int, list[Finding]] = defaultdict(list)
    for f in behind:
        by_person[f.employee_id].append(f)
    # Who each manager hears about: the people with a goal newly behind (all their goals
    # behind shown), one digest per manager, not one card per goal.
    people_of: dict[int, dict[int, list[Finding]]] = defaultdict(dict)
    for f in nudges:
        if f.manager_id is not None:
            people_of[f.manager_id].setdefault(f.employee_id, by_person[f.employee_id])
    waiting: dict[int, list[Reminder]] = defaultdict(list)
    for r in report.reminders:
        waiting[r.recipient_id].append(r)
    newly = {f.goal_id for f in nudges}
    accounts = uow.nudges.chat_accounts_of({p for ps in people_of.values() for p in ps})
    rows: list[dict[str, Any]] = []
    for to in sorted(set(people_of) | set(waiting)):
        people = list(people_of.get(to, {}).values())
        mine = waiting.get(to, [])
        with speaking_to(uow, to):
            card = manager_digest(people, [(r.line, r.buttons) for r in mine], accounts, today=now)
        items = sorted(f"g{f.goal_id}" for fs in people for f in fs if f.goal_id in newly)
        items += sorted(r.key for r in mine)
        rows.append(_row(f"digest:{to}:{report.bucket}", items, card, to))
    if policy.nudge_employee:
        for pid, fs in by_person.items():
            goals = sorted(f"g{f.goal_id}" for f in fs if f.goal_id in newly)
            if goals:
                with speaking_to(uow, pid):
                    card = employee_card(fs)
                rows.append(_row(f"nudge-self:{pid}:{report.bucket}", goals, card, pid))
    uow.nudges.queue_notices(now, rows)
    for r in report.reminders:
        r.item.reminded_at = now
    uow.nudges.mark_behind(
        now, [(f.goal_id, f.ratio, f.bucket if f.decision == "nudge" else None) for f in behind]
    )
    recovered = [(f.goal_id, f.ratio) for f in report.findings if f.decision == "recovered"]
    uow.nudges.mark_recovered(now, recovered)
    uow.audit(
        actor=actor,
        action="sweep.run",
        entity="goal",
        after={
            "behind": len(behind),
            "nudged": len(nudges),
            "digests": len(rows),
            "recovered": len(recovered),
            "nudged_goals": [f.goal_id for f in nudges[:200]],
            "reminded": sorted({r.key for r in report.reminders})[:200],
            "skipped": [f"{k.branch}: {k.reason}" for k in report.skipped],
        },
    )


def _row(prefix: str, items: list[str], card: Card, to: int) -> dict[str, Any]:
    """An outbox row whose dedupe key names what it tells (so a second scheduler running
    the same sweep queues nothing, and a later sweep with news queues a new digest)."""
    digest = hashlib.sha256(",".join(items).encode()).hexdigest()[:16]
    return dict(
        dedupe_key=f"{prefix}:{digest}", kind="nudge", payload=card.to_dict(), recipient_id=to
    )
