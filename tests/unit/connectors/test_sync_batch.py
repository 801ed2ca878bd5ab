"""Building and encoding a batch: dedupe, void and unstorable records, raw copies, escaping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import orjson

from connectors.records import SourceRecord
from connectors.sync_batch import MAX_RAW, Batch, BatchWriter, Group, Rejected, raw_json
from store.facts_upsert import encode


def rec(
    record_id: str, metric: str = "sales_amount", value: str = "10", **extra: Any
) -> SourceRecord:
    raw = extra.pop("raw", None) or {"id": record_id, "amount": value}
    fields: dict[str, Any] = {
        "source": "crm",
        "record_id": record_id,
        "metric": metric,
        "value": Decimal(value),
        "occurred_on": date(2026, 11, 3),
        "employee_key": "ana@x.example",
        "employee_key_kind": "email",
        "link": None,
        "raw": raw,
    }
    return SourceRecord(**(fields | extra))


def test_the_last_version_of_a_record_wins_and_source_records_are_counted() -> None:
    batch = Batch()
    first = rec("D-1", value="10")
    assert batch.add_records([first, rec("D-2")]) == 2
    newer = {"id": "D-1", "amount": "12"}
    both = [rec("D-1", "sales_amount", "12", raw=newer), rec("D-1", "deals", "1", raw=newer)]
    assert batch.add_records(both) == 1  # two metrics of one source record
    assert list(batch.entries) == ["D-2", "D-1"]
    group = batch.entries["D-1"]
    assert isinstance(group, Group) and [r.value for r in group.live] == [12, 1]
    assert batch.size == 3 and batch.first_day == batch.last_day == date(2026, 11, 3)


def test_void_and_unstorable_records_are_set_apart_with_the_reason() -> None:
    batch = Batch()
    batch.add_records([rec("V-1", void=True)])
    batch.add_records([rec("X" * 129)])
    batch.add_records([rec("B-1", value="100000000000000")])
    reasons = {
        k: [why for _, why in g.dead] for k, g in batch.entries.items() if isinstance(g, Group)
    }
    assert reasons["V-1"] == [None]  # void at the source: no complaint
    assert reasons["X" * 129] == ["record id longer than 128 characters"]
    assert reasons["B-1"][0] is not None and "out of range" in reasons["B-1"][0]
    batch.add_rejected(Rejected({"oops": 1}, "no record id at id", None))
    assert any(k.startswith("raw:") for k in batch.entries)


def test_raw_copies_are_trimmed_hashed_whole_and_safe_for_postgres() -> None:
    big = {"id": "D-9", "notes": "x" * 10_000, "nested": {"a": [1, 2, 3]}, "n": 5}
    data, digest = raw_json(big)
    kept = orjson.loads(data)
    assert len(data) <= MAX_RAW and kept["_trimmed"] and kept["nested"] == "…" and kept["n"] == 5
    assert len(kept["notes"]) == 200
    assert digest == raw_json(big)[1] != raw_json({**big, "n": 6})[1]  # the whole record counts
    assert b"\\u0000" not in raw_json({"id": "nul\x00here"})[0]


def test_encoding_for_each_database() -> None:
    writer = BatchWriter("crm")
    writer._emails = {"ana@x.example": 7}  # as preload() leaves them
    writer._preloaded = True
    batch = Batch()
    batch.add_records([rec("A\t1\\b\n", raw={"id": "A\t1", "q": 'say "hi"'})])
    batch.add_records([rec("A-2", employee_key="nobody@x.example")])
    sqlite = writer.prepare(batch, "sqlite")
    row = orjson.loads(sqlite.facts.payload or "[]")[0]
    assert row[:6] == [7, "sales_amount", 10.0, "2026-11-03", "crm", "A\t1\\b\n"]
    assert row[7] == {"id": "A\t1", "q": 'say "hi"'}  # embedded as JSON, not as a string
    assert [a.reason for a in sqlite.aside] == ["no employee with e-mail nobody@x.example"]
    assert sqlite.dead == [("A-2", "sales_amount")]
    copy = writer.prepare(batch, "postgresql").facts.payload
    assert isinstance(copy, bytes)
    fields = copy.decode().rstrip("\n").split("\t")
    assert fields[:7] == ["7", "sales_amount", "10", "2026-11-03", "crm", "A\\t1\\\\b\\n", "\\N"]
    assert fields[7] == '{"id":"A\\\\t1","q":"say \\\\"hi\\\\""}'  # JSON's backslashes doubled
    assert encode("sqlite", []).payload == "[]"
