"""A crafted population for the at-risk sweep, and an independent Python reference."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from scoring.pace import is_at_risk, pace
from store.models import Branch, Employee, Goal, MetricFact, NudgeState, Period
from store.uow import UnitOfWork

# Friday 20 Nov 2026: 19:00 in Shanghai, 12:00 in Berlin, already Saturday in Kiribati.
NOW = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
NOV = (date(2026, 11, 1), date(2026, 11, 30))


@dataclass
class Org:
    """Ids by the names the tests use."""

    uow: UnitOfWork
    period_id: int = 0
    branches: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    goals: dict[str, int] = field(default_factory=dict)
    _facts: int = 0

    def branch(self, name: str, tz: str) -> int:
        b = Branch(name=name, timezone=tz)
        self.uow.session.add(b)
        self.uow.session.flush()
        self.branches[name] = b.id
        return b.id

    def person(self, name: str, branch: str, manager: str | None = None, **kw: object) -> int:
        e = Employee(
            email=f"{name.lower().replace(' ', '.')}@x.example",
            name=name,
            branch_id=self.branches[branch],
            manager_id=self.people[manager] if manager else None,
            **kw,
        )
        self.uow.session.add(e)
        self.uow.session.flush()
        self.people[name] = e.id
        return e.id

    def goal(
        self,
        key: str,
        who: str,
        metric: str,
        target: str,
        direction: str = "higher",
        status: str = "confirmed",
        period_id: int | None = None,
    ) -> int:
        g = Goal(
            period_id=period_id or self.period_id,
            level="employee",
            employee_id=self.people[who],
            title=metric.replace("_", " ").title(),
            metric=metric,
            target=Decimal(target),
            direction=direction,
            status=status,
            updated_at=NOW,
        )
        self.uow.session.add(g)
        self.uow.session.flush()
        self.goals[key] = g.id
        return g.id

    def fact(self, who: str, metric: str, value: str, day: date) -> None:
        self._facts += 1
        self.uow.session.add(
            MetricFact(
                employee_id=self.people[who],
                metric=metric,
                value=Decimal(value),
                occurred_on=day,
                source="test",
                record_id=f"r{self._facts}",
                fetched_at=NOW,
            )
        )

    def state(self, goal: str, **values: object) -> None:
        self.uow.session.add(NudgeState(goal_id=self.goals[goal], updated_at=NOW, **values))


def period(uow: UnitOfWork, key: str = "2026-11", start: date = NOV[0], end: date = NOV[1]) -> int:
    p = Period(key=key, kind="month", starts_on=start, ends_on=end)
    uow.session.add(p)
    uow.session.flush()
    return p.id


# --- The reference: plain Python over the same rows, through scoring.pace ------------------

Q4 = Decimal("0.0001")


def reference(uow: UnitOfWork, specs: dict, holidays: dict[str, set[date]], now: datetime,
              threshold: Decimal, thresholds: dict[str, Decimal], min_fraction: Decimal
              ) -> dict[int, Decimal]:  # fmt: skip
    """goal id -> pace ratio of every goal the rules say is behind (an independent loop)."""
    s = uow.session
    out: dict[int, Decimal] = {}
    branches = {b.id: b for b in s.scalars(select(Branch))}
    facts = s.scalars(select(MetricFact).where(MetricFact.void.is_(False))).all()
    for g in s.scalars(select(Goal).where(Goal.level == "employee")):
        e = s.get(Employee, g.employee_id)
        p = s.get(Period, g.period_id)
        if e is None or p is None or not e.active or p.status != "open":
            continue
        if g.status not in ("confirmed", "acknowledged") or g.metric not in specs:
            continue
        b = branches[e.branch_id]
        today = now.astimezone(ZoneInfo(b.timezone)).date()
        hol = holidays.get("all", set()) | holidays.get(b.name, set())
        if today.weekday() >= 5 or today in hol or not p.starts_on <= today <= p.ends_on:
            continue
        if any(
            f.employee_id == e.id and f.metric == "leave_days" and f.occurred_on == today
            and f.value > 0 for f in facts
        ):  # fmt: skip
            continue
        spec = specs[g.metric]
        mine = [f for f in facts if p.starts_on <= f.occurred_on <= today]

        def term(t, people, mine=mine):  # type: ignore[no-untyped-def]
            vals = [f.value for f in mine if f.metric in t.facts and f.employee_id in people]
            return (Decimal(len(vals)) if t.op == "count" else sum(vals, Decimal(0))), bool(vals)

        num, has = term(spec.numerator, {e.id})
        actual: Decimal | None
        if spec.denominator is None:
            if g.direction != "lower" and not has:
                anyone = term(spec.numerator, {f.employee_id for f in mine})[1]
                actual = Decimal(0) if anyone else None
            else:
                actual = num * spec.scale if has else None
        else:
            if g.direction != "lower":
                continue  # a higher-is-better average has no pace
            den, has_d = term(spec.denominator, {e.id})
            actual = num / den * spec.scale if has or has_d else None
            actual = actual if den else None
        if actual is not None:
            actual = actual.quantize(Q4, rounding=ROUND_HALF_UP)
        if g.direction != "lower" and (g.target is None or g.target <= 0):
            continue
        pc = pace(actual, g.target, p.starts_on, p.ends_on, today, hol, g.direction)  # type: ignore[arg-type]
        thr = thresholds.get(g.metric, threshold)
        if is_at_risk(pc, thr, min_fraction) and pc.ratio is not None:
            out[g.id] = pc.ratio
    return out
