"""Issue 17: a notice is delivered in its reader's language, so the platform's own words
on it (its "…and 3 more", its form buttons) match the card."""

from __future__ import annotations

from sqlalchemy import update

from bot.outbox_dispatcher import DispatchPolicy, OutboxDispatcher
from handlers.i18n import current
from store.models import Branch, Employee
from tests.integration.outbox.support import (
    FakePlatform,
    VirtualTime,
    make_people,
    queue,
    uow_factory,
)


def test_each_notice_is_delivered_in_its_readers_language(engine, clock):
    uow = uow_factory(engine, clock)
    english, chinese, by_branch = make_people(uow(), 3)
    with uow() as u:
        u.session.execute(update(Employee).where(Employee.id == chinese).values(locale="zh_CN"))
        branch_id = u.session.get(Employee, by_branch).branch_id
        u.session.execute(update(Branch).where(Branch.id == branch_id).values(locale="zh_CN"))
        u.session.execute(update(Employee).where(Employee.id == english).values(locale="en"))
        u.commit()
    queue(uow(), [english, chinese, by_branch])
    spoken: dict[int | None, str] = {}

    def script(n, target, card):  # type: ignore[no-untyped-def]
        spoken[target.employee_id] = current()
        return None

    policy = DispatchPolicy(max_attempts=3, backoff_seconds=10, jitter=0)
    vt = VirtualTime()
    OutboxDispatcher(uow, [FakePlatform(script)], policy, monotonic=vt.monotonic,
                     sleep=vt.sleep).run_sync()  # fmt: skip
    assert spoken == {english: "en", chinese: "zh_CN", by_branch: "zh_CN"}
