"""The at-risk sweep (R8): find goals behind pace in set-based SQL, nudge their managers.

A goal is nudged at most once per nudge week (dedupe key `nudge:<goal>:<week>`), never
while snoozed, and after it recovers only once it falls behind again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.nudges.card import employee_card, manager_card
from handlers.nudges.sweep_calendar import Skipped, SweepPolicy, windows
from handlers.nudges.sweep_findings import Finding, findings_of
from handlers.scores.compute import ScoringSetup
from store.actuals import SpecLike
from store.uow import UnitOfWork


@dataclass(frozen=True)
class SweepReport:
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...]
    dry_run: bool

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
            rows = uow.nudges.goals_behind_pace(
                specs,
                period_id=w.period_id,
                starts_on=w.starts_on,
                today=w.today,
                days=w.days,
                thresholds=policy.thresholds,
                default_threshold=policy.threshold,
            )
            findings += findings_of(rows, w, now, labels)
        findings.sort(key=lambda f: (f.employee_id, f.goal_id))
        report = SweepReport(tuple(findings), tuple(skipped), dry_run)
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
    rows: list[dict[str, Any]] = []
    for f in nudges:
        card = manager_card(f, by_person[f.employee_id], today=now)
        key = f"nudge:{f.goal_id}:{f.bucket}"
        rows.append(
            dict(dedupe_key=key, kind="nudge", payload=card.to_dict(), recipient_id=f.manager_id)
        )
        if policy.nudge_employee:
            rows.append(
                dict(
                    dedupe_key=f"nudge-self:{f.goal_id}:{f.bucket}",
                    kind="nudge",
                    payload=employee_card(f).to_dict(),
                    recipient_id=f.employee_id,
                )
            )
    uow.nudges.queue_notices(now, rows)
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
            "recovered": len(recovered),
            "nudged_goals": [f.goal_id for f in nudges[:200]],
            "skipped": [f"{k.branch}: {k.reason}" for k in report.skipped],
        },
    )
