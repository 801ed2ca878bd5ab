"""GET /metrics on the real serving app (`perfbot serve slack`'s server): commands, a
delivery run through its own outbox loop, and a sync, each moving what they should."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy import select

from connectors.sync import sync_all
from handlers.cards import Card
from handlers.identity import ChatAccount, link_identity
from handlers.notify import notify
from store.models import Employee
from tests.conftest import NOW
from tests.e2e.slack.conftest import ANA, serving
from tests.fakes.scrape import scrape, value
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.vendor_data import ENV


def queue_notice(demo, key: str) -> None:  # type: ignore[no-untyped-def]
    with demo.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == "ana.li@acme.example"))
        link_identity(uow, ChatAccount("slack", ANA), ana.id)
        notify(uow, kind="t", dedupe_key=key, card=Card(title=key), recipient_id=ana.id)
        uow.commit()


def test_metrics_move_with_commands_deliveries_and_syncs(demo, fake, clock, tmp_path: Path):
    with serving(demo, fake, outbox=True) as slack:
        url = slack.url + "/metrics"
        before = scrape(url)
        assert value(before, "perfbot_health_up") == 1
        assert value(before, "perfbot_commands_total", platform="slack", command="score",
                     outcome="ok") == 0  # fmt: skip

        assert slack.command(ANA, "score").status_code == 200
        assert slack.command(ANA, "no-such-command").status_code == 200
        slack.drain()
        after = scrape(url)
        ok = {"platform": "slack", "command": "score", "outcome": "ok"}
        assert value(after, "perfbot_commands_total", **ok) == 1
        bad = {"platform": "slack", "command": "invalid", "outcome": "not_ok"}
        assert value(after, "perfbot_commands_total", **bad) == 1
        assert value(after, "perfbot_command_seconds_count", platform="slack") == 2

        # A delivery run: the serving process's own outbox loop sends the notice.
        sent_before = value(scrape(url), "perfbot_outbox_deliveries_total", platform="slack")
        queue_notice(demo, "metrics-hello")
        deadline = time.monotonic() + 60
        # Counted once the row is marked sent, right after Slack answered.
        while value(scrape(url), "perfbot_outbox_deliveries_total", platform="slack") <= (
            sent_before
        ) or not any(p["text"] == "metrics-hello" for p in fake.of("chat.postMessage")):
            assert time.monotonic() < deadline, "the notice was not delivered"
            time.sleep(0.1)
        delivered = scrape(url)
        assert value(delivered, "perfbot_outbox_deliveries_total", platform="slack") > sent_before
        assert ("perfbot_outbox_pending", frozenset()) in delivered

        # A sync (run anywhere on this database) moves the source's last success.
        synced_before = value(after, "perfbot_sync_last_success_timestamp_seconds", source="crm")
        clock.now = NOW + timedelta(hours=1)
        vendor = FakeVendor().start()
        try:
            path = tmp_path / "sources.yaml"
            crm = {"name": "crm", "preset": "hubspot_deals", "base_url": vendor.url,
                   "vars": {"portal": "4242"}}  # fmt: skip
            path.write_text(yaml.safe_dump({"sources": [crm]}))
            report = sync_all(uow=demo.uow, sources=path, environ=ENV)
        finally:
            vendor.stop()
        assert report.ok, report
        synced = value(scrape(url), "perfbot_sync_last_success_timestamp_seconds", source="crm")
        assert synced == (NOW + timedelta(hours=1)).timestamp() > synced_before
