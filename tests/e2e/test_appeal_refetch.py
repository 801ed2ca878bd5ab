"""An appeal card asks the real sources again: the runtime built with PERFBOT_SOURCES pointing
at the demo's sample server (the systems the demo's facts were synced from), no fakes between."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.bootstrap import build
from bot.config import Settings
from bot.demo.seed import demo_today
from bot.demo.source_server import DemoSourceServer
from bot.demo.sources import DEMO_ENV, demo_sources, live_sources
from bot.demo.vendor_shapes import COLLECTIONS
from bot.runtime import Runtime
from handlers.format import num
from tests.e2e.social_support import MANAGER, REPORT, World, only_notice_to


@dataclass
class Live:
    world: World
    server: DemoSourceServer

    def record(self, collection: str, record_id: str) -> dict[str, Any]:
        assert collection in COLLECTIONS
        return next(r for r in self.server.data[collection] if str(r["id"]) == record_id)


@pytest.fixture
def live(
    demo: Runtime, clock: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Live]:
    for name, value in DEMO_ENV.items():
        monkeypatch.setenv(name, value)  # secrets come from the environment, as in production
    with live_sources(demo.uow, demo_today(demo.uow, clock())) as (server, _):
        path = tmp_path / "sources.yaml"
        path.write_text(yaml.safe_dump({"sources": demo_sources(server.url)}), encoding="utf-8")
        rt = build(Settings(database_url=demo.settings.database_url, sources=path), clock=clock)
        world = World(rt)
        # the real re-fetch the runtime was built with, not World's fake source
        world.dispatcher = world.dispatcher.with_deps(refetch=rt.dispatcher._deps["refetch"])
        yield Live(world, server)
        rt.engine.dispose()


def test_the_card_compares_every_record_with_what_its_source_says_now(live: Live) -> None:
    world = live.world
    first, second, third = world.facts(REPORT, "sales_amount")[:3]
    live.record("deals", first.record_id)["properties"]["amount"] = str(first.value + 250)
    live.record("deals", second.record_id)["archived"] = True
    reply = world.run(REPORT, "/appeal sales two deals were booked twice")
    card = only_notice_to(world, reply, MANAGER)
    lines = {line.split(" · ")[1]: line for line in card.lines if " · crm " in line}
    changed = f"source now says {num(first.value + 250)} (+250)"
    assert lines[f"crm {first.record_id}"].endswith(changed)
    assert lines[f"crm {second.record_id}"].endswith(" · no longer in the source")
    assert lines[f"crm {third.record_id}"].endswith(" · source agrees")
    assert "Fresh from the sources: 2 records differ from what was scored." in card.lines


def test_ratings_come_back_through_the_helpdesk_wrapper_and_agree(live: Live) -> None:
    world = live.world
    reply = world.run(REPORT, "/appeal csat two ratings are not mine")
    card = only_notice_to(world, reply, MANAGER)
    records = [line for line in card.lines if " · helpdesk " in line]
    assert records and all(line.endswith(" · source agrees") for line in records)
    assert "Fresh from the sources: every record shown matches what was scored." in card.lines


def test_a_source_that_went_away_is_noted_and_the_appeal_still_opens(live: Live) -> None:
    live.server.__exit__()
    reply = live.world.run(REPORT, "/appeal sales two deals are missing")
    assert reply.ok
    card = only_notice_to(live.world, reply, MANAGER)
    assert any("couldn't ask the source" in line for line in card.lines)
