"""Which rows are about one person (GDPR Art. 15/20, PIPL Art. 45): found by walking the
models' metadata, so a new table with an employee column is covered without a change here.

A row is hers when any column referring to an employee (a foreign key to employee.id, or a
column named `employee_id` such as score_line's) is her id, or when it hangs off a goal or
an appeal of hers. Her audit events are those she did (her e-mail or chat accounts as
actor), those on a row of hers, and those whose content names her.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, ColumnElement, String, Table, Text, cast, false, func, or_, select
from sqlalchemy.orm import Session

from store.models import AuditEvent, Base, ChatIdentity, Employee

# Rows hanging off a parent that belongs to someone: (parent table, its owner column).
OWNED_PARENTS = {"goal": "employee_id", "appeal": "employee_id"}
# Audit entity names that are not the table's own name.
ENTITY_TABLES = {"correction": "figure_correction"}


@dataclass(frozen=True)
class Person:
    """Who the data is about, and the strings that name her."""

    id: int
    email: str
    name: str
    actors: tuple[str, ...]  # her e-mail and "platform:user id" of each chat account
    name_is_hers: bool = True  # False when someone else has the same name: e-mail only

    def words(self) -> list[str]:
        """What names her in text: her e-mail, and her name when nobody else bears it."""
        return [self.email, self.name] if self.name_is_hers and self.name else [self.email]

    def pattern(self) -> re.Pattern[str]:
        """Her e-mail or name as whole words, case-insensitive."""
        words = sorted(self.words(), key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)

    def needles(self) -> list[str]:
        """Lower-case strings a text column is searched for (the JSON-escaped form too:
        SQLite stores JSON with non-ASCII characters escaped)."""
        found = {w.lower() for w in self.words()} | {
            json.dumps(w)[1:-1].lower() for w in self.words()
        }
        return sorted(found)


def person(session: Session, email: str) -> Person | None:
    """The person with this e-mail (case-insensitive), or None."""
    emp = session.scalar(select(Employee).where(func.lower(Employee.email) == email.lower()))
    if emp is None:
        return None
    accounts = session.execute(
        select(ChatIdentity.platform, ChatIdentity.platform_user_id).where(
            ChatIdentity.employee_id == emp.id
        )
    ).all()
    namesakes = session.scalar(
        select(func.count()).where(
            func.lower(Employee.name) == emp.name.lower(), Employee.id != emp.id
        )
    )
    actors = (emp.email, *(f"{p}:{u}" for p, u in accounts))
    return Person(emp.id, emp.email, emp.name, actors, name_is_hers=not namesakes)


def employee_columns(table: Table) -> list[Column[Any]]:
    """The columns of `table` that name an employee."""
    return [
        c
        for c in table.columns
        if c.name == "employee_id"
        or any(fk.column.table.name == "employee" for fk in c.foreign_keys)
    ]


def owned_filter(table: Table, person_id: int) -> ColumnElement[bool] | None:
    """The rows of `table` about this person (None: the table holds nothing about anyone)."""
    if table.name == "employee":  # her own profile; the people she manages are theirs
        return table.c.id == person_id
    if table.name == "audit_event":
        return None
    tests: list[ColumnElement[bool]] = [c == person_id for c in employee_columns(table)]
    for col in table.columns:
        for fk in col.foreign_keys:
            parent = fk.column.table
            if parent.name in OWNED_PARENTS and parent is not table:
                owner = parent.c[OWNED_PARENTS[parent.name]]
                tests.append(col.in_(select(fk.column).where(owner == person_id)))
    return or_(*tests) if tests else None


def personal_tables() -> list[Table]:
    """Every table that can hold a row about a person, in dependency order."""
    return [t for t in Base.metadata.sorted_tables if owned_filter(t, 0) is not None]


def mentions(col: Any, needles: list[str]) -> ColumnElement[bool]:
    """Rows whose text (or JSON as text) contains any of these lower-case strings."""
    text = func.lower(cast(col, Text))
    return or_(false(), *(text.contains(n, autoescape=True) for n in needles))


def audit_events(session: Session, who: Person) -> list[int]:
    """Ids of the audit events she did, on rows of hers, or whose content names her."""
    a = AuditEvent
    on_rows = [
        (a.entity == entity) & a.entity_id.in_(select(cast(t.c.id, String)).where(where))
        for entity, t in _entity_tables().items()
        if (where := owned_filter(t, who.id)) is not None
    ]
    mine = or_(a.actor.in_(who.actors), a.entity_id.endswith(f":{who.email}"), *on_rows)
    candidates = session.execute(
        select(a.id, mine, a.before, a.after).where(
            or_(mine, mentions(a.before, who.needles()), mentions(a.after, who.needles()))
        )
    ).all()
    pattern = who.pattern()  # the text search above is a superset: "Ana Li" in "Ana Lin"
    return sorted(
        i
        for i, is_mine, before, after in candidates
        if is_mine or pattern.search(json.dumps([before, after], ensure_ascii=False))
    )


def _entity_tables() -> dict[str, Table]:
    """Audit entity name -> its table, for every table with ids that can be about someone."""
    tables = {t.name: t for t in personal_tables() if "id" in t.c}
    tables.update({e: tables[t] for e, t in ENTITY_TABLES.items() if t in tables})
    return tables


def plain(value: Any) -> Any:
    """A JSON-safe value: decimals and dates as strings, JSON documents as they are."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def collect(session: Session, who: Person) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
    """Every table that can hold a row about her, with her rows (audit events last)."""
    for table in [*personal_tables(), AuditEvent.__table__]:
        assert isinstance(table, Table)
        if table.name == "audit_event":
            where = table.c.id.in_(audit_events(session, who))
        else:
            where = owned_filter(table, who.id)
        order = list(table.primary_key.columns)
        rows = session.execute(select(table).where(where).order_by(*order)).mappings()
        yield table, [{k: plain(v) for k, v in r.items()} for r in rows]
