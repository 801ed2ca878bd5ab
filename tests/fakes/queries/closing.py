"""In-memory fake of store/queries/closing.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from scoring.scorecard import ScoringConfig
from store.actuals import SpecLike
from store.models import Branch, Calibration, Employee, IncentiveFlag, Period, Score, ScoreLine
from store.period_results import ResultRow, closed_run
from store.queries.closing import ClosingQueries
from tests.fakes.queries.base import FakeQueries


class FakeClosingQueries(FakeQueries, ClosingQueries):
    """Answers the closing queries from the fake unit of work's rows. Scoring can't run in
    memory: `recomputed[(employee_id, period_id)]` is the breakdown a re-score of a frozen
    result would store (its total and band go on the Score row); `rescored` lists the calls."""

    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        self.recomputed: dict[tuple[int, int], dict[str, Any]] = {}
        self.rescored: list[tuple[int, int]] = []

    def refusal_recipients(self) -> list[int]:
        for role in ("hr", "admin"):
            found = [e.id for e in self.all(Employee) if e.role == role and e.active]
            if found:
                return found
        return []

    def active_hr(self) -> list[Employee]:
        return [e for e in self.all(Employee) if e.role == "hr" and e.active]

    def hq_branch_ids(self) -> set[int]:
        return {b.id for b in self.all(Branch) if b.is_hq}

    def branch_timezones(self) -> set[str]:
        return {b.timezone for b in self.all(Branch)}

    def next_to_close(self, today: date) -> Period | None:
        due = [p for p in self.all(Period) if p.status == "open" and p.ends_on < today]
        return min(due, key=lambda p: p.starts_on, default=None)

    def earlier_closed(self, period: Period, n: int) -> list[Period]:
        if n <= 0:
            return []
        before = sorted(
            (
                p
                for p in self.all(Period)
                if p.kind == period.kind and p.starts_on < period.starts_on
            ),
            key=lambda p: p.starts_on,
            reverse=True,
        )[:n]
        return closed_run(before)

    def result_rows(self, period_id: int, scorecards: Collection[str]) -> list[ResultRow]:
        rows = []
        for e in sorted(self.all(Employee), key=lambda e: e.id):  # by id, as the query
            branch = self.uow.get(Branch, e.branch_id)
            if not e.active or e.scorecard not in scorecards or branch is None:
                continue
            s = self.score_of(e.id, period_id)
            c = self.calibration_of(e.id, period_id)
            rows.append(
                ResultRow(
                    e.id,
                    e.email,
                    e.name,
                    e.scorecard or "",
                    branch.name,
                    branch.id,
                    None if s is None else Decimal(s.total),
                    Decimal(s.coverage if s else 0),
                    (s.band if s else "") or "",
                    None if c is None else Decimal(c.final_total),
                    c.reason if c else None,
                    c.by if c else None,
                    c.at if c else None,
                )
            )
        return rows

    def final_bands(
        self, period_ids: Sequence[int]
    ) -> list[tuple[int, int, str, Decimal | None, Decimal]]:
        out = []
        for s in self.all(Score):
            if s.period_id in period_ids:
                c = self.calibration_of(s.employee_id, s.period_id)
                final = None if c is None else Decimal(c.final_total)
                out.append((s.period_id, s.employee_id, s.band, final, Decimal(s.coverage)))
        return out

    def dimensions_without_data(self, period_id: int) -> list[tuple[int, int]]:
        return sorted(
            (line.employee_id, line.pos)
            for line in self.all(ScoreLine)
            if line.period_id == period_id and line.attainment is None
        )

    def score_of(self, employee_id: int, period_id: int) -> Score | None:
        return next(
            (
                s
                for s in self.all(Score)
                if s.employee_id == employee_id and s.period_id == period_id
            ),
            None,
        )

    def calibration_of(self, employee_id: int, period_id: int) -> Calibration | None:
        return next(
            (
                c
                for c in self.all(Calibration)
                if c.employee_id == employee_id and c.period_id == period_id
            ),
            None,
        )

    def _set_frozen(self, period_id: int, frozen: bool) -> int:
        scores = [s for s in self.all(Score) if s.period_id == period_id]
        for s in scores:
            s.frozen = frozen
        return len(scores)

    def freeze_scores(self, period_id: int) -> int:
        return self._set_frozen(period_id, True)

    def thaw_scores(self, period_id: int) -> int:
        return self._set_frozen(period_id, False)

    def rescore_frozen(
        self,
        config: ScoringConfig,
        specs: Sequence[SpecLike],
        period: Period,
        employee_id: int,
        now: datetime,
    ) -> None:
        self.rescored.append((employee_id, period.id))
        breakdown = self.recomputed.get((employee_id, period.id))
        score = self.score_of(employee_id, period.id)
        if breakdown is None or score is None:
            return
        score.total, score.band = Decimal(str(breakdown["total"])), breakdown.get("band", "")
        score.computed_at = now
        self.uow.scores.stored[(employee_id, period.id)] = breakdown  # type: ignore[attr-defined]

    def incentive_flags(self, period_id: int) -> list[IncentiveFlag]:
        return [f for f in self.all(IncentiveFlag) if f.period_id == period_id]

    def flags_of(self, employee_id: int, period_id: int) -> list[tuple[str, str]]:
        return sorted(
            (f.kind, f.reason)
            for f in self.incentive_flags(period_id)
            if f.employee_id == employee_id
        )

    def _drop_flags(self, period_id: int, employee_ids: Collection[int] | None) -> None:
        flags = self.uow.rows[IncentiveFlag]
        for key, f in list(flags.items()):
            if f.period_id == period_id and (employee_ids is None or f.employee_id in employee_ids):
                del flags[key]

    def drop_incentive_flags(self, period_id: int) -> None:
        self._drop_flags(period_id, None)

    def drop_flags_of(self, employee_id: int, period_id: int) -> None:
        self._drop_flags(period_id, {employee_id})

    def replace_flags(
        self, period_id: int, employee_ids: Sequence[int], rows: Sequence[dict[str, Any]]
    ) -> None:
        self._drop_flags(period_id, set(employee_ids))
        for row in rows:
            self.uow.add(IncentiveFlag(**row))
