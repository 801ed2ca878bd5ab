"""SlackDeliverer against the fake Web API, alone and behind the outbox dispatcher."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.delivery import DeliveryError, Target
from bot.outbox_dispatcher import OutboxDispatcher
from bot.slack.client import make_client
from bot.slack.deliver import SlackDeliverer
from handlers.cards import Button, Card, Image
from handlers.identity import ChatAccount, link_identity
from handlers.notify import notify
from store.models import ChatIdentity, Employee, Outbox
from tests.e2e.slack.conftest import ANA, CHEN
from tests.e2e.slack.fake_slack import TOKEN

CARD = Card(
    title="Appeal #4 <!channel>",
    lines=("Ana disputes sales",),
    buttons=(Button("Accept", "ap:acc", "4"),),
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def employee(demo, email: str) -> Employee:  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        return uow.session.scalar(select(Employee).where(Employee.email == email))


@pytest.fixture
def deliverer(demo, fake):  # type: ignore[no-untyped-def]
    return SlackDeliverer(make_client(TOKEN, fake.api_url), demo.uow)


def test_a_linked_person_gets_a_dm(demo, fake, deliverer):
    ana = employee(demo, "ana.li@acme.example")
    target = Target(ana.id, ana.email, ana.name, identities={"slack": ANA})
    ref = asyncio.run(deliverer.deliver(target, CARD))
    (opened,) = fake.of("conversations.open")
    (post,) = fake.of("chat.postMessage")
    assert opened["users"] == ANA and post["channel"] == "D" + ANA and ref.startswith("DUANALI:")
    assert "&lt;!channel&gt;" in post["text"] and "<!channel>" not in str(post)
    assert post["blocks"][-1]["elements"][0]["action_id"] == "ap:acc:4"
    asyncio.run(deliverer.deliver(target, CARD))  # the DM channel is remembered
    assert len(fake.of("conversations.open")) == 1 and len(fake.of("chat.postMessage")) == 2


def test_someone_who_never_used_the_app_is_found_by_email_and_linked(demo, fake, deliverer):
    chen = employee(demo, "chen.jing@acme.example")
    ref = asyncio.run(deliverer.deliver(Target(chen.id, chen.email, chen.name), CARD))
    assert fake.of("users.lookupByEmail")[0]["email"] == "chen.jing@acme.example"
    assert ref.startswith(f"D{CHEN}:")
    with demo.uow() as uow:
        ident = uow.session.scalar(select(ChatIdentity).where(ChatIdentity.employee_id == chen.id))
    assert ident.platform_user_id == CHEN and ident.dm_channel == "D" + CHEN


def test_nobody_on_slack_with_that_email_is_unreachable(deliverer):
    with pytest.raises(DeliveryError) as err:
        asyncio.run(deliverer.deliver(Target(1, "ghost@acme.example", "Ghost"), CARD))
    assert err.value.unreachable and err.value.retry_after is None


def test_a_channel_and_a_chart(fake, deliverer):
    card = Card(title="Team report", image=Image(PNG, "team.png", "Scores by person"))
    ref = asyncio.run(deliverer.deliver(Target(None, None, None, channel="#kudos"), card))
    assert fake.of("chat.postMessage")[0]["channel"] == "#kudos" and ref.startswith("#kudos:")
    (url,) = fake.of("files.getUploadURLExternal")
    assert url["filename"] == "team.png" and int(url["length"]) == len(PNG)
    assert fake.of("upload")[0]["size"] == len(PNG)
    assert fake.of("files.completeUploadExternal")[0]["channel_id"] == "#kudos"


def test_429_becomes_retry_after_for_the_dispatcher(fake, deliverer):
    limited = {"ok": False, "error": "ratelimited"}
    for _ in range(2):  # the client waits out one 429 itself; the second reaches us
        fake.force("chat.postMessage", 429, limited, **{"Retry-After": "0"})
    fake.force("chat.postMessage", 429, limited, **{"Retry-After": "7"})
    target = Target(None, None, None, channel="C1")
    with pytest.raises(DeliveryError) as err:
        asyncio.run(deliverer.deliver(target, CARD))
        asyncio.run(deliverer.deliver(target, CARD))
    assert err.value.retry_after in (0.0, 7.0)


@pytest.mark.parametrize(
    "error, kind", [("invalid_blocks", "permanent"), ("account_inactive", "unreachable")]
)
def test_errors_are_classified(fake, deliverer, error, kind):
    fake.force("chat.postMessage", 200, {"ok": False, "error": error})
    with pytest.raises(DeliveryError) as err:
        asyncio.run(deliverer.deliver(Target(None, None, None, channel="C1"), CARD))
    assert getattr(err.value, kind) is True


def test_the_outbox_dispatcher_sends_each_row_once(demo, fake, deliverer):
    ana = employee(demo, "ana.li@acme.example")
    with demo.uow() as uow:
        link_identity(uow, ChatAccount("slack", ANA), ana.id)
        for key in ("n1", "n2", "n1"):  # n1 twice: the dedupe key keeps one
            notify(uow, kind="test", dedupe_key=key, card=CARD, recipient_id=ana.id)
        uow.commit()
    dispatcher = OutboxDispatcher(demo.uow, [deliverer])
    stats = asyncio.run(dispatcher.run_once(budget=30))
    again = asyncio.run(dispatcher.run_once(budget=5))
    assert stats.sent >= 2 and again.claimed == 0  # (the demo queued notices of its own)
    mine = [p for p in fake.of("chat.postMessage") if p["text"].startswith("Appeal #4")]
    assert len(mine) == 2 and {p["channel"] for p in mine} == {"D" + ANA}
    with demo.uow() as uow:
        rows = uow.session.scalars(select(Outbox).where(Outbox.dedupe_key.in_(["n1", "n2"]))).all()
    assert {r.status for r in rows} == {"sent"} and all(
        r.platform_ref.startswith("D") for r in rows
    )


def test_a_queued_notice_keeps_its_chart_until_it_is_sent(demo, fake, deliverer):
    charted = Card(title="Team report", image=Image(PNG, "team-2026-11.png", "Scores by person"))
    with demo.uow() as uow:
        notify(uow, kind="report", dedupe_key="chart-1", card=charted, channel="#leads")
        uow.commit()
    asyncio.run(OutboxDispatcher(demo.uow, [deliverer]).run_once(budget=30))
    (url,) = fake.of("files.getUploadURLExternal")
    assert url["filename"] == "team-2026-11.png" and int(url["length"]) == len(PNG)
    (done,) = fake.of("files.completeUploadExternal")
    assert done["channel_id"] == "#leads"
    with demo.uow() as uow:
        row = uow.session.scalar(select(Outbox).where(Outbox.dedupe_key == "chart-1"))
    assert row.status == "sent"
