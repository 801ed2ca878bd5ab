"""State, outbox rows and audit events commit together or not at all."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from store import audit
from store.db import session_factory
from store.models import AuditEvent, Branch, Outbox
from store.schema import SchemaBehind, ensure_current, upgrade
from store.uow import KeptConnection, UnitOfWork
from tests.integration.store.test_audit_chain import tamper


def _uow(engine, clock) -> UnitOfWork:  # type: ignore[no-untyped-def]
    return UnitOfWork(session_factory(engine), clock)


def _count(engine, model) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_commit_writes_state_outbox_and_audit_together(engine, clock):
    with _uow(engine, clock) as uow:
        uow.session.add(Branch(name="HQ", timezone="Asia/Shanghai"))
        uow.enqueue(dedupe_key="k1", kind="test", payload={"title": "hi"}, channel="#x")
        uow.audit(actor="t", action="branch.create", entity="branch", entity_id=1)
        uow.commit()
    assert (_count(engine, Branch), _count(engine, Outbox), _count(engine, AuditEvent)) == (1, 1, 1)


def test_failure_before_commit_leaves_nothing(engine, clock):
    with pytest.raises(RuntimeError), _uow(engine, clock) as uow:
        uow.session.add(Branch(name="HQ", timezone="Asia/Shanghai"))
        uow.enqueue(dedupe_key="k1", kind="test", payload={})
        uow.audit(actor="t", action="branch.create", entity="branch")
        raise RuntimeError("crash between change and commit")
    assert (_count(engine, Branch), _count(engine, Outbox), _count(engine, AuditEvent)) == (0, 0, 0)


def test_outbox_dedupe_key_makes_enqueue_idempotent(engine, clock):
    with _uow(engine, clock) as uow:
        assert uow.enqueue(dedupe_key="nudge:1:w47", kind="nudge", payload={}) is True
        uow.commit()
    with _uow(engine, clock) as uow:
        assert uow.enqueue(dedupe_key="nudge:1:w47", kind="nudge", payload={}) is False
        uow.commit()
    assert _count(engine, Outbox) == 1


def test_a_reading_unit_of_work_reads_but_never_commits(engine, clock):
    uow = _uow(engine, clock)
    with uow:
        uow.session.add(Branch(name="HQ", timezone="Asia/Shanghai"))
        uow.commit()
    with uow.reading():
        assert uow.session.scalar(select(Branch.name)) == "HQ"
        with pytest.raises(RuntimeError, match="read-only"):
            uow.commit()
        uow.rollback()  # still reading afterwards
        assert uow.session.scalar(select(Branch.timezone)) == "Asia/Shanghai"
    with uow:  # out of reading() a transaction again: nothing stays without commit()
        uow.session.add(Branch(name="Shenzhen", timezone="Asia/Shanghai"))
        uow.session.flush()
    assert _count(engine, Branch) == 1
    with uow:
        uow.session.add(Branch(name="Shenzhen", timezone="Asia/Shanghai"))
        uow.commit()
    assert _count(engine, Branch) == 2


def test_readers_do_not_queue_behind_a_writer(engine, clock):
    """On SQLite a writer holds the write lock until it commits; a reading unit of work
    takes no lock, so it reads (what was committed) at once instead of waiting."""
    with _uow(engine, clock) as writer:
        writer.session.add(Branch(name="HQ", timezone="Asia/Shanghai"))
        writer.session.flush()
        started = time.monotonic()
        with _uow(engine, clock).reading() as reader:
            assert reader.session.scalar(select(func.count()).select_from(Branch)) == 0
        assert time.monotonic() - started < 5  # busy_timeout is 30 s
        writer.commit()
    assert _count(engine, Branch) == 1


def test_reads_on_a_kept_connection_see_every_commit_and_survive_a_failure(engine, clock):
    """The Slack app's event loop reads on one kept connection: each read sees what was
    committed since (no snapshot held between reads); a read that fails drops it and the
    next one opens another; writing units of work never use it."""
    kept = KeptConnection(engine)

    def branches() -> int:
        with _uow(engine, clock).reads_on(kept).reading() as reader:
            return int(reader.connection.scalar(select(func.count()).select_from(Branch)))

    assert branches() == 0
    first = kept.take()
    with _uow(engine, clock).reads_on(kept) as writer:  # not reading(): a transaction
        writer.session.add(Branch(name="HQ", timezone="Asia/Shanghai"))
        writer.commit()
    assert branches() == 1 and kept.take() is first  # the same connection, fresh data
    with pytest.raises(ZeroDivisionError), _uow(engine, clock).reads_on(kept).reading() as r:
        r.session.scalar(select(Branch.name))  # a session on the kept connection, too
        _ = 1 / 0
    assert kept.take() is not first and branches() == 1
    kept.close()


def test_a_kept_sqlite_connection_waits_briefly_for_a_busy_database(engine, clock):
    """The event loop reads on the kept connection: should the database ever be busy for
    a reader (in WAL mode only a checkpoint or a recovery does that), the read fails in a
    quarter of a second (an apology) rather than stall the loop for the writers' 30 s;
    the pool's connections keep their long wait, the kept one never returns to the pool."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's busy timeout")
    kept = KeptConnection(engine)
    with _uow(engine, clock).reads_on(kept).reading() as reader:
        assert reader.connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 250
    kept.close()
    with engine.connect() as pooled:
        assert pooled.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def _events(engine, clock, n: int) -> None:  # type: ignore[no-untyped-def]
    with _uow(engine, clock) as uow:
        for i in range(n):
            uow.audit(
                actor="hr@x.example",
                action="kpi.approve",
                entity="goal",
                entity_id=i,
                before={"target": "100000.00"},
                after={"target": 80000},
            )
        uow.commit()


def test_audit_chain_verifies_then_detects_an_edit(engine, clock):
    _events(engine, clock, 5)
    with _uow(engine, clock) as uow:
        assert audit.verify(uow.session).first_bad_id is None
        assert audit.verify(uow.session).checked == 5
    tamper(engine, "UPDATE audit_event SET actor = 'mallory' WHERE id = 3")
    with _uow(engine, clock) as uow:
        report = audit.verify(uow.session)
    assert report.first_bad_id == 3 and "edited" in report.problem


def test_audit_chain_detects_a_deleted_event(engine, clock):
    _events(engine, clock, 4)
    tamper(engine, "DELETE FROM audit_event WHERE id = 2")
    with _uow(engine, clock) as uow:
        report = audit.verify(uow.session)
    assert report.first_bad_id == 3 and "missing" in report.problem


def test_schema_behind_is_refused_with_the_command_to_run(tmp_path):
    from store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with pytest.raises(SchemaBehind, match="perfbot db upgrade"):
        ensure_current(engine)
    upgrade(engine)
    ensure_current(engine)
