"""A small company in memory for unit tests of use cases: HQ (Shanghai) and a branch
(Berlin), an admin, HR at each, a manager with two reports and one leaver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from store.models import Branch, ChatIdentity, Employee, Period
from tests.fakes.uow import FakeUnitOfWork, fixed_clock

NOW = datetime.fromisoformat("2026-11-20T09:00:00+00:00")


@dataclass(frozen=True)
class People:
    admin: Employee
    hr_hq: Employee
    hr_berlin: Employee
    manager: Employee
    ana: Employee
    bo: Employee
    gone: Employee


def person(pid: int, name: str, role: str, branch: int, manager: int | None = None) -> Employee:
    email = name.lower().replace(" ", ".") + "@acme.example"
    return Employee(
        id=pid,
        email=email,
        name=name,
        title="",
        role=role,
        branch_id=branch,
        manager_id=manager,
        scorecard="sales_rep" if role == "employee" else None,
        active=True,
    )


def small_company(now: datetime = NOW) -> tuple[FakeUnitOfWork, People]:
    """The fake unit of work holding the company, and its people by part."""
    people = People(
        admin=person(1, "Ada Admin", "admin", 1),
        hr_hq=person(2, "Hu Hr", "hr", 1),
        hr_berlin=person(3, "Greta Hr", "hr", 2),
        manager=person(4, "Chen Jing", "manager", 2),
        ana=person(5, "Ana Li", "employee", 2, manager=4),
        bo=person(6, "Bo Wu", "employee", 2, manager=4),
        gone=person(7, "Old Timer", "employee", 2, manager=4),
    )
    people.gone.active = False
    uow = FakeUnitOfWork(
        fixed_clock(now),
        [
            Branch(id=1, name="HQ", timezone="Asia/Shanghai", is_hq=True),
            Branch(id=2, name="Berlin", timezone="Europe/Berlin", is_hq=False),
            *vars(people).values(),
            Period(
                id=1,
                key="2026-11",
                kind="month",
                starts_on=date(2026, 11, 1),
                ends_on=date(2026, 11, 30),
                status="open",
            ),
            ChatIdentity(
                id=1,
                platform="slack",
                platform_user_id="U05",
                username="ana",
                employee_id=5,
                linked_at=now,
            ),
        ],
    )
    return uow, people
