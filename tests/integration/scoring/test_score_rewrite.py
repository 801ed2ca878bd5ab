"""A re-score leaves exactly the lines and totals a first scoring would, whatever was
stored before: missing lines and scores come back, stale ones go, frozen ones stay."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, insert, select, update

from store.models import Period, Score, ScoreLine


def _stored(uow, period_id):  # type: ignore[no-untyped-def]
    s = uow.session
    lines = s.execute(
        select(ScoreLine.__table__)
        .where(ScoreLine.period_id == period_id)
        .order_by(ScoreLine.employee_id, ScoreLine.pos)
    ).all()
    totals = s.execute(
        select(Score.employee_id, Score.total, Score.coverage, Score.band, Score.frozen)
        .where(Score.period_id == period_id)
        .order_by(Score.employee_id)
    ).all()
    return lines, totals


def test_a_rescore_repairs_missing_and_stale_rows(demo):
    from handlers.scores.compute import score_all

    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).order_by(Period.starts_on.desc()))
    score_all(period.key, uow=demo.uow(), setup=demo.scoring)
    with demo.uow() as uow:
        lines, totals = _stored(uow, period.id)
        assert len(lines) > 20 and len(totals) > 5
        first, second, third = (t.employee_id for t in totals[:3])
        s = uow.session
        # One person lost their score and lines, another one line, a third has a line past
        # the end of their scorecard and figures that are wrong.
        s.execute(delete(Score).where(Score.employee_id == first, Score.period_id == period.id))
        mine = ScoreLine.period_id == period.id
        s.execute(delete(ScoreLine).where(mine, ScoreLine.employee_id == first))
        s.execute(
            delete(ScoreLine).where(mine, ScoreLine.employee_id == second, ScoreLine.pos == 0)
        )
        stale = {c.name: getattr(lines[0], c.name) for c in ScoreLine.__table__.columns}
        s.execute(insert(ScoreLine), [{**stale, "employee_id": third, "pos": 40}])
        s.execute(
            update(ScoreLine)
            .where(mine, ScoreLine.employee_id == third)
            .values(points=Decimal("99.99"), sources="stale")
        )
        s.execute(
            update(Score)
            .where(Score.employee_id == third, Score.period_id == period.id)
            .values(total=Decimal("1"))
        )
        uow.commit()
    run = score_all(period.key, uow=demo.uow(), setup=demo.scoring)
    assert run.scored == len(totals)
    with demo.uow() as uow:
        assert _stored(uow, period.id) == (lines, totals)


def test_a_rescore_writes_no_frozen_score_and_counts_only_the_others(demo):
    from handlers.scores.compute import score_all

    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).order_by(Period.starts_on.desc()))
    score_all(period.key, uow=demo.uow(), setup=demo.scoring)
    with demo.uow() as uow:
        frozen = uow.session.scalars(select(Score).where(Score.period_id == period.id)).first()
        frozen.frozen, frozen.total = True, Decimal("1.00")
        lines_before = uow.session.execute(
            select(ScoreLine.__table__).where(ScoreLine.employee_id == frozen.employee_id)
        ).all()
        # Everyone else's lines are gone: they all come back as inserts.
        uow.session.execute(
            delete(ScoreLine).where(
                ScoreLine.period_id == period.id, ScoreLine.employee_id != frozen.employee_id
            )
        )
        uow.commit()
    with demo.uow() as uow:
        total = len(uow.session.scalars(select(Score).where(Score.period_id == period.id)).all())
    run = score_all(period.key, uow=demo.uow(), setup=demo.scoring)
    assert run.scored == total - 1
    with demo.uow() as uow:
        kept = uow.session.get(Score, frozen.id)
        assert kept is not None and kept.total == Decimal("1.00") and kept.frozen
        assert (
            uow.session.execute(
                select(ScoreLine.__table__).where(ScoreLine.employee_id == frozen.employee_id)
            ).all()
            == lines_before
        )
