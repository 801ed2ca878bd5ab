"""Linking by mobile: someone whose Feishu e-mail matches no one is linked by the mobile
number the contact API shares (e-mail first, always), and a notice to someone never seen
finds their open_id by mobile when their e-mail finds no one."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update

from bot.delivery import DeliveryError, Target
from bot.feishu.api import FeishuApi
from bot.feishu.deliver import FeishuDeliverer
from handlers.cards import Card
from store.models import ChatIdentity, Employee
from tests.e2e.feishu.conftest import ANA, STRANGER, feishu_settings, text_of
from tests.fakes.feishu_open_api import FakeFeishu

ZHOU_MOBILE = "+8613800138000"


def _deliverer(fake: FakeFeishu, uow) -> FeishuDeliverer:  # type: ignore[no-untyped-def]
    api = FeishuApi(feishu_settings(fake))
    api.forget_token()  # the SDK's token cache is per process; each fake issues its own
    return FeishuDeliverer(api, uow)


def _give_mobile(rt, email: str, mobile: str) -> int:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        uow.session.execute(update(Employee).where(Employee.email == email).values(mobile=mobile))
        emp = uow.session.scalar(select(Employee.id).where(Employee.email == email))
        uow.commit()
    assert emp is not None
    return emp


def _linked(rt, open_id: str) -> int | None:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return uow.session.scalar(
            select(ChatIdentity.employee_id).where(ChatIdentity.platform_user_id == open_id)
        )


def test_no_matching_e_mail_but_a_matching_mobile_links_the_person(fs):
    zhou = _give_mobile(fs.rt, "zhou.tao@acme.example", ZHOU_MOBILE)
    fs.fake.users[STRANGER]["mobile"] = "13800138000"  # a mainland number without its +86
    [call] = fs.say(STRANGER, "/score")
    assert text_of(call).startswith("Score · Zhou Tao")
    assert _linked(fs.rt, STRANGER) == zhou


def test_an_e_mail_match_wins_over_a_mobile_match(fs):
    _give_mobile(fs.rt, "zhou.tao@acme.example", ZHOU_MOBILE)
    fs.fake.users[ANA]["mobile"] = ZHOU_MOBILE  # whatever the directory says, e-mail first
    [call] = fs.say(ANA, "/score")
    assert text_of(call).startswith("Score · Ana Li")


def test_no_e_mail_and_no_mobile_on_file_says_so(fs):
    fs.fake.users[STRANGER]["mobile"] = "+8613900139000"
    [call] = fs.say(STRANGER, "/score")
    assert "eve@elsewhere.example" in text_of(call) and "mobile" in text_of(call)
    assert "+86139" not in text_of(call)  # the number itself is not repeated back
    assert _linked(fs.rt, STRANGER) is None


def test_a_notice_finds_someone_never_seen_by_mobile(fake, demo_rt):
    zhou = _give_mobile(demo_rt, "zhou.tao@acme.example", ZHOU_MOBILE)
    fake.users[STRANGER]["mobile"] = ZHOU_MOBILE
    d = _deliverer(fake, demo_rt.uow)
    target = Target(zhou, "zhou@old-domain.example", "Zhou Tao", mobile=ZHOU_MOBILE)
    assert d.can_reach(target)
    ref = asyncio.run(d.deliver(target, Card("Heads up", ("Your goal is at risk.",))))
    [lookup] = fake.called("batch_get_id")
    assert lookup.body == {
        "emails": ["zhou@old-domain.example"],
        "mobiles": [ZHOU_MOBILE, "13800138000"],  # E.164, and as a mainland number
    }
    assert ref.startswith(f"{STRANGER}:om_") and _linked(demo_rt, STRANGER) == zhou


def test_a_notice_to_someone_found_neither_way_is_unreachable(fake, demo_rt):
    target = Target(1, "nobody@acme.example", "Nobody", mobile="+8613700137000")
    with pytest.raises(DeliveryError) as gone:
        asyncio.run(_deliverer(fake, demo_rt.uow).deliver(target, Card("Hi")))
    assert gone.value.unreachable and "+86" not in str(gone.value)
