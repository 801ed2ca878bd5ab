"""Leavers: deactivate people (their open items pass on, handover.py) or bring them back.

Runs in the caller's unit of work and does not commit, so the org file, the CLI and a
directory sync each apply it inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from handlers import strings_en as en
from handlers.appeals.correction import HasSpecs
from handlers.people.handover import Heirs, hand_over
from handlers.people.org_validate import OrgFile, OrgFileError
from said import Said
from store.models import Employee
from store.uow import UnitOfWork


class UnknownPeople(LookupError):
    """Some of the people named are not in the database; nothing was changed."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(Said(en.PEOPLE_NOT_FOUND, who=", ".join(missing)))
        self.missing = missing


@dataclass
class Departure:
    """One person deactivated, and who took over what (heir e-mail -> item labels)."""

    email: str
    name: str
    handed: dict[str, list[str]] = field(default_factory=dict)


def find_people(uow: UnitOfWork, who: Iterable[str | int]) -> list[Employee]:
    """The employees named by e-mail or id (active or not); UnknownPeople lists any missing."""
    found: list[Employee] = []
    missing: list[str] = []
    for ref in who:
        emp = uow.get(Employee, ref) if isinstance(ref, int) else uow.org.employee_by_email(ref)
        if emp is None:
            missing.append(str(ref))
        elif emp not in found:
            found.append(emp)
    if missing:
        raise UnknownPeople(missing)
    return found


def deactivate_people(
    uow: UnitOfWork, who: Iterable[str | int], *, actor: str, scoring: HasSpecs | None = None
) -> list[Departure]:
    """Deactivate these people (already inactive ones are skipped) and hand their open
    items over. Everyone leaves first, so a manager and their manager leaving together both
    pass their items to the next active person above."""
    leavers = [p for p in find_people(uow, who) if p.active]
    now = uow.clock()
    for person in leavers:
        _set_active(uow, person, False, actor)
        uow.people.expire_open_codes(person.id, now)  # no new chat account for a leaver
    uow.flush()
    return [
        Departure(p.email, p.name, _labels(uow, hand_over(uow, p, actor=actor, scoring=scoring)))
        for p in leavers
    ]


def reactivate_people(uow: UnitOfWork, who: Iterable[str | int], *, actor: str) -> list[str]:
    """Bring people back (e-mails of those who were inactive). What was handed over stays
    with whoever took it; the org file names their manager and team again."""
    back = [p for p in find_people(uow, who) if not p.active]
    for person in back:
        _set_active(uow, person, True, actor)
    uow.flush()
    return [p.email for p in back]


def _set_active(uow: UnitOfWork, person: Employee, active: bool, actor: str) -> None:
    person.active = active
    uow.audit_row(
        person,
        actor,
        "employee.reactivate" if active else "employee.deactivate",
        before={"active": not active},
        after={"active": active},
    )


def inactive_managers(org: OrgFile, known: dict[str, Employee]) -> None:
    """OrgFileError when the file makes someone deactivated earlier a manager again
    without bringing them back (`active: true`)."""
    back = {p.email for p in org.people if p.active}
    gone = {e for e, p in known.items() if not p.active and e not in back}
    problems: list[str] = [
        Said(en.ORG_LEFT_MANAGER, email=p.email, manager=p.manager)
        for p in org.people
        if p.manager in gone and p.active is not False
    ]
    problems += [
        Said(en.ORG_TEAM_LEFT_MANAGER, name=t.name, manager=t.manager)
        for t in org.teams
        if t.manager in gone
    ]
    if problems:
        raise OrgFileError(problems)


def apply_active(
    org: OrgFile,
    uow: UnitOfWork,
    *,
    actor: str,
    missing: Iterable[str] = (),
    scoring: HasSpecs | None = None,
) -> tuple[list[str], list[Departure]]:
    """The file's `active:` flags (and the `missing` people, deactivated): who came back,
    who left."""
    back = reactivate_people(uow, [p.email for p in org.people if p.active], actor=actor)
    gone = [p.email for p in org.people if p.active is False] + list(missing)
    return back, deactivate_people(uow, gone, actor=actor, scoring=scoring)


def _labels(uow: UnitOfWork, heirs: Heirs) -> dict[str, list[str]]:
    """Heir e-mail -> what they took over, for reports."""
    out: dict[str, list[str]] = {}
    for heir_id, got in heirs.items():
        email = uow.org.email_of(heir_id) or str(heir_id)
        out[email] = (
            [f"appeal #{i}" for i in got.appeals]
            + [f"target change #{i}" for i in got.kpi]
            + [f"team {n}" for n in got.teams]
            + [f"report {n}" for n in got.reports]
            + [f"no manager: {n}" for n in got.orphans]
        )
    return out
