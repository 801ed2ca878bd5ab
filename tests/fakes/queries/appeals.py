"""In-memory fake of store/queries/appeals.py."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from store.actuals import SpecLike
from store.corrections import NewCorrection, _fp
from store.models import (
    Appeal,
    Branch,
    Employee,
    FigureCorrection,
    ManagerRating,
    MetricFact,
    Period,
)
from store.queries.appeals import UNDECIDED, AppealListRow, AppealsQueries, FactTotal, SlaRow
from tests.fakes.queries.base import FakeQueries


def _with_defaults(row: Any) -> Any:
    """Fill the columns left unset with their scalar defaults, as an INSERT would."""
    for column in type(row).__table__.columns:
        default = column.default
        if getattr(row, column.key) is None and default is not None and default.is_scalar:
            setattr(row, column.key, default.arg)
    return row


class FakeAppealsQueries(FakeQueries, AppealsQueries):
    """Answers the appeals queries from the fake unit of work's rows (breakdowns from the
    fake scores queries' `stored`, step counts from its `audits`); locks are no-ops."""

    def locked_appeal(self, appeal_id: int) -> Appeal | None:
        return self.uow.get(Appeal, appeal_id)

    def lock_filing(self, employee_id: int) -> None:
        return None

    def open_appeal_for(self, employee_id: int, period_id: int, metric: str) -> int | None:
        return next(
            (
                a.id
                for a in self.all(Appeal)
                if (a.employee_id, a.period_id, a.metric) == (employee_id, period_id, metric)
                and a.status in UNDECIDED
            ),
            None,
        )

    def add_appeal(self, appeal: Appeal) -> bool:
        _with_defaults(appeal)
        if appeal.status in UNDECIDED and self.open_appeal_for(
            appeal.employee_id, appeal.period_id, appeal.metric
        ):
            return False  # the partial unique index
        self.uow.add(appeal)
        return True

    def filed_by(self, employee_id: int, limit: int) -> list[AppealListRow]:
        mine = [a for a in self.all(Appeal) if a.employee_id == employee_id]
        mine.sort(key=lambda a: (a.created_at, a.id), reverse=True)
        rows: list[AppealListRow] = []
        for a in mine:
            period = self.uow.get(Period, a.period_id)
            handler = self.uow.get(Employee, a.handler_id) if a.handler_id else None
            if period is not None:
                rows.append((a, period.key, handler.name if handler else None))
        return rows[:limit]

    def waiting_on_handlers(self) -> list[SlaRow]:
        rows: list[SlaRow] = []
        for a in sorted(self.all(Appeal), key=lambda a: a.id):
            if a.status != "open" or (a.reminded_at and a.escalated_at):
                continue
            person = self.uow.get(Employee, a.employee_id)
            period = self.uow.get(Period, a.period_id)
            branch = self.uow.get(Branch, person.branch_id) if person else None
            if person and period and branch:
                rows.append((a, person, period, branch.timezone))
        return rows

    def times_done(self, appeal_id: int, action: str) -> int:
        return sum(
            1
            for e in self.uow.audits
            if (e["entity"], e["entity_id"], e["action"]) == ("appeal", str(appeal_id), action)
        )

    def breakdowns_by_period(
        self, employee_id: int, period_ids: Iterable[int]
    ) -> dict[int, dict[str, Any]]:
        wanted = set(period_ids)
        stored = self.uow.scores.stored  # type: ignore[attr-defined]
        return {p: b for (e, p), b in stored.items() if e == employee_id and p in wanted}

    def corrections(self, employee_id: int, period_id: int) -> dict[str, FigureCorrection]:
        return {
            c.metric: c
            for c in self.all(FigureCorrection)
            if (c.employee_id, c.period_id) == (employee_id, period_id) and c.active
        }

    def rating(self, employee_id: int, period_id: int) -> ManagerRating | None:
        return next(
            (
                r
                for r in self.all(ManagerRating)
                if (r.employee_id, r.period_id) == (employee_id, period_id)
            ),
            None,
        )

    def _facts(
        self, employee_id: int, metrics: Collection[str], period: Period
    ) -> list[MetricFact]:
        return [
            f
            for f in self.all(MetricFact)
            if f.employee_id == employee_id
            and f.metric in metrics
            and period.starts_on <= f.occurred_on <= period.ends_on
            and not f.void
        ]

    def latest_facts(
        self, employee_id: int, metrics: Collection[str], period: Period, limit: int
    ) -> list[MetricFact]:
        facts = self._facts(employee_id, metrics, period)
        return sorted(facts, key=lambda f: (f.occurred_on, f.id), reverse=True)[:limit]

    def fact_totals(
        self, employee_id: int, metrics: Collection[str], period: Period
    ) -> list[FactTotal]:
        totals: dict[str, tuple[Decimal, int]] = {}
        for f in self._facts(employee_id, metrics, period):
            s, n = totals.get(f.metric, (Decimal(0), 0))
            totals[f.metric] = (s + f.value, n + 1)
        return [(m, s, n) for m, (s, n) in totals.items()]

    def add_correction(
        self, new: NewCorrection, spec: SpecLike | None, now: datetime
    ) -> FigureCorrection:
        for c in self.corrections(new.employee_id, new.period_id).values():
            if c.metric == new.metric:
                c.active = False
        row = _with_defaults(FigureCorrection(**new.__dict__, at=now, active=True))
        self.uow.add(row)
        if spec is not None:
            row.fingerprint = self._fingerprint(row, spec)
        return row

    def watched_metrics(self) -> list[str]:
        return list(dict.fromkeys(c.metric for c in self._watched()))

    def changed_corrections(
        self, specs: Sequence[SpecLike], now: datetime
    ) -> list[tuple[FigureCorrection, str]]:
        by_name = {s.name: s for s in specs}
        changed = []
        for c in sorted(self._watched(), key=lambda c: c.id):
            spec = by_name.get(c.metric)
            fp = self._fingerprint(c, spec) if spec is not None else _fp(0, 0, None)
            if fp != c.fingerprint:
                changed.append((c, fp))
        for c, _ in changed:
            c.source_changed_at = now
        return changed

    def _watched(self) -> list[FigureCorrection]:
        return [
            c
            for c in self.all(FigureCorrection)
            if c.active
            and c.kind == "metric"
            and c.source_changed_at is None
            and c.fingerprint is not None
        ]

    def _fingerprint(self, c: FigureCorrection, spec: SpecLike) -> str:
        """count|sum|latest fetch of the live records behind the corrected figure."""
        period = self.uow.get(Period, c.period_id)
        assert period is not None
        den = spec.denominator.facts if spec.denominator else ()
        facts = self._facts(c.employee_id, {*spec.numerator.facts, *den}, period)
        last = max((f.fetched_at for f in facts), default=None)
        return _fp(len(facts), sum((f.value for f in facts), Decimal(0)), last)
