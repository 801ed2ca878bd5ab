"""Why a row failed is kept as words (said.to_data) next to its English, so `perfbot outbox`
says it in the operator's language; the English column reads exactly as before."""

from __future__ import annotations

import re

from click.testing import CliRunner
from sqlalchemy import select

from bot import strings as bs
from bot.cli import main
from bot.delivery import DeliveryError
from bot.outbox_dispatcher import DispatchPolicy, OutboxDispatcher
from said import Said, from_data
from store.models import Outbox
from tests.integration.outbox.support import (
    FakePlatform,
    VirtualTime,
    make_people,
    queue,
    uow_factory,
)

SENTENCE = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
POLICY = DispatchPolicy(max_attempts=1, backoff_seconds=10, backoff_max_seconds=60, jitter=0)


def failed_row(engine, clock, error: DeliveryError) -> Outbox:  # type: ignore[no-untyped-def]
    uow = uow_factory(engine, clock)
    (person,) = make_people(uow(), 1)
    queue(uow(), [person])
    fake = FakePlatform(lambda n, t, c: error)
    vt = VirtualTime()
    OutboxDispatcher(uow, [fake], POLICY, monotonic=vt.monotonic, sleep=vt.sleep).run_sync()
    with uow() as u:
        (row,) = u.session.scalars(select(Outbox).where(Outbox.status == "failed"))
        return row


def outbox_text(db_url: str, locale: str) -> str:
    env = {"PERFBOT_LOCALE": locale, "LC_ALL": None, "LANG": None}
    result = CliRunner().invoke(main, ["outbox", "--status", "failed", "--db", db_url], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_said_reason_is_kept_and_said_in_chinese(engine, clock, db_url):  # type: ignore[no-untyped-def]
    row = failed_row(engine, clock, DeliveryError(Said(bs.NO_SLACK_IDENTITY), permanent=True))
    assert row.last_error == "fake: no Slack identity"  # as the dispatcher always wrote it
    said = from_data(row.last_error_said)
    assert said == row.last_error and said is not None and said.msgid == bs.OUTBOX_FAILED_ON
    assert "        ! fake: no Slack identity" in outbox_text(db_url, "en")
    zh = outbox_text(db_url, "zh_CN")
    assert "! fake：没有 Slack 身份" in zh, zh
    assert not SENTENCE.findall(zh.split("\n", 1)[1]), zh


def test_retries_used_up_are_said_too(engine, clock, db_url):  # type: ignore[no-untyped-def]
    row = failed_row(engine, clock, DeliveryError("HTTP 500"))
    assert row.last_error == "gave up after 1 attempts: fake: HTTP 500"
    assert "尝试 1 次后放弃：fake：HTTP 500" in outbox_text(db_url, "zh_CN")


def test_a_reason_stored_before_keeps_its_english(engine, clock, db_url):  # type: ignore[no-untyped-def]
    failed_row(engine, clock, DeliveryError("bad blocks", permanent=True))
    with uow_factory(engine, clock)() as u:
        row = u.session.scalars(select(Outbox)).one()
        row.last_error, row.last_error_said = "slack: an older row", None
        u.commit()
    assert "! slack: an older row" in outbox_text(db_url, "zh_CN")
