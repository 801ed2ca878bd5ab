"""Managers confirm (or adjust, then confirm) the targets the cascade proposed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Button, Card, Form, Input, Reply
from handlers.format import figure, num, plain, plural
from handlers.kpi.decide import Rescore
from handlers.notify import notify, speaking_to
from handlers.permissions import deny
from handlers.press import Press
from store.goal_targets import is_pending, latest_target
from store.models import Goal, Period, Team
from store.uow import UnitOfWork


def _team_goal(uow: UnitOfWork, actor: Actor, press: Press) -> tuple[Goal, Team] | Reply:
    goal = uow.get(Goal, press.int_value() or 0)
    if goal is None or goal.level != "team" or goal.team_id is None:
        return Reply.say(t.STALE_TITLE, t.NO_SUCH_GOAL, ok=False)
    team = uow.get(Team, goal.team_id)
    assert team is not None
    if actor.role != "admin" and team.manager_id != actor.employee_id:
        return deny(f"goal.confirm:{goal.id}", None, t.NOT_TEAM_MANAGER.format(team=team.name))
    return goal, team


def _children(uow: UnitOfWork, goal: Goal) -> list[Goal]:
    return uow.goals.children(goal.id)


def confirm_team_targets(
    press: Press, *, uow: UnitOfWork, actor: Actor, rescore: Rescore | None = None
) -> Reply:
    """[Confirm] on a proposal card: the team's and each person's targets become confirmed
    (and count from now: their scores are recomputed)."""
    with uow:
        found = _team_goal(uow, actor, press)
        if isinstance(found, Reply):
            return found
        goal, team = found
        pending = [g for g in (goal, *_children(uow, goal)) if is_pending(g)]
        if not pending:
            return Reply.say(t.CONFIRMED_TITLE, t.ALREADY_HANDLED)
        _confirm(uow, actor, pending)
        _rescore(uow, rescore, goal, pending)
        uow.commit()
        return Reply(
            cards=(
                Card(
                    t.CONFIRMED_TITLE,
                    (t.CONFIRMED.format(goals=plural(len(pending), t.GOALS), team=team.name),),
                ),
            )
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
                initial=plain(latest_target(g)),
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
                    (
                        goal.title,
                        t.LABELLED.format(
                            label=t.TOTAL, value=figure(latest_target(goal), goal.unit)
                        ),
                    ),
                    form=form,
                ),
            )
        )


def submit_adjustment(
    press: Press, *, uow: UnitOfWork, actor: Actor, rescore: Rescore | None = None
) -> Reply:
    """The adjust form: new targets must be numbers and add up to the team's target; a
    target HR approved is changed only through /kpi."""
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
        errors += _approved_changed(uow, goal, children, values)
        total, want = sum(values.values(), Decimal(0)), latest_target(goal)
        if not errors and want is not None and total != want:
            errors.append(
                (f"e{children[0].employee_id}", t.ADJUST_SUM.format(got=num(total), want=num(want)))
            )
        if errors:
            return Reply(
                cards=(Card(t.INVALID_TITLE, tuple(m for _, m in errors)),),
                ok=False,
                errors=tuple(errors),
            )
        for g in children:
            if latest_target(g) != values[g.id]:
                uow.audit_row(
                    g,
                    actor.email,
                    "goal.adjust",
                    before={"target": latest_target(g)},
                    after={"target": values[g.id]},
                )
                if g.proposed_target is not None:  # confirmed just below, as chosen
                    g.proposed_target = values[g.id]
                else:
                    g.target = values[g.id]
        pending = [x for x in (goal, *children) if is_pending(x)]
        _confirm(uow, actor, pending)
        _rescore(uow, rescore, goal, children)
        uow.commit()
        return Reply.say(
            t.ADJUSTED_TITLE,
            t.CONFIRMED.format(goals=plural(len(children), t.GOALS), team=team.name),
        )


def confirm_goal(
    press: Press, *, uow: UnitOfWork, actor: Actor, rescore: Rescore | None = None
) -> Reply:
    """[Confirm #id] on someone's goals card: confirm their whole team's proposal."""
    with uow:
        goal = uow.get(Goal, press.int_value() or 0)
        parent = goal.parent_id if goal else None
    if parent is None:
        return Reply.say(t.STALE_TITLE, t.NO_SUCH_GOAL, ok=False)
    return confirm_team_targets(Press("gl:cft", str(parent)), uow=uow, actor=actor, rescore=rescore)


def _confirm(uow: UnitOfWork, actor: Actor, goals: list[Goal]) -> None:
    """Mark goals confirmed and ask each person to acknowledge theirs."""
    per_person: dict[int, list[Goal]] = {}
    for g in goals:
        before = {"status": g.status, "target": g.target}
        if g.proposed_target is not None:  # the change replaces the target that counted
            g.target, g.proposed_target = g.proposed_target, None
        g.status, g.updated_at = "confirmed", uow.clock()
        uow.audit_row(
            g,
            actor.email,
            "goal.confirm",
            before=before,
            after={"status": "confirmed", "target": g.target},
        )
        if g.employee_id is not None:
            per_person.setdefault(g.employee_id, []).append(g)
    for emp_id, mine in per_person.items():
        period = uow.get(Period, mine[0].period_id)
        with speaking_to(uow, emp_id):
            card = Card(
                title=t.YOUR_GOALS_TITLE.format(period=period.key if period else ""),
                lines=(
                    t.YOUR_GOALS_INTRO.format(manager=actor.name),
                    *(
                        t.GOAL_TARGET.format(
                            id=g.id, title=g.title, target=figure(g.target, g.unit)
                        )
                        for g in mine
                    ),
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
    return uow.org.name_of(employee_id) or "?"


def _approved_changed(
    uow: UnitOfWork, goal: Goal, children: list[Goal], values: dict[int, Decimal]
) -> list[tuple[str, str]]:
    """A target HR approved that the form would change: only /kpi may change it."""
    ids = [g.employee_id for g in children if g.employee_id is not None]
    fixed = {r.id for r in uow.goals.approved_targets(goal.period_id, goal.metric or "", ids)}
    return [
        (
            f"e{g.employee_id}",
            t.ADJUST_APPROVED.format(name=_name(uow, g.employee_id), target=num(g.target)),
        )
        for g in children
        if g.id in fixed and values.get(g.id) != g.target
    ]


def _rescore(uow: UnitOfWork, rescore: Rescore | None, goal: Goal, goals: list[Goal]) -> None:
    """Confirmed targets count at once: the people's scores of an open period follow."""
    period = uow.get(Period, goal.period_id)
    people = sorted({g.employee_id for g in goals if g.employee_id is not None})
    if rescore is None or period is None or period.status != "open" or not people:
        return
    uow.flush()
    rescore(uow, period.id, people)


def _goal_target(goal: Goal) -> str:
    return t.GOAL_TARGET.format(id=goal.id, title=goal.title, target=figure(goal.target, goal.unit))
