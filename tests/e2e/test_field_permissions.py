"""R11, generated: every relation (self, peer, manager, skip-level, HR of the branch, HR at
HQ, admin) × every view × every employee of the demo company who has a scorecard, run
through the console; each answer must match the field table (handlers/visibility.py).

Who relates how to whom is worked out here from the demo's org document, independently of
the code under test."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from bot.demo.company import org_document
from handlers.actor import Actor
from handlers.cards import Reply
from handlers.identity import actor_by_email
from handlers.permissions import visible_ids
from handlers.praise.give import PraisePolicy
from handlers.registry import COMMANDS
from handlers.visibility import FIELDS, RELATIONS, SEES, Field, Relation, relations
from store.models import AuditEvent, Employee, Praise
from tests.e2e.social_support import World, opened_id

DOC = org_document()
HQ = next(b["name"] for b in DOC["branches"] if b.get("hq"))
TEAM_BRANCH = {t["name"]: t["branch"] for t in DOC["teams"]}
PEOPLE = {p["email"]: p for p in DOC["employees"]}
# Every demo employee with a scorecard (33, on four scorecards across the three branches),
# and the metric their views name.
METRIC = {
    "sales_rep": "sales_amount",
    "engineer": "tasks_done",
    "support_agent": "tickets_solved",
    "production_worker": "output_units",
}
TARGETS = {e: METRIC[p["scorecard"]] for e, p in PEOPLE.items() if p.get("scorecard")}


def branch(email: str) -> str:
    p = PEOPLE[email]
    return str(p.get("branch") or TEAM_BRANCH[p["team"]])


def chain(email: str) -> list[str]:
    """Everyone above a person, nearest first."""
    above, boss = [], PEOPLE[email].get("manager")
    while boss:
        above.append(boss)
        boss = PEOPLE[boss].get("manager")
    return above


def expected(viewer: str, target: str) -> frozenset[Relation]:
    """How the viewer relates to the target, from the org document alone."""
    if viewer == target:
        return frozenset({"self"})
    v, found = PEOPLE[viewer], set[Relation]()
    if v["role"] == "admin":
        found.add("admin")
    up = chain(target)
    if up[:1] == [viewer]:
        found.add("manager")
    elif viewer in up:
        found.add("skip_level")
    if v["role"] == "hr" and branch(viewer) == branch(target):
        found.add("hr_branch")
    if v["role"] == "hr" and branch(viewer) == HQ:
        found.add("hr_hq")
    return frozenset(found or {"peer"})


def viewers(target: str) -> dict[Relation, str]:
    """For each relation, someone who has it to the target (the most specific one)."""
    found: dict[Relation, str] = {}
    for email in sorted(PEOPLE, key=lambda e: len(expected(e, target))):
        for rel in expected(email, target):
            found.setdefault(rel, email)
    return found


def sees(rels: frozenset[Relation], field: Field) -> bool:
    return bool(rels & SEES[field])


View = Callable[[World, str, dict[str, Any]], Reply]

# field -> the views that show it: each a command line or a button on the target.
VIEWS: dict[Field, dict[str, str]] = {
    "score": {"/score": "/score {email}", "sc": "press sc {id}"},
    "figures": {
        "/explain": "/explain {metric} {email}",
        "/goals": "/goals {email}",
        "ex": "press ex {metric}.{id}.{period}",
    },
    "appeals": {"ap:rej": "press ap:rej {appeal}", "ap:ask": "press ap:ask {appeal}"},
}


def test_the_table_names_every_field_and_relation() -> None:
    assert set(SEES) == set(FIELDS) and set().union(*SEES.values()) <= set(RELATIONS)
    assert SEES["audit"] == {"admin"}
    assert not any(e.name == "audit" for e in COMMANDS.values()), "audit: operators' CLI only"
    for target in TARGETS:
        assert set(viewers(target)) == set(RELATIONS), target  # every relation is walked


def test_every_relation_view_and_target_holds_the_table(demo):  # type: ignore[no-untyped-def]
    world = World(demo, praise_policy=PraisePolicy(by_anyone=True, daily_allowance=100))
    period = world.period()
    walked = refused = 0
    for target, metric in TARGETS.items():
        person = world.person(target)
        word = metric.split("_")[0] if metric == "sales_amount" else metric
        appeal = opened_id(world.run(target, f"/appeal {word} records missing"))
        ids = {"email": target, "id": person.id, "metric": metric, "period": period.id}
        ids["appeal"] = appeal
        for rel, viewer in viewers(target).items():
            rels = expected(viewer, target)
            with world.rt.uow() as uow:
                actor = actor_by_email(uow, viewer, "console")
                assert actor is not None
                assert relations(uow, actor, person) == rels, (viewer, target)
            for field, views in VIEWS.items():
                allowed = sees(rels, field) and not (field == "appeals" and rel == "self")
                for name, line in views.items():
                    reply = world.run(viewer, line.format(**ids))
                    walked += 1
                    refused += reply.refusal is not None
                    what = f"{rel} {viewer} {name} on {target}"
                    assert (reply.refusal is None) is allowed, what
                    if allowed and field != "appeals":
                        assert reply.ok, what
            if rel != "self":  # praise: the words go to anyone, the figures per the table
                _praise(world, viewer, target, rels)
    with world.rt.uow() as uow:
        denied = uow.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "denied")
        )
    assert walked == len(TARGETS) * len(RELATIONS) * 7 and denied == refused > 0


def _praise(world: World, viewer: str, target: str, rels: frozenset[Relation]) -> None:
    reply = world.run(viewer, f"/praise {target} thanks for the help")
    assert reply.ok, (viewer, target)
    with world.rt.uow() as uow:
        row = uow.session.scalars(select(Praise).order_by(Praise.id.desc())).first()
    assert row is not None
    attached = row.contribution["figures"]
    if not sees(rels, "figures"):
        assert attached == [] and row.contribution["public_figures"] == [], (viewer, target)
    for fig in row.contribution["public_figures"]:
        assert Decimal(str(fig["attainment"])) >= 100


def test_reports_read_the_same_table(demo):  # type: ignore[no-untyped-def]
    """visible_ids (the set-based form /team and calibration use) agrees with the table."""
    world = World(demo)
    with world.rt.uow() as uow:
        active = uow.session.scalars(select(Employee).where(Employee.active)).all()
        for viewer in PEOPLE:
            actor: Actor | None = actor_by_email(uow, viewer, "console")
            assert actor is not None
            want = {
                e.id
                for e in active
                if e.email != viewer and sees(expected(viewer, e.email), "score")
            }
            assert set(visible_ids(uow, actor)) - {actor.employee_id} == want, viewer
