"""The SQL engine scores a rating on any configured scale exactly as scoring.score does."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import delete, select

from handlers.scores.compute import ScoringSetup, rescore
from scoring.config import RatingScale
from scoring.scorecard import score
from store.breakdowns import breakdowns
from store.models import Employee, ManagerRating, Period, Score


def test_every_step_of_a_one_to_ten_scale_and_ratings_off_it(demo, clock):
    setup = ScoringSetup(
        replace(demo.scoring.config, rating_scale=RatingScale(1, 10)), demo.scoring.specs
    )
    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).where(Period.key == "2026-10"))
        people = uow.session.scalars(
            select(Employee).where(Employee.scorecard.is_not(None)).order_by(Employee.id)
        ).all()[:12]
        uow.session.execute(delete(ManagerRating).where(ManagerRating.period_id == period.id))
        given = dict(zip([p.id for p in people], [*range(1, 11), 0, 12], strict=True))
        for emp, value in given.items():  # 0 and 12: given on an older, wider scale
            uow.session.add(
                ManagerRating(
                    employee_id=emp, period_id=period.id, rater_id=emp, rating=value, at=clock.now
                )
            )
        uow.session.flush()
        rescore(uow, setup, period.id, list(given))
        uow.commit()
        stored = breakdowns(uow.session, period.id)
        totals = {
            s.employee_id: s.total
            for s in uow.session.scalars(select(Score).where(Score.period_id == period.id))
        }
        for p in people:
            dims = {d["metric"]: d for d in stored[p.id]["dimensions"]}
            card = setup.config.scorecards[p.scorecard]
            actuals = {m: d["actual"] for m, d in dims.items() if d.get("kind") != "rating"}
            targets = {m: d["target"] for m, d in dims.items()}
            on_scale = max(1, min(10, given[p.id]))  # off the scale: its nearest end
            want = score(card, actuals, targets, {"manager_rating": on_scale}, RatingScale(1, 10))
            got = dims["manager_rating"]
            expected = next(d for d in want.dimensions if d.metric == "manager_rating")
            assert (got["attainment"], got["points"]) == (expected.attainment, expected.points)
            assert Decimal(str(totals[p.id])).quantize(Decimal("0.01")) == want.total, p.email
    rated = [{d["metric"]: d for d in stored[p.id]["dimensions"]} for p in people[:4]]
    assert [d["manager_rating"]["attainment"] for d in rated] == [
        Decimal("0.00"), Decimal("11.11"), Decimal("22.22"), Decimal("33.33")
    ]  # fmt: skip
