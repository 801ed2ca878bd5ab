"""Managers confirm (or adjust, then confirm) the targets the cascade proposed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from handlers import strings_en as t
from handlers.actor import Actor
from handlers.cards import Button, Card, Form, Input, Reply
from handlers.format import num
from handlers.notify import notify
from handlers.press import Press
from store.models import Employee, Goal, Period, Team
from store.uow import UnitOfWork


def _team_goal(uow: UnitOfWork, actor: Actor, press: Press) -> tuple[Goal, Team] | Reply:
    goal = uow.session.get(Goal, press.int_value() or 0)
    if goal is None or goal.level != "team" or goal.team_id is None:
        return Reply.say(t.STALE_TITLE, t.NO_SUCH_GOAL, ok=False)
    team = uow.session.get(Team, goal.team_id)
    assert team is not None
    if actor.role != "admin" and team.manager_id != actor.employee_id:
        return Reply.say(t.NOT_ALLOWED_TITLE, t.NOT_TEAM_MANAGER.format(team=team.name), ok=False)
    return goal, team


def _children(uow: UnitOfWork, goal: Goal) -> list[Goal]:
    return list(
        uow.session.scalars(
            select(Goal).where(Goal.parent_id == goal.id).order_by(Goal.employee_id)
        )
    )


def confirm_team_targets(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """[Confirm] on a proposal card: the team's and each person's targets become confirmed."""
    with uow:
        found = _team_goal(uow, actor, press)
        if isinstance(found, Reply):
            return found
        goal, team = found
        pending = [g for g in (goal, *_children(uow, goal)) if g.status == "proposed"]
        if not pending:
            return Reply.say(t.CONFIRMED_TITLE, t.ALREADY_HANDLED)
        _confirm(uow, actor, pending)
        uow.commit()
        return Reply(
            cards=(Card(t.CONFIRMED_TITLE, (t.CONFIRMED.format(n=len(pending), team=team.name),)),)
        )


def adjust_form(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """[Adjust]: a form with one target per person, pre-filled with the proposal."""
    with uow:
        found = _team_goal(uow, actor, press)
        if isinstance(found, Reply):
            return found
        goal, team = found
        inputs = tuple(
            Input(
                f"e{g.employee_id}",
                _name(uow, g.employee_id),
                "number",
                initial=str(g.target.normalize() if g.target is not None else ""),
            )
            for g in _children(uow, goal)
        )
        form = Form(
            t.ADJUST_TITLE.format(team=team.name), "gl:adjs", str(goal.id), inputs, t.ADJUST_SUBMIT
        )
        return Reply(
            cards=(
                Card(
                    t.ADJUST_TITLE.format(team=team.name),
                    (goal.title, f"{t.TOTAL}: {num(goal.target)} {goal.unit}"),
                    form=form,
                ),
            )
        )


def submit_adjustment(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """The adjust form: new targets must be numbers and add up to the team's target."""
    with uow:
        found = _team_goal(uow, actor, press)
        if isinstance(found, Reply):
            return found
        goal, team = found
        children = _children(uow, goal)
        errors, values = [], {}
        for g in children:
            name = f"e{g.employee_id}"
            try:
                v = Decimal(str(press.form.get(name, "")).replace(",", "").strip())
                if not v.is_finite() or v < 0:
                    raise InvalidOperation
                values[g.id] = v
            except (InvalidOperation, ValueError):
                errors.append((name, t.ADJUST_BAD_NUMBER))
        total = sum(values.values(), Decimal(0))
        if not errors and goal.target is not None and total != goal.target:
            errors.append(
                (
                    f"e{children[0].employee_id}",
                    t.ADJUST_SUM.format(got=num(total), want=num(goal.target)),
                )
            )
        if errors:
            return Reply(
                cards=(Card(t.INVALID_TITLE, tuple(m for _, m in errors)),),
                ok=False,
                errors=tuple(errors),
            )
        for g in children:
            if g.target != values[g.id]:
                uow.audit(
                    actor=actor.email,
                    action="goal.adjust",
                    entity="goal",
                    entity_id=g.id,
                    before={"target": g.target},
                    after={"target": values[g.id]},
                )
                g.target = values[g.id]
        _confirm(uow, actor, [x for x in (goal, *children) if x.status == "proposed"])
        uow.commit()
        return Reply.say(t.ADJUSTED_TITLE, t.CONFIRMED.format(n=len(children), team=team.name))


def confirm_goal(press: Press, *, uow: UnitOfWork, actor: Actor) -> Reply:
    """[Confirm #id] on someone's goals card: confirm their whole team's proposal."""
    with uow:
        goal = uow.session.get(Goal, press.int_value() or 0)
        parent = goal.parent_id if goal else None
    if parent is None:
        return Reply.say(t.STALE_TITLE, t.NO_SUCH_GOAL, ok=False)
    return confirm_team_targets(Press("gl:cft", str(parent)), uow=uow, actor=actor)


def _confirm(uow: UnitOfWork, actor: Actor, goals: list[Goal]) -> None:
    """Mark goals confirmed and ask each person to acknowledge theirs."""
    per_person: dict[int, list[Goal]] = {}
    for g in goals:
        g.status, g.updated_at = "confirmed", uow.clock()
        uow.audit(
            actor=actor.email,
            action="goal.confirm",
            entity="goal",
            entity_id=g.id,
            before={"status": "proposed"},
            after={"status": "confirmed"},
        )
        if g.employee_id is not None:
            per_person.setdefault(g.employee_id, []).append(g)
    for emp_id, mine in per_person.items():
        period = uow.session.get(Period, mine[0].period_id)
        card = Card(
            title=t.YOUR_GOALS_TITLE.format(period=period.key if period else ""),
            lines=(
                t.YOUR_GOALS_INTRO.format(manager=actor.name),
                *(f"#{g.id} {g.title}: {num(g.target)} {g.unit}".rstrip() for g in mine),
            ),
            buttons=tuple(
                Button(t.ACK_BUTTON.format(id=g.id), "gl:ack", str(g.id), "primary")
                for g in mine[:5]
            ),
        )
        notify(
            uow,
            kind="goal.confirmed",
            recipient_id=emp_id,
            card=card,
            dedupe_key=f"goals-confirmed:{emp_id}:" + ",".join(f"{g.id}@{g.target}" for g in mine),
        )


def _name(uow: UnitOfWork, employee_id: int | None) -> str:
    return uow.session.scalar(select(Employee.name).where(Employee.id == employee_id)) or "?"
