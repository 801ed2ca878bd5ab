"""The audit chain against someone who can write to the database: a keyed link, anchors of
the head outside the database, erasure that keeps the chain, and (PostgreSQL) a table the
application cannot edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import DBAPIError

from store import audit, audit_anchor
from store.db import session_factory
from store.models import AuditEvent
from store.uow import UnitOfWork

KEY = b"k" * 32


def _uow(engine: Engine, clock: object, key: bytes | None = KEY) -> UnitOfWork:
    return UnitOfWork(session_factory(engine), clock, key)  # type: ignore[arg-type]


def _events(engine: Engine, clock: object, n: int, key: bytes | None = KEY) -> None:
    with _uow(engine, clock, key) as uow:
        for i in range(n):
            uow.audit(
                actor="hr@x.example",
                action="appeal.reject",
                entity="appeal",
                entity_id=i,
                before={"status": "open"},
                after={"reason": f"the figure {i} is right"},
            )
        uow.commit()


def _verify(engine: Engine, clock: object, key: bytes | None = KEY) -> audit.ChainReport:
    with _uow(engine, clock, key) as uow:
        return audit.verify(uow.session, key)


def tamper(engine: Engine, *sql: str) -> None:
    """Statements as the database's owner would run them, triggers off (PostgreSQL's
    guard stops the application's own role; an owner can still switch it off)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for s in sql:
            conn.execute(text(s))


def test_a_keyed_chain_verifies_and_its_links_are_not_plain_hashes(engine, clock):
    _events(engine, clock, 3)
    report = _verify(engine, clock)
    assert (report.first_bad_id, report.checked) == (None, 3)
    assert report.head is not None and report.head.count == 3
    with engine.connect() as conn:
        ev = conn.execute(select(AuditEvent).where(AuditEvent.id == 1)).one()
    assert ev.keyed and ev.digest and ev.salt
    plain = audit.link(None, ev.prev_hash, ev.at, ev.action, ev.entity, ev.entity_id, ev.digest)
    assert ev.hash != plain, "without the key nobody can recompute a link"
    missing = _verify(engine, clock, key=None)
    assert missing.first_bad_id == 1 and "PERFBOT_AUDIT_KEY" in missing.problem


def test_an_edit_rehashed_without_the_key_is_caught(engine, clock):
    _events(engine, clock, 4)
    with engine.connect() as conn:
        ev = conn.execute(select(AuditEvent).where(AuditEvent.id == 2)).one()
    forged_after = {"reason": "nothing to see"}
    digest = audit.content_digest(ev.salt, ev.actor, ev.before, forged_after)
    link = audit.link(b"guess", ev.prev_hash, ev.at, ev.action, ev.entity, ev.entity_id, digest)
    tamper(
        engine,
        'UPDATE audit_event SET after = \'{"reason": "nothing to see"}\', '
        f"digest = '{digest}', hash = '{link}' WHERE id = 2",
    )
    report = _verify(engine, clock)
    assert report.first_bad_id == 2 and "audit key" in report.problem


def test_content_edited_in_place_is_caught(engine, clock):
    _events(engine, clock, 3)
    tamper(engine, "UPDATE audit_event SET actor = 'mallory@x.example' WHERE id = 3")
    report = _verify(engine, clock)
    assert report.first_bad_id == 3 and "content edited" in report.problem


def test_anchors_catch_the_newest_events_deleted_and_everything_deleted(
    engine, clock, tmp_path: Path
):
    anchors = tmp_path / "anchors.jsonl"
    _events(engine, clock, 5)
    with _uow(engine, clock) as uow:
        written = audit_anchor.anchor_head(uow.session, anchors, KEY, clock())
    assert written is not None and (written.count, written.last_id) == (5, 5)
    _events(engine, clock, 2)  # events after the anchor are fine
    anchor = audit_anchor.latest(anchors, KEY)
    assert anchor == written
    with engine.connect() as conn, session_factory(engine)(bind=conn) as s:
        assert audit_anchor.check(s, anchor) == ""

    tamper(engine, "DELETE FROM audit_event WHERE id >= 4")
    assert _verify(engine, clock).first_bad_id is None, "the chain alone can't see it"
    with session_factory(engine)() as s:
        assert "newest events were deleted" in audit_anchor.check(s, anchor)

    tamper(engine, "DELETE FROM audit_event")
    assert _verify(engine, clock).checked == 0
    with session_factory(engine)() as s:
        assert "event 5" in audit_anchor.check(s, anchor)


def test_an_altered_anchor_line_is_refused(engine, clock, tmp_path: Path):
    anchors = tmp_path / "anchors.jsonl"
    _events(engine, clock, 2)
    with _uow(engine, clock) as uow:
        audit_anchor.anchor_head(uow.session, anchors, KEY, clock())
    anchors.write_text(anchors.read_text().replace('"count": 2', '"count": 1'))
    with pytest.raises(audit_anchor.AnchorError, match="altered"):
        audit_anchor.latest(anchors, KEY)
    anchors.write_text("not json\n")
    with pytest.raises(audit_anchor.AnchorError, match="not an anchor"):
        audit_anchor.latest(anchors, KEY)


def test_erasure_clears_content_and_the_chain_still_verifies(engine, clock):
    _events(engine, clock, 3)
    with _uow(engine, clock) as uow:
        assert audit.erase_content(uow.session, [1, 2], "erased-person-7") == 2
        uow.audit(
            actor="dpo@x.example",
            action=audit.ERASE_ACTION,
            entity="employee",
            entity_id=7,
            after={"events": [1, 2]},
        )
        uow.commit()
    report = _verify(engine, clock)
    assert (report.first_bad_id, report.checked, report.erased) == (None, 4, 2)
    with engine.connect() as conn:
        rows = conn.execute(select(AuditEvent.actor, AuditEvent.after).order_by(AuditEvent.id))
        assert [tuple(r) for r in rows][:2] == [("erased-person-7", None)] * 2


def test_content_cleared_without_an_erasure_event_is_caught(engine, clock):
    _events(engine, clock, 2)
    with _uow(engine, clock) as uow:
        audit.erase_content(uow.session, [2], "x")
        uow.commit()
    report = _verify(engine, clock)
    assert report.first_bad_id == 2 and "no erasure event" in report.problem


def test_events_from_before_the_key_still_verify_but_not_after_keyed_ones(engine, clock):
    at = clock()
    legacy = audit.legacy_hash(audit.GENESIS, at, "a@x", "x.y", "goal", "1", None, None)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_event (at, actor, action, entity, entity_id, keyed, erased, "
                "prev_hash, hash) VALUES (:at, 'a@x', 'x.y', 'goal', '1', false, false, :p, :h)"
            ),
            {"at": at, "p": audit.GENESIS, "h": legacy},
        )
    _events(engine, clock, 2)
    assert _verify(engine, clock).first_bad_id is None
    _events(engine, clock, 1, key=None)  # someone appending without the key afterwards
    report = _verify(engine, clock)
    assert report.first_bad_id == 4 and "unkeyed event after keyed" in report.problem


def _refused(conn: Connection, sql: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text(sql))


def test_postgresql_refuses_edits_of_the_audit_table(engine: Engine, clock):
    if engine.dialect.name != "postgresql":
        pytest.skip("the guard is a PostgreSQL trigger (SQLite has no roles to keep apart)")
    _events(engine, clock, 2)
    for sql in (
        "UPDATE audit_event SET actor = 'mallory' WHERE id = 1",
        "UPDATE audit_event SET hash = 'x', erased = true WHERE id = 1",
        "DELETE FROM audit_event WHERE id = 2",
        "TRUNCATE audit_event",
    ):
        with engine.begin() as conn:
            _refused(conn, sql)
    with engine.begin() as conn:  # an erasure (content only) is what it lets through
        conn.execute(
            text("UPDATE audit_event SET actor = 'gone', after = NULL, erased = true WHERE id = 1")
        )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar() == 2
