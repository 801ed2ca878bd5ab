"""Load an organisation file idempotently: branches, teams, people and chat identities."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from handlers.people.org_validate import OrgFile, OrgPerson, parse_org
from store.models import Branch, ChatIdentity, Employee, Team
from store.uow import UnitOfWork


@dataclass
class OrgLoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)


def load_org(
    text: str, *, uow: UnitOfWork, actor: str, platforms: Collection[str]
) -> OrgLoadReport:
    """Validate the whole file (OrgFileError lists every problem), then apply it in one
    commit. `platforms`: the chat platforms whose ids an employee's `chat:` map may hold."""
    return apply_org(parse_org(text, platforms), uow=uow, actor=actor)


def apply_org(org: OrgFile, *, uow: UnitOfWork, actor: str, dry_run: bool = False) -> OrgLoadReport:
    """Apply a checked organisation in one commit; `dry_run`: the same changes, rolled back,
    so the report says what a real run would do."""
    report = OrgLoadReport()
    with uow:
        _apply(org, uow, actor, report)
        if dry_run:
            uow.rollback()
        else:
            uow.commit()
    return report


def _apply(org: OrgFile, uow: UnitOfWork, actor: str, report: OrgLoadReport) -> None:
    branches = uow.people.branches_by_name()
    for ob in org.branches:
        branch = branches.get(ob.name) or Branch(name=ob.name)
        _sync(
            uow,
            actor,
            report,
            branch,
            f"branch {ob.name}",
            timezone=ob.timezone,
            is_hq=ob.hq,
            recognition_channel=ob.recognition_channel,
        )
        branches[ob.name] = branch
    teams = uow.people.teams_by_name()
    for ot in org.teams:
        team = teams.get(ot.name) or Team(name=ot.name)
        _sync(
            uow,
            actor,
            report,
            team,
            f"team {ot.name}",
            branch_id=branches[ot.branch].id,
            recognition_channel=ot.recognition_channel,
        )
        teams[ot.name] = team
    people = uow.people.employees_by_email()
    for op in org.people:
        person = people.get(op.email) or Employee(email=op.email)
        _sync(
            uow,
            actor,
            report,
            person,
            f"employee {op.email}",
            name=op.name,
            title=op.title,
            team_id=teams[op.team].id if op.team else None,
            branch_id=branches[op.branch].id,
            role=op.role,
            scorecard=op.scorecard,
            external_id=op.external_id,
            active=op.active,
        )
        people[op.email] = person
    # Second pass: links that need every row to exist first.
    for ot in org.teams:
        _sync(
            uow,
            actor,
            report,
            teams[ot.name],
            f"team {ot.name}",
            parent_id=teams[ot.parent].id if ot.parent else None,
            manager_id=people[ot.manager].id if ot.manager else None,
        )
    for op in org.people:
        _sync(
            uow,
            actor,
            report,
            people[op.email],
            f"employee {op.email}",
            manager_id=people[op.manager].id if op.manager else None,
        )
        _identities(uow, actor, report, op, people[op.email])
    in_file = {p.email for p in org.people}
    report.not_in_file = sorted(e for e in people if e not in in_file)
    changed = set(report.created) | set(report.updated)
    report.unchanged = (
        len(org.branches)
        + len(org.teams)
        + len(org.people)
        - len({c for c in changed if not c.startswith("identity")})
    )


def _sync(
    uow: UnitOfWork, actor: str, report: OrgLoadReport, row: Any, label: str, **values: Any
) -> None:
    """Set changed attributes only; audit the before and after of what changed."""
    new = row.id is None
    before = {k: getattr(row, k) for k in values if getattr(row, k) != values[k]}
    if not new and not before:
        return
    for k, v in values.items():
        setattr(row, k, v)
    if new:
        uow.add(row)
    uow.flush()
    after = {k: values[k] for k in (values if new else before)}
    uow.audit(
        actor=actor,
        action="org.create" if new else "org.update",
        entity=type(row).__tablename__,
        entity_id=row.id,
        before=None if new else before,
        after=after,
    )
    bucket = report.created if new else report.updated
    if label not in report.created and label not in bucket:
        bucket.append(label)


def _identities(
    uow: UnitOfWork, actor: str, report: OrgLoadReport, op: OrgPerson, emp: Employee
) -> None:
    for platform, uid in op.chat.items():
        ident = uow.org.identity(platform, uid)
        if ident is not None and ident.employee_id == emp.id:
            continue
        if ident is None:
            ident = ChatIdentity(platform=platform, platform_user_id=uid, linked_at=uow.clock())
        _sync(uow, actor, report, ident, f"identity {platform}:{uid}", employee_id=emp.id)
