"""Open items of a leaver (or of a person changing manager) pass to whoever takes over:
appeals to decide, target changes to approve, team goals to confirm, direct reports to
rate. Each move is audited, and each heir gets the cards to act on and one summary notice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from handlers import strings as t
from handlers.appeals.common import Opened, card_for, first_hr, route
from handlers.appeals.correction import HasSpecs
from handlers.cards import Card
from handlers.notify import notify, speaking_to
from handlers.permissions import hr_for
from handlers.visibility import MAX_CHAIN
from store.models import Appeal, Employee, Goal, Period, Team
from store.uow import UnitOfWork


@dataclass
class Heir:
    """What one person took over."""

    appeals: list[int] = field(default_factory=list)
    kpi: list[int] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # reports left with no manager


Heirs = dict[int, Heir]


def cover_for(uow: UnitOfWork, person: Employee) -> Employee | None:
    """The nearest active manager above a person, skipping people who left."""
    seen, above = {person.id}, person.manager_id
    while above is not None and above not in seen and len(seen) < MAX_CHAIN:
        manager = uow.get(Employee, above)
        if manager is None or manager.active:
            return manager
        seen.add(above)
        above = manager.manager_id
    return None


def hand_over(
    uow: UnitOfWork, leaver: Employee, *, actor: str, scoring: HasSpecs | None = None
) -> Heirs:
    """Pass an inactive person's open items on (not committed) and tell each heir."""
    heirs: Heirs = defaultdict(Heir)
    cover = cover_for(uow, leaver)
    hr = first_hr(uow, leaver, {leaver.id})
    for report in uow.org.direct_reports(leaver.id):
        _relink(uow, actor, report, cover)
        if cover is not None:
            heirs[cover.id].reports.append(report.name)
        elif hr is not None:
            heirs[hr.id].orphans.append(report.name)
    for team in uow.people.teams_managed_by(leaver.id):
        _relink(uow, actor, team, cover)
        if cover is not None:
            heirs[cover.id].teams.append(team.name)
    why = partial(_why, "HANDOVER_WHY_LEFT", leaver.name)
    for appeal in uow.people.appeals_waiting_on(leaver.id):
        person = uow.get(Employee, appeal.employee_id)
        assert person is not None  # foreign key
        to_hr = appeal.escalated_at is not None or leaver.role in ("hr", "admin")
        heir = first_hr(uow, person, {leaver.id}) if to_hr else route(uow, person)
        _move_appeal(uow, actor, appeal, person, heir, why, scoring, heirs)
    if hr is not None:  # their own appeals: HR decides for someone who left
        for appeal in uow.people.appeals_filed_by(leaver.id):
            _move_appeal(uow, actor, appeal, leaver, hr, why, scoring, heirs)
    _kpi_cards(uow, actor, leaver, heirs)
    _goal_cards(uow, actor, leaver, heirs)
    tell_heirs(uow, heirs, leaver.name, "HANDOVER_LEFT", f"leaver:{leaver.id}")
    return heirs


def follow_manager(uow: UnitOfWork, person: Employee, old_manager_id: int, *, actor: str) -> Heirs:
    """After a change of manager, the person's appeals their old manager was deciding go
    to the new one (not committed); their history stays theirs."""
    heirs: Heirs = defaultdict(Heir)
    heir = route(uow, person)
    if heir is None or heir.id == old_manager_id:
        return heirs
    why = partial(_why, "HANDOVER_WHY_MOVED", person.name)
    for appeal in uow.people.appeals_waiting_on(old_manager_id):
        if appeal.employee_id == person.id and appeal.escalated_at is None:
            _move_appeal(uow, actor, appeal, person, heir, why, None, heirs)
    tell_heirs(uow, heirs, person.name, "HANDOVER_MOVED", f"mover:{person.id}")
    return heirs


def _relink(uow: UnitOfWork, actor: str, row: Employee | Team, cover: Employee | None) -> None:
    before = row.manager_id
    row.manager_id = cover.id if cover is not None else None
    uow.audit_row(
        row,
        actor,
        "org.handover",
        before={"manager_id": before},
        after={"manager_id": row.manager_id},
    )


def _move_appeal(
    uow: UnitOfWork,
    actor: str,
    appeal: Appeal,
    person: Employee,
    heir: Employee | None,
    why: Callable[[], str],
    scoring: HasSpecs | None,
    heirs: Heirs,
) -> None:
    if heir is None or heir.id == appeal.handler_id:
        return  # nobody to take it (no HR, no admin): it stays where it is
    before = appeal.handler_id
    appeal.handler_id = heir.id
    if heir.role in ("hr", "admin") and appeal.escalated_at is None:
        appeal.escalated_at = uow.clock()  # with HR now: no [Escalate] on their card
    uow.audit_row(
        appeal,
        actor,
        "appeal.handover",
        before={"handler_id": before},
        after={"handler_id": heir.id, "handler": heir.email},
    )
    period = uow.get(Period, appeal.period_id)
    assert period is not None  # foreign key
    with speaking_to(uow, heir.id):
        heading = t.HANDOVER_APPEAL_CARD.format(id=appeal.id, name=person.name, why=why())
        card = card_for(uow, scoring, Opened(appeal, person, period), heading)
    key = f"appeal:{appeal.id}:handover:{heir.id}:{uow.clock().isoformat()}"
    notify(uow, kind="appeal", dedupe_key=key, card=card, recipient_id=heir.id)
    heirs[heir.id].appeals.append(appeal.id)


def _kpi_cards(uow: UnitOfWork, actor: str, leaver: Employee, heirs: Heirs) -> None:
    """The approval cards the leaver held go to the other approvers of the same person."""
    for key, payload in uow.people.cards_sent_to(leaver.id, "kpi.approval"):
        adj_id = int(key.split(":")[1])  # kpi:<adjustment>:hr:<approver>
        person = uow.people.kpi_pending(adj_id)
        for hr in hr_for(uow, person, {leaver.id}) if person is not None else ():
            if _resend(uow, "kpi.approval", f"kpi:{adj_id}:hr:{hr.id}", payload, hr.id):
                heirs[hr.id].kpi.append(adj_id)
                _audit_card(uow, actor, "kpi.handover", "kpi_adjustment", adj_id, leaver, hr)


def _goal_cards(uow: UnitOfWork, actor: str, leaver: Employee, heirs: Heirs) -> None:
    """A proposal card still waiting goes to the team's manager now."""
    for key, payload in uow.people.cards_sent_to(leaver.id, "goal.proposal"):
        goal = uow.get(Goal, int(key.split(":")[1]))  # cascade:<team goal>:<digest>
        if goal is None or goal.team_id is None or not uow.people.team_goal_waiting(goal.id):
            continue
        team = uow.get(Team, goal.team_id)
        manager = uow.get(Employee, team.manager_id) if team and team.manager_id else None
        if manager is None or not manager.active:
            continue
        if _resend(uow, "goal.proposal", f"{key}:to:{manager.id}", payload, manager.id):
            _audit_card(uow, actor, "goal.handover", "goal", goal.id, leaver, manager)


def _resend(uow: UnitOfWork, kind: str, key: str, payload: dict[str, Any], to: int) -> bool:
    return uow.enqueue(dedupe_key=key, kind=kind, payload=payload, recipient_id=to)


def _audit_card(
    uow: UnitOfWork, actor: str, action: str, entity: str, key: int, old: Employee, new: Employee
) -> None:
    uow.audit(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=key,
        before={"with": old.email},
        after={"with": new.email},
    )


def _why(message: str, name: str) -> str:
    """Why an appeal was handed over, in the language being spoken."""
    return str(getattr(t, message).format(name=name))


def tell_heirs(uow: UnitOfWork, heirs: Heirs, name: str, intro: str, key: str) -> None:
    """One summary notice to each heir of what came to them, in their language; `intro`:
    the name of the message that opens it (HANDOVER_LEFT or HANDOVER_MOVED)."""
    for heir_id, got in heirs.items():
        heir = uow.get(Employee, heir_id)
        if heir is None:
            continue
        with speaking_to(uow, heir_id):
            card = _summary(got, name, intro)
        key = f"{key}:{heir_id}:{uow.clock().isoformat()}"
        notify(uow, kind="handover", dedupe_key=key, card=card, recipient_id=heir.id)


def _summary(got: Heir, name: str, intro: str) -> Card:
    lines = [getattr(t, intro).format(name=name)]
    for text, items in (
        (t.HANDOVER_APPEALS, [f"#{i}" for i in got.appeals]),
        (t.HANDOVER_KPI, [f"#{i}" for i in got.kpi]),
        (t.HANDOVER_TEAMS, got.teams),
        (t.HANDOVER_REPORTS, got.reports),
        (t.HANDOVER_NO_MANAGER, got.orphans),
    ):
        if items:
            lines.append(text.format(items=t.LIST_SEP.join(items)))
    return Card(t.HANDOVER_TITLE.format(name=name), tuple(lines))
