"""`/kpi @who <metric> <new target> <reason>`: a manager asks HR to change a target (R2)."""

from __future__ import annotations

from typing import Any

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Button, Card, Reply
from handlers.commands import Kpi
from handlers.common import Refused, add_audited, employee_for, period_for
from handlers.format import amount, figure, pct
from handlers.metric_names import (
    MetricName,
    MetricSetup,
    NoMetric,
    configured,
    of_breakdown,
    resolve,
)
from handlers.notify import notify
from handlers.permissions import can_manage, deny, hr_for
from store.models import KpiAdjustment
from store.uow import UnitOfWork


def request_target_change(
    cmd: Kpi, *, uow: UnitOfWork, actor: Actor, scoring: MetricSetup | None = None
) -> Reply:
    """Record the request with its reason and put an Approve/Reject card in front of HR;
    the metric is named by key or label (`scoring` None: by key alone)."""
    with uow:
        person = employee_for(uow, actor, cmd.who, "kpi.request")
        if isinstance(person, Refused):
            return person.reply
        if not can_manage(uow, actor, person):
            return deny("kpi.request", person, t.KPI_NOT_MANAGER.format(name=person.name))
        if not cmd.reason.strip():
            return Reply.say(t.KPI_TITLE, t.KPI_NO_REASON, ok=False)
        period = period_for(uow, actor, None)
        if isinstance(period, Refused):
            return period.reply
        # A line of the person's score card first, then any configured metric.
        lines = of_breakdown(uow.scores.breakdown(person.id, period.id))
        names = configured(scoring)
        found = resolve(cmd.metric, lines, names) if lines or names else MetricName(cmd.metric)
        if isinstance(found, NoMetric):
            return Reply.say(t.KPI_TITLE, found.say(t.METRIC_UNKNOWN), ok=False)
        goal = uow.kpi.goal_for_metric(period.id, person.id, found.key)
        if goal is None:
            return Reply.say(
                t.KPI_TITLE,
                t.KPI_NO_GOAL.format(name=person.name, metric=found.shown(), period=period.key),
                ok=False,
            )
        pending = uow.kpi.pending_adjustment(goal.id)
        if pending is not None:
            return Reply.say(t.KPI_TITLE, t.KPI_PENDING.format(id=pending.id), ok=False)
        adj = KpiAdjustment(
            goal_id=goal.id,
            requested_by=actor.employee_id,
            old_target=goal.target,
            new_target=cmd.new_target,
            reason=cmd.reason.strip(),
            effective_from=period.starts_on,
            created_at=uow.clock(),
        )
        add_audited(
            uow,
            adj,
            actor.email,
            "kpi.request",
            after={
                "goal": goal.id,
                "old": goal.target,
                "new": cmd.new_target,
                "reason": adj.reason,
            },
        )
        breakdown = uow.scores.breakdown(person.id, period.id) or {}
        dim: dict[str, Any] = next(
            (d for d in breakdown.get("dimensions", []) if d["metric"] == goal.metric), {}
        )

        def card() -> Card:  # in each HR person's language
            old, now = amount(goal.target, goal.unit), amount(dim.get("actual"), goal.unit)
            return Card(
                title=t.KPI_APPROVAL_TITLE.format(name=person.name),
                lines=(t.KPI_REASON.format(reason=adj.reason),),
                fields=(
                    (t.KPI_GOAL, f"{goal.title} · {period.key}"),
                    (t.KPI_CHANGE, f"{old} → {figure(cmd.new_target, goal.unit)}"),
                    (t.KPI_NOW, t.FIGURE_PCT.format(value=now, pct=pct(dim.get("attainment")))),
                    (t.KPI_BY, actor.name),
                ),
                buttons=(
                    Button(t.APPROVE, "kp:ok", str(adj.id), "primary"),
                    Button(t.REJECT, "kp:no", str(adj.id), "danger"),
                ),
            )

        notices = [
            n
            for hr in hr_for(uow, person)
            if (
                n := notify(
                    uow,
                    kind="kpi.approval",
                    dedupe_key=f"kpi:{adj.id}:hr:{hr.id}",
                    card=card,
                    recipient_id=hr.id,
                )
            )
        ]
        uow.commit()
        sent = t.KPI_SENT.format(
            id=adj.id,
            name=person.name,
            old=amount(goal.target, goal.unit),
            new=amount(cmd.new_target, goal.unit),
        )
        return Reply.say(t.KPI_TITLE, sent, notices=notices)
