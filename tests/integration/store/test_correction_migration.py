"""The `appeals` migration: the figure_correction table as the model has it, and corrections
stored the old way (a made-up `appeal:<id>` fact) turned into explicit ones."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import insert, select, text

from store.models import Appeal, Branch, Employee, FigureCorrection, MetricFact, Period
from store.schema import upgrade
from tests.integration.store.migration_steps import drift, migrate

AT = datetime(2026, 11, 19, 8, tzinfo=UTC)


def test_the_new_table_matches_its_model(engine):
    # Only this migration's table: on PostgreSQL the initial schema lacks team.manager_id's
    # foreign key (use_alter), which is not this migration's to fix.
    assert drift(engine, "figure_correction") == []


def test_old_correction_facts_become_explicit_corrections(engine):
    migrate(engine, "downgrade", "0001")
    with engine.begin() as conn:
        conn.execute(insert(Branch.__table__).values(id=1, name="HQ", timezone="UTC", is_hq=True))
        for emp, name in ((1, "ana"), (2, "chen")):
            conn.execute(
                insert(Employee.__table__).values(
                    id=emp,
                    email=f"{name}@x.example",
                    name=name,
                    title="",
                    branch_id=1,
                    role="employee",
                    active=True,
                )
            )
        conn.execute(
            insert(Period.__table__).values(
                id=1,
                key="2026-11",
                kind="month",
                starts_on=date(2026, 11, 1),
                ends_on=date(2026, 11, 30),
                status="open",
            )
        )
        for appeal, before, after in ((1, 100, 150), (2, 150, 170)):
            conn.execute(
                insert(Appeal.__table__).values(
                    id=appeal,
                    employee_id=1,
                    period_id=1,
                    metric="sales_amount",
                    reason="r",
                    status="accepted",
                    disputed_value=before,
                    corrected_value=after,
                    resolution_note=f"note {appeal}",
                    details="",
                    created_at=AT,
                    resolved_at=AT,
                    resolved_by=2,
                )
            )
            conn.execute(
                insert(MetricFact.__table__).values(
                    employee_id=1,
                    metric="sales_amount",
                    value=after - before,
                    occurred_on=date(2026, 11, 19),
                    source=f"appeal:{appeal}",
                    record_id=str(appeal),
                    fetched_at=AT,
                    void=False,
                )
            )
        conn.execute(
            insert(MetricFact.__table__).values(
                employee_id=1,
                metric="sales_amount",
                value=100,
                occurred_on=date(2026, 11, 3),
                source="crm",
                record_id="D-1",
                fetched_at=AT,
                void=False,
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(FigureCorrection.__table__).order_by(text("id"))).all()
        sources = conn.execute(select(MetricFact.source)).scalars().all()
    assert [
        (r.appeal_id, r.value_before, r.value_after, r.by_id, r.note, bool(r.active)) for r in rows
    ] == [
        (1, Decimal(100), Decimal(150), 2, "note 1", False),
        (2, Decimal(150), Decimal(170), 2, "note 2", True),  # the latest is in force
    ]
    assert sources == ["crm"]  # the source's record stays, the made-up ones are gone
