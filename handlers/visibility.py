"""The one table of who sees which fields of whom (R11), and how a viewer relates to a person.

Every view asks `may_see(uow, actor, person, field)`; `tests/e2e/test_field_permissions.py`
walks every relation × view × target of the demo company and checks this table holds.
"""

from __future__ import annotations

from typing import Literal

from handlers.actor import Actor
from store.models import Employee
from store.uow import UnitOfWork

Relation = Literal["self", "peer", "manager", "skip_level", "hr_branch", "hr_hq", "admin"]
Field = Literal["score", "figures", "ratings", "appeals", "praise", "audit"]

RELATIONS: tuple[Relation, ...] = (
    "self",
    "peer",
    "manager",
    "skip_level",
    "hr_branch",
    "hr_hq",
    "admin",
)
FIELDS: tuple[Field, ...] = ("score", "figures", "ratings", "appeals", "praise", "audit")

_LINE: frozenset[Relation] = frozenset(
    {"self", "manager", "skip_level", "hr_branch", "hr_hq", "admin"}
)
# field -> the relations that see it. "peer" is anyone with no other relation to the person.
SEES: dict[Field, frozenset[Relation]] = {
    "score": _LINE,  # the total, band and weighted breakdown (/score, the Score buttons)
    "figures": _LINE,  # actuals, targets, source records (/explain, /goals, praise data)
    "ratings": _LINE,  # the manager's rating and its comments
    "appeals": _LINE,  # appeals, their reasons and decisions
    "praise": frozenset(RELATIONS),  # the words are public; the data attached is "figures"
    "audit": frozenset({"admin"}),  # the audit log: operators only (perfbot audit ...)
}

MAX_CHAIN = 50  # deeper than any real org; stops a corrupt cycle from looping forever


def manages(uow: UnitOfWork, manager_id: int, employee_id: int) -> bool:
    """True when `manager_id` is anywhere above `employee_id` in the management chain."""
    return _depth(uow, manager_id, employee_id) is not None


def _depth(uow: UnitOfWork, manager_id: int, employee_id: int) -> int | None:
    """How many steps up the chain `manager_id` is (1: the direct manager), or None."""
    current = employee_id
    for step in range(1, MAX_CHAIN + 1):
        above = uow.org.manager_id_of(current)
        if above is None:
            return None
        if above == manager_id:
            return step
        current = above
    return None


def hr_covers(uow: UnitOfWork, actor: Actor, target: Employee) -> bool:
    """HR sees their own branch; HR at headquarters sees every branch."""
    if actor.role != "hr":
        return False
    if actor.branch_id == target.branch_id:
        return True
    return uow.org.branch_is_hq(actor.branch_id)


def relations(uow: UnitOfWork, actor: Actor, target: Employee) -> frozenset[Relation]:
    """Every way the actor relates to the person (HR at HQ may also be their branch's HR)."""
    if actor.employee_id == target.id:
        return frozenset({"self"})
    found: set[Relation] = set()
    if actor.role == "admin":
        found.add("admin")
    depth = _depth(uow, actor.employee_id, target.id)
    if depth is not None:
        found.add("manager" if depth == 1 else "skip_level")
    if actor.role == "hr":
        if actor.branch_id == target.branch_id:
            found.add("hr_branch")
        if uow.org.branch_is_hq(actor.branch_id):
            found.add("hr_hq")
    return frozenset(found or {"peer"})


def may_see(uow: UnitOfWork, actor: Actor, target: Employee, field: Field) -> bool:
    """Whether the table lets the actor see this field of the person."""
    return bool(relations(uow, actor, target) & SEES[field])
