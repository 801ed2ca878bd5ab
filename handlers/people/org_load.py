"""Load an organisation file idempotently: branches, teams, people and chat identities."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from handlers.appeals.correction import HasSpecs
from handlers.people.handover import follow_manager
from handlers.people.leavers import apply_active, inactive_managers
from handlers.people.org_validate import OrgFile, OrgPerson, parse_org
from store.models import Branch, ChatIdentity, Employee, Team
from store.uow import UnitOfWork

_Row = TypeVar("_Row", Branch, Team, Employee)


@dataclass
class OrgLoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)  # active people the file leaves out
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    handed: dict[str, list[str]] = field(default_factory=dict)  # heir -> items taken over


def load_org(
    text: str,
    *,
    uow: UnitOfWork,
    actor: str,
    platforms: Collection[str],
    deactivate_missing: bool = False,
    dry_run: bool = False,
    scoring: HasSpecs | None = None,
    scorecards: Collection[str] | None = None,
) -> OrgLoadReport:
    """Validate the whole file (OrgFileError lists every problem), then apply it in one
    commit (`dry_run`: roll back, report only). `platforms`: the chat platforms whose ids
    an employee's `chat:` map may hold; `scorecards`: the keys `scorecard:` may name.
    `active: false` deactivates a person and hands their open items over;
    `deactivate_missing` does so for active people not in the file."""
    return apply_org(
        parse_org(text, platforms, scorecards),
        uow=uow,
        actor=actor,
        deactivate_missing=deactivate_missing,
        dry_run=dry_run,
        scoring=scoring,
    )


def apply_org(
    org: OrgFile,
    *,
    uow: UnitOfWork,
    actor: str,
    deactivate_missing: bool = False,
    dry_run: bool = False,
    scoring: HasSpecs | None = None,
) -> OrgLoadReport:
    """Apply a checked organisation (a file's, or a directory's) in one commit; `dry_run`:
    the same changes, rolled back, so the report says what a real run would do."""
    report = OrgLoadReport()
    with uow:
        inactive_managers(org, uow.people.employees_by_email())
        _apply(org, uow, actor, report)
        _leavers(org, uow, actor, report, deactivate_missing, scoring)
        if not dry_run:
            uow.commit()
    return report


def _leavers(
    org: OrgFile,
    uow: UnitOfWork,
    actor: str,
    report: OrgLoadReport,
    deactivate_missing: bool,
    scoring: HasSpecs | None,
) -> None:
    missing = report.not_in_file if deactivate_missing else []
    back, left = apply_active(org, uow, actor=actor, missing=missing, scoring=scoring)
    report.reactivated, report.deactivated = back, [d.email for d in left]
    for d in left:
        for heir, items in d.handed.items():
            report.handed.setdefault(heir, []).extend(items)
    in_file = {p.email for p in org.people}
    for email in back + report.deactivated:
        label = f"employee {email}"
        if email in in_file and label not in report.created + report.updated:
            report.updated.append(label)
            report.unchanged -= 1


def _apply(org: OrgFile, uow: UnitOfWork, actor: str, report: OrgLoadReport) -> None:
    sync = _Sync(uow, actor, report)
    branches = uow.people.branches_by_name()
    for ob in org.branches:
        sync.upsert(
            branches,
            ob.name,
            partial(Branch, name=ob.name),
            f"branch {ob.name}",
            timezone=ob.timezone,
            is_hq=ob.hq,
            recognition_channel=ob.recognition_channel,
            locale=ob.locale,
        )
    teams = uow.people.teams_by_name()
    for ot in org.teams:
        sync.upsert(
            teams,
            ot.name,
            partial(Team, name=ot.name),
            f"team {ot.name}",
            branch_id=branches[ot.branch].id,
            recognition_channel=ot.recognition_channel,
        )
    people = uow.people.employees_by_email()
    for op in org.people:
        # A known person's `active` changes through the leavers' use case (hand-over).
        active = {} if op.email in people else {"active": op.active is not False}
        sync.upsert(
            people,
            op.email,
            partial(Employee, email=op.email),
            f"employee {op.email}",
            name=op.name,
            display_name=op.display_name,
            locale=op.locale,
            title=op.title,
            team_id=teams[op.team].id if op.team else None,
            branch_id=branches[op.branch].id,
            role=op.role,
            scorecard=op.scorecard,
            external_id=op.external_id,
            mobile=op.mobile,
            **active,
        )
    # Second pass: links that need every row to exist first.
    for ot in org.teams:
        sync(
            teams[ot.name],
            f"team {ot.name}",
            parent_id=teams[ot.parent].id if ot.parent else None,
            manager_id=people[ot.manager].id if ot.manager else None,
        )
    for op in org.people:
        person, was = people[op.email], people[op.email].manager_id
        manager_id = people[op.manager].id if op.manager else None
        sync(person, f"employee {op.email}", manager_id=manager_id)
        if was is not None and was != manager_id and person.active:
            for heir, got in follow_manager(uow, person, was, actor=actor).items():
                items = [f"appeal #{i}" for i in got.appeals]
                report.handed.setdefault(uow.org.email_of(heir) or str(heir), []).extend(items)
        _identities(sync, op, person)
    in_file = {p.email for p in org.people}
    report.not_in_file = sorted(e for e, p in people.items() if e not in in_file and p.active)
    changed = set(report.created) | set(report.updated)
    report.unchanged = (
        len(org.branches)
        + len(org.teams)
        + len(org.people)
        - len({c for c in changed if not c.startswith("identity")})
    )


@dataclass
class _Sync:
    """Writes the file's rows into one unit of work, auditing and reporting what changed."""

    uow: UnitOfWork
    actor: str
    report: OrgLoadReport

    def upsert(
        self, rows: dict[str, _Row], key: str, make: Callable[[], _Row], label: str, **values: Any
    ) -> None:
        """Sync the row under `key` (made by `make` when there is none) and keep it there."""
        row = rows.get(key) or make()
        self(row, label, **values)
        rows[key] = row

    def __call__(self, row: Any, label: str, **values: Any) -> None:
        """Set changed attributes only; audit the before and after of what changed."""
        uow, report = self.uow, self.report
        new = row.id is None
        before = {k: getattr(row, k) for k in values if getattr(row, k) != values[k]}
        if not new and not before:
            return
        for k, v in values.items():
            setattr(row, k, v)
        if new:
            uow.add(row)
        after = {k: values[k] for k in (values if new else before)}
        uow.audit_row(
            row,
            self.actor,
            "org.create" if new else "org.update",
            before=None if new else before,
            after=after,
        )
        bucket = report.created if new else report.updated
        if label not in report.created and label not in bucket:
            bucket.append(label)


def _identities(sync: _Sync, op: OrgPerson, emp: Employee) -> None:
    for platform, uid in op.chat.items():
        ident = sync.uow.org.identity(platform, uid)
        if ident is not None and ident.employee_id == emp.id:
            continue
        if ident is None:
            ident = ChatIdentity(
                platform=platform, platform_user_id=uid, linked_at=sync.uow.clock()
            )
        sync(ident, f"identity {platform}:{uid}", employee_id=emp.id)
