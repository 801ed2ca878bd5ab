"""Who is acting: the actor resolved from a chat identity carries its branch's time zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from handlers.common import actor_today, local_today
from handlers.identity import ChatAccount, actor_by_email, actor_by_identity, link_identity
from store.models import Branch, Employee

ANA = "ana.li@acme.example"


def test_the_actor_carries_the_branch_time_zone(demo):
    with demo.uow() as uow:
        link_identity(uow, ChatAccount("slack", "U0ANA"), actor_by_email(uow, ANA).employee_id)
        uow.commit()
        by_identity = actor_by_identity(uow, "slack", "U0ANA")
        by_email = actor_by_email(uow, ANA, "slack")
        zone = uow.session.scalar(
            select(Branch.timezone).join(Employee).where(Employee.email == ANA)
        )
    assert by_identity == by_email
    assert by_identity is not None and by_identity.timezone == zone


def test_today_comes_from_the_actors_time_zone_else_from_the_database(demo):
    with demo.uow() as uow:
        ana = actor_by_email(uow, ANA, "slack")
        assert ana is not None
        # Without a time zone the branch's is read: the same date.
        assert actor_today(uow, replace(ana, timezone=None)) == actor_today(uow, ana)
        assert actor_today(uow, ana) == local_today(uow, ana.branch_id, uow.clock())
        # 02:00 UTC on Friday the 20th is still Thursday in Honolulu.
        assert actor_today(uow, replace(ana, timezone="Pacific/Honolulu")) == date(2026, 11, 19)
