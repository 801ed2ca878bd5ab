"""A corrected figure whose source records change later: the manager is told, once (R4)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from bot.ingest.app import store_push
from bot.sync_job import rescore_after
from connectors.records import SourceRecord
from connectors.sync import SyncSummary
from handlers.appeals.correction_watch import watch_corrections
from handlers.format import num, plural
from handlers.strings_en import RECORDS
from store.models import MetricFact
from tests.conftest import NOW
from tests.e2e.social_support import MANAGER, REPORT, World, opened_id, text_of


@pytest.fixture
def world(demo):  # type: ignore[no-untyped-def]
    return World(demo)


def corrected_sales(world: World) -> tuple[int, list[MetricFact]]:
    """Ana's Sales corrected to 1,180,000 by an accepted appeal; its id and the records."""
    appeal_id = opened_id(world.run(REPORT, "/appeal sales D-77 is missing"))
    done = world.run(MANAGER, f"press ap:acc {appeal_id} value=1.18m")
    assert done.ok, text_of(done.cards[0])
    return appeal_id, world.facts(REPORT, "sales_amount")


def pushed(fact: MetricFact, value: Decimal, *, void: bool = False) -> SourceRecord:
    """The same source record, as the source sends it again."""
    return SourceRecord(
        source=fact.source,
        record_id=fact.record_id,
        metric=fact.metric,
        value=value,
        occurred_on=fact.occurred_on,
        employee_key=REPORT,
        employee_key_kind="email",
        link=fact.link,
        raw={"id": fact.record_id, "amount": str(value)},
        void=void,
    )


def test_a_changed_record_behind_a_correction_is_told_to_the_manager_once(world):
    appeal_id, facts = corrected_sales(world)
    old_total = sum((f.value for f in facts), Decimal(0))
    # Nothing changed at the source: nothing to tell.
    assert watch_corrections(world.rt.uow(), world.scoring) == 0
    world.move_to(NOW + timedelta(hours=1))
    changed = pushed(facts[0], facts[0].value + 1000)
    counts = store_push(world.rt.uow(), world.scoring, facts[0].source, [changed])
    assert counts.changed == 1
    [row] = world.outbox("correction:%:source")
    assert row.recipient_id == world.person(MANAGER).id and row.kind == "correction.source"
    card = row.payload
    assert card["title"] == "Source changed a corrected figure: Ana Li · Sales · 2026-11"
    assert card["lines"][0] == (
        f"Sales of Ana Li for 2026-11 was corrected by appeal #{appeal_id} "
        f"({num(old_total)} → 1,180,000). Its source records have changed since: "
        f"{plural(len(facts), RECORDS)} totalling {num(old_total)} then, "
        f"{plural(len(facts), RECORDS)} totalling {num(old_total + 1000)} now."
    )
    assert card["lines"][1].endswith(f"/explain sales_amount {REPORT} 2026-11")
    # The correction still stands, and the score still uses it.
    assert Decimal(str(world.dimension(REPORT, "sales_amount")["actual"])) == 1_180_000
    [fix] = world.corrections()
    assert fix.active and fix.source_changed_at == NOW + timedelta(hours=1)
    [event] = world.audit("correction.source_changed")
    assert event.entity_id == str(fix.id) and event.after["told"] == MANAGER
    # Once: further changes (a void this time) and later sync runs tell nobody again.
    store_push(
        world.rt.uow(), world.scoring, facts[1].source, [pushed(facts[1], Decimal(1), void=True)]
    )
    summary = SyncSummary(source="crm", changed=1, complete=True)
    rescore_after(world.rt.uow, world.scoring, [summary])
    assert len(world.outbox("correction:%:source")) == 1
    assert len(world.audit("correction.source_changed")) == 1


@pytest.mark.parametrize("how", ["void", "new"])
def test_voided_and_new_records_count_as_changes_too(world, how):
    _, facts = corrected_sales(world)
    first = facts[0]
    if how == "void":
        record = pushed(first, first.value, void=True)
    else:
        record = pushed(first, Decimal(5000))
        record = SourceRecord(**{**_fields(record), "record_id": "D-NEW-1"})
    store_push(world.rt.uow(), world.scoring, first.source, [record])
    assert len(world.outbox("correction:%:source")) == 1


def test_unrelated_records_tell_nobody(world):
    corrected_sales(world)
    csat = world.facts(REPORT, "csat_good")[0]
    store_push(world.rt.uow(), world.scoring, csat.source, [pushed(csat, csat.value + 1)])
    assert world.outbox("correction:%:source") == []


def _fields(record: SourceRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in SourceRecord.__dataclass_fields__}
