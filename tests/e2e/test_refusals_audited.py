"""Every refusing command and button, pressed by someone not allowed, ends in one audit
event: the handler returns the refusal, the dispatcher audits it (one path)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from handlers.commands import parse
from handlers.registry import ACTIONS, COMMANDS
from store.models import AuditEvent, Goal, KpiAdjustment
from tests.e2e.social_support import HR_SG, MANAGER, PEER, REPORT, World, opened_id, text_of

# Buttons and commands that act only on the actor's own data (nothing to refuse).
NEVER_REFUSED_BUTTONS = {"hm", "ap:new", "rt:pg"}
NEVER_REFUSED_COMMANDS = {"help", "appeal", "self"}


def _ids(world: World) -> dict[str, Any]:
    """The demo's ids the buttons carry: Ana's goal, her team's goal, a pending KPI change
    and an open appeal of hers."""
    ana, period = world.person(REPORT), world.period()
    with world.rt.uow() as uow:
        goal = uow.session.scalars(
            select(Goal).where(
                Goal.employee_id == ana.id,
                Goal.period_id == period.id,
                Goal.metric == "sales_amount",
            )
        ).one()
    kpi = world.run(MANAGER, "/kpi @ana.li sales_amount 800000 market change")
    assert kpi.ok, text_of(kpi.cards[0])
    adj = int(kpi.notices[0].card.buttons[0].value)
    appeal = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    return {
        "ana": ana.id,
        "period": period.id,
        "goal": goal.id,
        "team_goal": goal.parent_id,
        "kpi": adj,
        "appeal": appeal,
    }


# (who, what they try, the action audited): commands first, then one line per button.
CASES: list[tuple[str, str, str]] = [
    (PEER, "/score @ana.li", "score.view"),
    (PEER, "/explain sales_amount @ana.li", "explain.view"),
    (PEER, "/goals @ana.li", "goals.view"),
    (PEER, "/goals update {goal} 50%", "goal.update"),
    (MANAGER, "/goals company sales_amount 5 More sales", "goal.company"),
    (PEER, "/kpi @ana.li sales_amount 1 too high", "kpi.request"),
    (PEER, "/team", "team.view"),
    (PEER, "/praise @ana.li great work", "praise.give"),
    (PEER, "/linkcode ana.li@acme.example", "link_code.issue"),
    (PEER, "/period preview", "period.preview"),
    (MANAGER, "/period calibrate @ana.li 90 fair", "score.calibrate"),
    (PEER, "/rate @ana.li 4", "rating.set"),
    (PEER, "press ex sales_amount.{ana}.{period}", "explain.view"),
    (PEER, "press sc {ana}", "score.view"),
    (PEER, "press ap:acc {appeal} 'note=fine'", "appeal.accept"),
    (PEER, "press ap:rej {appeal} 'reason=no'", "appeal.reject"),
    (PEER, "press ap:ask {appeal} 'question=why'", "appeal.ask"),
    (MANAGER, "press ap:ans {appeal} 'answer=sneaky'", "appeal.answer"),
    (PEER, "press ap:esc {appeal}", "appeal.escalate"),
    (PEER, "press gl:cf {goal}", "goal.confirm:{team_goal}"),
    (PEER, "press gl:cft {team_goal}", "goal.confirm:{team_goal}"),
    (PEER, "press gl:adj {team_goal}", "goal.confirm:{team_goal}"),
    (PEER, "press gl:adjs {team_goal} e{ana}=1", "goal.confirm:{team_goal}"),
    (PEER, "press gl:ack {goal}", "goal.acknowledge"),
    (HR_SG, "press kp:ok {kpi}", "kpi.decide"),
    (HR_SG, "press kp:no {kpi} 'reason=no'", "kpi.decide"),
    (PEER, "press nd:snz {goal}", "nudge.snooze"),
    (PEER, "press nd:snzp {ana}", "nudge.snooze"),
    (PEER, "press nd:msg {ana}", "nudge.message"),
    (MANAGER, "press pd:cl {period}", "period.close"),
    (PEER, "press rt {period}.{ana}.4", "rating.set"),
    (PEER, "press rt:cm {period}.1 'e{ana}=lovely'", "rating.comment"),
]


def test_every_button_and_command_that_refuses_is_tried() -> None:
    tried_buttons = {line.split()[1] for _, line, _ in CASES if line.startswith("press ")}
    assert set(ACTIONS) == tried_buttons | NEVER_REFUSED_BUTTONS
    some = dict.fromkeys(("ana", "period", "goal", "team_goal", "kpi", "appeal"), 1)
    lines = [line.format(**some) for _, line, _ in CASES if not line.startswith("press ")]
    tried = {COMMANDS[type(parse(line))].name for line in lines}
    assert {e.name for e in COMMANDS.values()} == tried | NEVER_REFUSED_COMMANDS


def _events(world: World) -> list[AuditEvent]:
    with world.rt.uow() as uow:
        q = select(AuditEvent).where(AuditEvent.action == "denied").order_by(AuditEvent.id)
        return list(uow.session.scalars(q).all())


def test_each_refusal_is_one_audit_event(demo):  # type: ignore[no-untyped-def]
    world = World(demo)
    ids = _ids(world)
    for who, line, action in CASES:
        before = len(_events(world))
        reply = world.run(who, line.format(**ids))
        assert not reply.ok and reply.refusal is not None, (line, text_of(reply.cards[0]))
        events = _events(world)
        assert len(events) == before + 1, f"{line}: not audited"
        ev = events[-1]
        assert ev.actor == who, line
        assert ev.after["attempted"] == action.format(**ids), line
        assert ev.after["why"] == reply.cards[0].lines[0], line
    # Nothing a refused press began is left half-written.
    assert world.appeal(ids["appeal"]).status == "open"
    with world.rt.uow() as uow:
        assert uow.session.get(KpiAdjustment, ids["kpi"]).status == "pending"  # type: ignore[union-attr]


@pytest.mark.parametrize("line", ["/score", "/help", "press hm"])
def test_what_is_allowed_is_not_audited_as_refused(demo, line):  # type: ignore[no-untyped-def]
    world = World(demo)
    before = len(_events(world))
    assert world.run(REPORT, line).ok
    assert len(_events(world)) == before
