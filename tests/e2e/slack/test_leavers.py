"""A leaver on Slack: refused from her next request (even while the app still remembers
her), the refusal audited, and her open appeal handed to HR, who get its card."""

from __future__ import annotations

from sqlalchemy import select

from handlers import strings_en as t
from handlers.people.leavers import deactivate_people
from store.models import Appeal, AuditEvent, Employee
from tests.e2e.slack.conftest import ANA
from tests.e2e.slack.helpers import deliver


def test_a_deactivated_person_is_refused_and_her_appeal_moves_to_hr(flows, demo):
    assert flows.command(ANA, "", command="/score").json()["text"].startswith("Score · Ana Li")
    flows.command(ANA, "sales_amount two deals are missing", "/appeal")
    with demo.uow() as uow:
        deactivate_people(uow, ["ana.li@acme.example"], actor="cli", scoring=demo.scoring)
        uow.commit()
    # The app still has her as a linked person (its short cache): refused all the same.
    resp = flows.command(ANA, "", command="/score")
    assert resp.json()["text"].startswith(t.GONE_TITLE)
    with demo.uow() as uow:
        event = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.action == "denied" and event.actor == "ana.li@acme.example"
        appeal = uow.session.scalar(select(Appeal))
        hr = uow.session.get(Employee, appeal.handler_id)
    assert hr.email == "zhao.min@acme.example" and appeal.escalated_at is not None
    # Once the app forgets her, Slack's profile e-mail no longer finds an active person.
    flows.app.users._actors.clear()
    assert not flows.command(ANA, "", command="/goals").json()["text"].startswith("Goals")
    deliver(demo, flows.fake)
    cards = [m for m in flows.fake.messages.values() if "handed over to you" in m["text"]]
    assert cards, "HR got the appeal's card"
