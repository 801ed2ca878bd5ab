"""Erase one person (GDPR Art. 17, PIPL Art. 47): her profile is pseudonymised, her chat
accounts, link codes and notices deleted, free text by or about her cleared, every other
mention of her e-mail or name replaced by the pseudonym, and the content of her audit events
erased (their links stay, so the chain still verifies). Figures, scores and aggregates stay
as they are, on the pseudonymised row, so nobody else's results move."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, Table, delete, func, or_, select, update
from sqlalchemy.orm import Session

from store import audit
from store.models import AuditEvent, Base, Employee
from store.person_data import Person, audit_events, mentions, owned_filter
from store.uow import UnitOfWork

ERASED = "[erased]"
DOMAIN = "erased.invalid"  # RFC 2606: never a real mailbox
# Rows deleted outright: her chat accounts, link codes and notices addressed to her.
DELETED = ("chat_identity", "link_code", "outbox")


def pseudonym(person_id: int) -> str:
    return f"erased-{person_id}"


@dataclass
class Erasure:
    """What an erasure changed."""

    pseudonym: str
    rows: Counter[str] = field(default_factory=Counter)  # table -> rows changed or deleted
    events: list[int] = field(default_factory=list)  # audit events whose content was cleared
    kept_events: int = 0  # written before content digests: their content is in the link
    named_in_entity: int = 0  # events whose (hashed) entity id holds her e-mail


def _free_text(t: dict[str, Table], pid: int) -> list[tuple[Table, Any, dict[str, Any]]]:
    """(table, which rows, new values): text written by her or about her."""

    def of(name: str, *cols: str) -> ColumnElement[bool]:
        return or_(*(t[name].c[c] == pid for c in cols))

    hers = owned_filter  # rows hers in any role (her goals' updates and target changes too)
    return [
        (t["appeal"], of("appeal", "employee_id"),
         {"reason": ERASED, "details": "", "resolution_note": ""}),
        (t["manager_rating"], of("manager_rating", "employee_id"), {"note": ""}),
        (t["self_assessment"], of("self_assessment", "employee_id"), {"text": ERASED}),
        (t["praise"], of("praise", "giver_id", "receiver_id"), {"text": ERASED}),
        (t["praise"], of("praise", "receiver_id"), {"contribution": {}}),  # her figures
        (t["goal_update"], hers(t["goal_update"], pid), {"note": ""}),
        (t["kpi_adjustment"], hers(t["kpi_adjustment"], pid),
         {"reason": ERASED, "decision_note": ""}),
        (t["figure_correction"], of("figure_correction", "employee_id"), {"note": ""}),
        (t["calibration"], of("calibration", "employee_id"), {"reason": ERASED}),
        (t["metric_fact"], of("metric_fact", "employee_id"), {"raw": None}),  # source payloads
    ]  # fmt: skip


def erase_person(uow: UnitOfWork, who: Person, *, actor: str) -> Erasure:
    """Erase her in the unit of work (not committed); the erasure itself is audited."""
    s, t = uow.session, dict(Base.metadata.tables)
    events = audit_events(s, who)  # before anything of hers changes
    done = Erasure(pseudonym(who.id))
    alias = f"{done.pseudonym}@{DOMAIN}"
    emp = s.get(Employee, who.id)
    assert emp is not None
    ext = (emp.external_id or "").lower()
    emp.name, emp.email, emp.title, emp.external_id = done.pseudonym, alias, "", None
    emp.mobile = None
    emp.active, emp.unreachable_since = False, None
    s.flush()
    for name in DELETED:
        where = owned_filter(t[name], who.id)
        assert where is not None  # each has an employee column
        done.rows[name] += _count(s.execute(delete(t[name]).where(where)))
    keys = [k for k in (who.email.lower(), ext) if k]
    unmatched = t["unmatched_record"]  # source records that named her but matched no one
    done.rows["unmatched_record"] += _count(
        s.execute(delete(unmatched).where(func.lower(unmatched.c.employee_key).in_(keys)))
    )
    for table, where, values in _free_text(t, who.id):
        done.rows[table.name] += _count(s.execute(update(table).where(where).values(values)))
    for name, n in _scrub(s, who, done.pseudonym, alias).items():
        done.rows[name] += n
    _erase_events(s, who, events, done)
    uow.audit(
        actor=actor,
        action=audit.ERASE_ACTION,
        entity="employee",
        entity_id=who.id,
        after={"events": done.events, "rows": dict(sorted(done.rows.items()))},
    )
    return done


def _count(result: Any) -> int:
    return int(result.rowcount or 0)


def _erase_events(s: Session, who: Person, ids: list[int], done: Erasure) -> None:
    a = AuditEvent
    rows = s.execute(
        select(a.id, a.actor, a.digest, a.erased, a.entity_id).where(a.id.in_(ids))
    ).all()
    by_actor: dict[str, list[int]] = defaultdict(list)
    for eid, actor, digest, erased, entity_id in rows:
        done.named_in_entity += entity_id.lower().endswith(f":{who.email.lower()}")
        if digest is None:  # its content is inside the link: clearing it would break the chain
            done.kept_events += 1
        elif not erased:
            # Someone else's act about her keeps its actor; her own acts get the pseudonym.
            by_actor[done.pseudonym if actor in who.actors else actor].append(eid)
    for actor, group in by_actor.items():
        audit.erase_content(s, group, actor)
        done.events.extend(group)
    done.events.sort()


def _scrub(s: Session, who: Person, name: str, email: str) -> Counter[str]:
    """Replace her e-mail and name wherever else they are written (notices, source
    payloads, goal keys, who-did-it columns): text and JSON columns, found by one search
    per column and rewritten word by word ("Ana Li" is not "Ana Lin")."""
    pattern, changed = who.pattern(), Counter[str]()

    def swap(m: re.Match[str]) -> str:
        return email if m.group(0).lower() == who.email.lower() else name

    for table in Base.metadata.sorted_tables:
        if table.name in ("audit_event", "employee"):  # the chain; namesakes' own rows
            continue
        pk = list(table.primary_key.columns)
        for col in table.columns:
            if col.primary_key or not isinstance(col.type, String | JSON):
                continue
            found = s.execute(select(*pk, col).where(mentions(col, who.needles()))).all()
            for row in found:
                new = _swap(row[-1], pattern, swap)
                if new != row[-1]:
                    keys = [c == v for c, v in zip(pk, row[:-1], strict=True)]
                    s.execute(update(table).where(*keys).values({col.name: new}))
                    changed[table.name] += 1
    return changed


def _swap(value: Any, pattern: re.Pattern[str], swap: Any) -> Any:
    """`value` with every match replaced, walking into JSON lists and objects."""
    if isinstance(value, str):
        return pattern.sub(swap, value)
    if isinstance(value, list):
        return [_swap(v, pattern, swap) for v in value]
    if isinstance(value, dict):
        return {k: _swap(v, pattern, swap) for k, v in value.items()}
    return value
