"""The read-time projection runs the same scorecard as the SQL engine: over a whole
period it gives back every stored total, and mid-period it only moves the sums."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from handlers.scores.outlook import outlook
from scoring.projection import progress
from store.breakdowns import breakdowns
from store.models import Period


def test_a_whole_period_projects_to_the_stored_totals(demo):
    with demo.uow() as uow:
        oct_ = uow.session.scalar(select(Period).where(Period.key == "2026-10"))
        found = breakdowns(uow.session, oct_.id)
    assert len(found) == 33
    # The last day of the period: every working day has gone, nothing is extrapolated.
    last = progress(oct_.starts_on, oct_.ends_on, oct_.ends_on)
    for b in found.values():
        o = outlook(b, last, oct_.ends_on, demo.scoring, demo.settings.nudge.min_elapsed)
        assert o is not None and o.total is not None
        assert f"{o.total:.2f}" == b["total"], b["scorecard"]
        assert o.band == b["band"]


def test_mid_period_only_sums_move(demo):
    with demo.uow() as uow:
        nov = uow.session.scalar(select(Period).where(Period.key == "2026-11"))
        found = breakdowns(uow.session, nov.id)
    mid = progress(nov.starts_on, nov.ends_on, date(2026, 11, 20))
    sums = {s.name for s in demo.scoring.specs if s.denominator is None}
    for b in found.values():
        o = outlook(b, mid, nov.ends_on, demo.scoring, demo.settings.nudge.min_elapsed)
        assert o is not None and o.result is not None
        for d in b["dimensions"]:
            p = next(x for x in o.result.dimensions if x.metric == d["metric"])
            if d["actual"] is None or d.get("kind") == "rating":
                continue
            if d["metric"] in sums and d.get("direction", "higher") != "lower":
                assert p.actual == d["actual"] * 21 / 15
            else:
                assert p.actual == d["actual"]


def test_a_rating_off_todays_scale_projects_as_its_nearest_end(demo):
    # The scale shrank after the rating was given: scoring.attainment would refuse the
    # rating (a ValueError in English, on a person's /score); the SQL engine counts it as
    # the scale's end, and so does the projection.
    with demo.uow() as uow:
        nov = uow.session.scalar(select(Period).where(Period.key == "2026-11"))
        found = breakdowns(uow.session, nov.id)
    rated = next(
        b for b in found.values() if any(d.get("kind") == "rating" for d in b["dimensions"])
    )
    high = demo.scoring.config.rating_scale.high
    dims = [
        {**d, "actual": high + 2} if d.get("kind") == "rating" else d for d in rated["dimensions"]
    ]
    mid = progress(nov.starts_on, nov.ends_on, date(2026, 11, 20))
    o = outlook({**rated, "dimensions": dims}, mid, nov.ends_on, demo.scoring, 0)
    assert o is not None and o.result is not None
    (rating,) = [x for x in o.result.dimensions if x.actual == high]
    assert rating.attainment == 100
