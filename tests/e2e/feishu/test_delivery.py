"""The outbox's Feishu sender against the fake Open API: people by open_id (or found by
e-mail and linked), groups, charts uploaded into the card (named when Feishu refuses the
upload), 429 with x-ogw-ratelimit-reset, an expired token refreshed, unreachable people
and permanent refusals."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from bot.config import Settings
from bot.delivery import DeliveryError, Target
from bot.feishu import strings as st
from bot.feishu.api import FeishuApi
from bot.feishu.deliver import FeishuDeliverer, make_deliverer
from bot.outbox_dispatcher import OutboxDispatcher
from handlers.cards import Card, Image
from handlers.identity import ChatAccount, link_identity
from store.models import ChatIdentity, Employee, Outbox
from tests.e2e.feishu.conftest import ANA, EMAILS, GROUP, feishu_settings
from tests.fakes.feishu_open_api import FakeFeishu, Fault

CARD = Card("Heads up", lines=("Your goal is at risk.",))


@pytest.fixture
def fake():
    with FakeFeishu() as f:
        f.users[ANA] = {"name": "Ana", "email": EMAILS[ANA]}
        yield f


def deliverer(fake: FakeFeishu, uow=None) -> FeishuDeliverer:
    api = FeishuApi(feishu_settings(fake))
    api.forget_token()  # the SDK's token cache is per process; each fake issues its own
    return FeishuDeliverer(api, uow)


def person(open_id: str | None = ANA, email: str = EMAILS[ANA], employee_id: int = 1) -> Target:
    ids = {"feishu": open_id} if open_id else {}
    return Target(employee_id, email, "Ana Li", identities=ids)


def test_a_linked_person_gets_the_card_by_open_id(fake):
    ref = asyncio.run(deliverer(fake).deliver(person(), CARD))
    [sent] = fake.sent()
    assert sent.query == {"receive_id_type": "open_id"} and sent.body["receive_id"] == ANA
    assert sent.body["msg_type"] == "interactive" and sent.texts[:2] == [
        "Heads up",
        "Your goal is at risk.",
    ]
    assert ref.startswith(f"{ANA}:om_")


def test_someone_linked_nowhere_is_found_by_e_mail_linked_and_their_chat_kept(fake, demo_rt):
    with demo_rt.uow() as uow:
        ana = uow.session.scalar(select(Employee.id).where(Employee.email == EMAILS[ANA]))
    d = deliverer(fake, demo_rt.uow)
    target = person(None, employee_id=ana)
    assert d.can_reach(target)
    asyncio.run(d.deliver(target, CARD))
    assert fake.called("batch_get_id")[0].body == {"emails": [EMAILS[ANA]]}
    with demo_rt.uow() as uow:
        ident = uow.session.scalar(select(ChatIdentity).where(ChatIdentity.platform == "feishu"))
    assert ident.platform_user_id == ANA and ident.employee_id == ana
    assert ident.dm_channel == f"oc_p2p_{ANA}", "the p2p chat it landed in, for card presses"
    with pytest.raises(DeliveryError) as gone:
        asyncio.run(d.deliver(person(None, "nobody@acme.example"), CARD))
    assert gone.value.unreachable


def test_a_group_takes_shared_cards_only(fake):
    d = deliverer(fake)
    group = Target(None, None, None, channel=f"feishu:{GROUP}")
    assert d.can_reach(group) and not d.can_reach(Target(None, None, None, channel="#kudos"))
    asyncio.run(d.deliver(group, Card("Kudos", private=False)))
    assert fake.sent()[0].query == {"receive_id_type": "chat_id"}
    with pytest.raises(DeliveryError) as refused:
        asyncio.run(d.deliver(group, CARD))
    assert refused.value.permanent


CHART = Card(
    "Team · 2026-11",
    ("Ana 92",),
    image=Image(b"\x89PNG\r\n\x1a\nchart", "team-2026-11.png", "Team chart"),
    private=False,
)


def _images(call) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    return [e for e in call.card["body"]["elements"] if e.get("tag") == "img"]


def test_a_notice_with_a_chart_uploads_it_then_shows_it_in_the_card(fake):
    group = Target(None, None, None, channel=f"feishu:{GROUP}")
    asyncio.run(deliverer(fake).deliver(group, CHART))
    [upload] = fake.called("/open-apis/im/v1/images", "POST")
    assert upload.parts["image_type"] == (None, None, b"message")
    assert upload.parts["image"] == ("team-2026-11.png", "image/png", CHART.image.data)
    [sent] = fake.sent()
    [img] = _images(sent)
    assert img["img_key"].startswith("img_v3_fake") and upload.at < sent.at
    assert st.IMAGE_NOTE.format(alt="Team chart") not in sent.texts


def test_a_refused_upload_names_the_chart_and_the_notice_still_goes(fake):
    no_scope = "Access denied. One of the following scopes is required: [im:resource]"
    fake.fail(Fault("/open-apis/im/v1/images", 400, 99991672, no_scope))
    ref = asyncio.run(deliverer(fake).deliver(person(), CHART))
    [sent] = fake.sent()
    assert _images(sent) == [] and st.IMAGE_NOTE.format(alt="Team chart") in sent.texts
    assert ref.startswith(f"{ANA}:om_")


def test_a_rate_limited_upload_waits_with_the_notice_unsent(fake):
    fake.fail(Fault("/open-apis/im/v1/images", 429, 99991400, "frequency limit", reset="5"))
    with pytest.raises(DeliveryError) as limited:
        asyncio.run(deliverer(fake).deliver(person(), CHART))
    assert limited.value.retry_after == 5.0 and fake.sent() == []


def test_429_carries_the_reset_header_as_retry_after(fake):
    fake.fail(Fault("/im/v1/messages", 429, 99991400, "request trigger frequency limit", reset="7"))
    with pytest.raises(DeliveryError) as limited:
        asyncio.run(deliverer(fake).deliver(person(), CARD))
    assert limited.value.retry_after == 7.0 and not limited.value.permanent


def test_an_expired_token_is_fetched_again_once(fake):
    d = deliverer(fake)
    asyncio.run(d.deliver(person(), CARD))
    fake.expire_tokens()  # two hours later: Feishu answers 99991663
    asyncio.run(d.deliver(person(), CARD))
    assert fake.issued == 2 and len(fake.sent()) == 3  # one refused, then sent again


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [(230013, 400, "unreachable"), (230002, 400, "unreachable"), (230099, 400, "permanent"),
     (1, 500, "retry")],
)  # fmt: skip
def test_refusals_become_what_the_dispatcher_acts_on(fake, code, status, kind):
    fake.fail(Fault("/im/v1/messages", status, code))
    with pytest.raises(DeliveryError) as refused:
        asyncio.run(deliverer(fake).deliver(person(), CARD))
    err = refused.value
    assert (err.unreachable, err.permanent) == {
        "unreachable": (True, False), "permanent": (False, True), "retry": (False, False),
    }[kind]  # fmt: skip


def test_the_dispatcher_waits_out_the_reset_then_delivers(fake, demo_rt):
    """Rate limiting exercised through the outbox: the row waits as long as Feishu said."""
    with demo_rt.uow() as uow:
        uow.session.execute(update(Outbox).values(status="sent"))  # the seeded notices
        ana = uow.session.scalar(select(Employee.id).where(Employee.email == EMAILS[ANA]))
        link_identity(uow, ChatAccount("feishu", ANA), ana)
        uow.enqueue(dedupe_key="t1", kind="test", payload=CARD.to_dict(), recipient_id=ana)
        uow.commit()
    fake.fail(Fault("/im/v1/messages", 429, 99991400, reset="30"))
    d = deliverer(fake, demo_rt.uow)
    stats = asyncio.run(OutboxDispatcher(demo_rt.uow, [d]).run_once(budget=5))
    with demo_rt.uow() as uow:
        row = uow.session.scalar(select(Outbox).where(Outbox.dedupe_key == "t1"))
    assert row.status == "pending" and row.next_attempt_at >= demo_rt.clock() + timedelta(
        seconds=29
    )
    assert stats is not None


def test_no_deliverer_without_credentials():
    assert make_deliverer(Settings(), lambda: None) is None
    s = Settings()
    s.feishu.app_id, s.feishu.app_secret = "cli_x", SecretStr("y")
    assert make_deliverer(s, lambda: None) is not None
