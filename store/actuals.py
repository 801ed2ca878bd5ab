"""Metric actuals per employee, computed from facts in one set-based pass.

A metric definition (see connectors/metrics.py) is numerator / denominator * scale,
each side a SUM(value) or COUNT(*) over non-void facts of some fact metrics in the
period. Any object with that shape works here (a Protocol), so store/ needs no import
of connectors/.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Boolean, Integer, Numeric, String, case, func, literal, select, union_all

from store.models import MetricFact
from store.sqlfn import round2, rows_table


class TermLike(Protocol):
    @property
    def op(self) -> str: ...  # "sum" | "count"

    @property
    def facts(self) -> tuple[str, ...]: ...


class SpecLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def numerator(self) -> TermLike: ...

    @property
    def denominator(self) -> TermLike | None: ...

    @property
    def scale(self) -> Decimal: ...


def spec_map(specs: Iterable[SpecLike]) -> Any:
    """A VALUES table: which fact metrics feed which metric, on which side, counted how."""
    rows = []
    for s in specs:
        den = s.denominator
        for fact in sorted(set(s.numerator.facts) | set(den.facts if den else ())):
            rows.append(
                (
                    s.name,
                    fact,
                    fact in s.numerator.facts,
                    s.numerator.op == "count",
                    den is not None and fact in den.facts,
                    den is not None and den.op == "count",
                    den is not None,
                    s.scale,
                )
            )
    cols = [
        ("metric", String()),
        ("fact", String()),
        ("in_num", Boolean()),
        ("num_count", Boolean()),
        ("in_den", Boolean()),
        ("den_count", Boolean()),
        ("has_den", Boolean()),
        ("scale", Numeric(18, 6)),
    ]
    if not rows:  # keep the query valid when no metric is defined
        rows = [("", "", False, False, False, False, False, Decimal(1))]
    return rows_table("m", cols, rows)


def actuals_select(
    dialect: str,
    specs: Sequence[SpecLike],
    start: date,
    end: date,
    employee_ids: Sequence[int] | None = None,
) -> Any:
    """SELECT employee_id, metric, actual, facts, sources for the period.

    `actual` is rounded half-up to 4 places (the precision facts are stored with), so
    a ratio like defects/units gives every database, and the Python reference, the
    same exact decimal to score with; it is NULL when the denominator is zero (no
    invoices: undefined, not zero);
    an employee without any fact of a metric gets no row at all ("no data").
    """
    f = MetricFact
    where = [f.void.is_(False), f.occurred_on >= start, f.occurred_on <= end]
    if employee_ids is not None:
        where.append(f.employee_id.in_(employee_ids))
    simple, combined = _partition(specs)
    parts = []
    if simple:
        # A plain sum of one fact metric needs one GROUP BY over the facts, nothing more.
        # Both are functions of the grouped f.metric: evaluated once per group, not per fact.
        name = case(*[(f.metric == s.numerator.facts[0], literal(s.name)) for s in simple])
        scale = case(*[(f.metric == s.numerator.facts[0], literal(s.scale)) for s in simple])
        total: Any = func.sum(f.value)
        if any(s.scale != 1 for s in simple):
            total = total * scale
        parts.append(
            select(
                f.employee_id.label("employee_id"),
                name.label("metric"),
                round2(dialect, total, 4).label("actual"),
                func.count().cast(Integer).label("facts"),
                source_list(func.min(f.source), func.max(f.source)).label("sources"),
            )
            .where(*where, f.metric.in_([s.numerator.facts[0] for s in simple]))
            .group_by(f.employee_id, f.metric)
        )
    if combined:
        parts.append(_combined(dialect, combined, where))
    if not parts:
        return _combined(dialect, [], where)
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _partition(specs: Sequence[SpecLike]) -> tuple[list[SpecLike], list[SpecLike]]:
    """Specs that are the sum of a fact no other spec reads, and the rest."""
    readers: dict[str, int] = {}
    for sp in specs:
        for fact in set(_facts_of(sp)):
            readers[fact] = readers.get(fact, 0) + 1
    simple = [
        sp
        for sp in specs
        if sp.denominator is None
        and sp.numerator.op == "sum"
        and len(sp.numerator.facts) == 1
        and readers[sp.numerator.facts[0]] == 1
    ]
    return simple, [sp for sp in specs if sp not in simple]


def _combined(dialect: str, specs: Sequence[SpecLike], where: list[Any]) -> Any:
    """Ratios, counts and multi-fact sums: per-fact sums first, then each metric's
    numerator and denominator from those few rows."""
    m = spec_map(specs)
    f = MetricFact
    used = sorted({fact for sp in specs for fact in _facts_of(sp)})
    per_fact = (
        select(
            f.employee_id,
            f.metric,
            func.sum(f.value).label("total"),
            func.count().label("n"),
            # min/max, not a DISTINCT aggregate: PostgreSQL can only sort for DISTINCT,
            # and that sort was half of the statement's time.
            func.min(f.source).label("src_lo"),
            func.max(f.source).label("src_hi"),
        )
        .where(*where, f.metric.in_(used))
        .group_by(f.employee_id, f.metric)
    ).subquery("per_fact")
    zero = literal(0)

    def side(flag: Any, counted: Any) -> Any:
        value = case((counted, per_fact.c.n), else_=per_fact.c.total)
        return func.sum(case((flag, value), else_=zero))

    num, den = side(m.c.in_num, m.c.num_count), side(m.c.in_den, m.c.den_count)
    scale, has_den = func.max(m.c.scale), func.max(case((m.c.has_den, 1), else_=0))
    actual = round2(
        dialect,
        case((has_den == 0, num * scale), (den == 0, None), else_=num * scale / den),
        4,
    )
    return (
        select(
            per_fact.c.employee_id.label("employee_id"),
            m.c.metric.label("metric"),
            actual.label("actual"),
            func.sum(per_fact.c.n).cast(Integer).label("facts"),
            source_list(func.min(per_fact.c.src_lo), func.max(per_fact.c.src_hi)).label("sources"),
        )
        .select_from(per_fact)
        .join(m, m.c.fact == per_fact.c.metric)
        .group_by(per_fact.c.employee_id, m.c.metric)
    )


def source_list(lo: Any, hi: Any) -> Any:
    """`crm`, or `erp-invoices,erp-payments` when a figure mixes two sources. A third one in
    between is not named here; /explain lists every record with its own source."""
    return case((lo == hi, lo), else_=lo + literal(",") + hi)


def _facts_of(spec: SpecLike) -> tuple[str, ...]:
    den = spec.denominator
    return spec.numerator.facts + (den.facts if den else ())
