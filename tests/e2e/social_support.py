"""Shared set-up for the praise and appeal console tests: the demo company, a spy on
re-scoring and a fake source system to re-fetch records from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from bot.console.app import ConsoleSession
from handlers.cards import Card, Reply
from store.breakdowns import breakdown_of
from store.models import (
    Appeal,
    AuditEvent,
    Employee,
    FigureCorrection,
    MetricFact,
    Outbox,
    Period,
    Score,
)

MANAGER = "chen.jing@acme.example"  # manages Sales East
REPORT = "ana.li@acme.example"  # in Sales East
PEER = "zhou.tao@acme.example"  # Ana's colleague
HEAD = "li.wei@acme.example"  # head of sales, above Chen
HR_HQ = "zhao.min@acme.example"  # HR in Shanghai (headquarters)
HR_SG = "cheryl.tan@acme.example"  # HR in Singapore
PERIOD = "2026-11"


class RescoreSpy:
    """Records each call, then runs the real re-scoring."""

    def __init__(self, real: Any) -> None:
        self.real, self.calls = real, []

    def __call__(self, uow: Any, period_id: int, employee_ids: list[int]) -> None:
        self.calls.append((period_id, list(employee_ids)))
        self.real(uow, period_id, employee_ids)


@dataclass
class FakeSource:
    """Stands in for the connectors' re-fetch: canned records, or a source that is down."""

    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)
    asked: list[tuple[str, str]] = field(default_factory=list)
    failures: dict[str, Exception] = field(default_factory=dict)  # source -> what it raises

    def __call__(self, source: str, record_id: str) -> dict[str, Any] | None:
        self.asked.append((source, record_id))
        if source in self.down:
            raise ConnectionError(f"{source} timed out")
        if source in self.failures:
            raise self.failures[source]
        return self.records.get((source, record_id))


class World:
    """The demo runtime with a dispatcher whose re-score is spied on and source is fake."""

    def __init__(self, rt: Any, **overrides: Any) -> None:
        self.rt = rt
        # The real re-scoring the runtime was built with, wrapped to see each call.
        self.rescore = RescoreSpy(rt.dispatcher._deps["rescore"])
        self.scoring = rt.dispatcher._deps.get("scoring")
        self.source = FakeSource()
        self.dispatcher = rt.dispatcher.with_deps(
            rescore=self.rescore, refetch=self.source, **overrides
        )

    def session(self, email: str) -> ConsoleSession:
        return ConsoleSession(self.dispatcher, self.rt.uow, email)

    def run(self, email: str, line: str) -> Reply:
        return self.session(email).handle(line)

    def person(self, email: str) -> Employee:
        with self.rt.uow() as uow:
            return uow.session.scalars(select(Employee).where(Employee.email == email)).one()

    def period(self, key: str = PERIOD) -> Period:
        with self.rt.uow() as uow:
            return uow.session.scalars(select(Period).where(Period.key == key)).one()

    def appeal(self, appeal_id: int) -> Appeal:
        with self.rt.uow() as uow:
            found = uow.session.get(Appeal, appeal_id)
            assert found is not None
            return found

    def dimension(self, email: str, metric: str, key: str = PERIOD) -> dict[str, Any]:
        with self.rt.uow() as uow:
            score = uow.session.scalars(
                select(Score)
                .join(Employee, Employee.id == Score.employee_id)
                .join(Period, Period.id == Score.period_id)
                .where(Employee.email == email, Period.key == key)
            ).one()
            breakdown = breakdown_of(uow.session, score.employee_id, score.period_id)
        return next(d for d in breakdown["dimensions"] if d["metric"] == metric)

    def facts(self, email: str, metric: str, source: str | None = None) -> list[MetricFact]:
        p = self.period()
        with self.rt.uow() as uow:
            q = (
                select(MetricFact)
                .join(Employee, Employee.id == MetricFact.employee_id)
                .where(
                    Employee.email == email,
                    MetricFact.metric == metric,
                    MetricFact.occurred_on >= p.starts_on,
                    MetricFact.occurred_on <= p.ends_on,
                )
                .order_by(MetricFact.occurred_on.desc(), MetricFact.id.desc())
            )
            if source is not None:
                q = q.where(MetricFact.source == source)
            return list(uow.session.scalars(q).all())

    def outbox(self, like: str) -> list[Outbox]:
        with self.rt.uow() as uow:
            return list(
                uow.session.scalars(
                    select(Outbox).where(Outbox.dedupe_key.like(like)).order_by(Outbox.id)
                ).all()
            )

    def audit(self, action: str) -> list[AuditEvent]:
        with self.rt.uow() as uow:
            return list(
                uow.session.scalars(
                    select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
                ).all()
            )

    def move_to(self, when: datetime) -> None:
        self.rt.clock.now = when

    def corrections(self, email: str | None = None) -> list[FigureCorrection]:
        """Every correction stored (of one person), oldest first."""
        with self.rt.uow() as uow:
            q = select(FigureCorrection).order_by(FigureCorrection.id)
            if email is not None:
                q = q.where(FigureCorrection.employee_id == self.person(email).id)
            return list(uow.session.scalars(q).all())

    def synthetic_facts(self) -> list[MetricFact]:
        """Facts no source sent (the old way of correcting): there must be none."""
        with self.rt.uow() as uow:
            q = select(MetricFact).where(MetricFact.source.like("appeal:%"))
            return list(uow.session.scalars(q).all())


def only_notice_to(world: World, reply: Reply, email: str) -> Card:
    """The one notice of a reply, checked to be addressed to `email`."""
    assert len(reply.notices) == 1, reply.notices
    assert reply.notices[0].recipient_id == world.person(email).id
    return reply.notices[0].card


def text_of(card: Card) -> str:
    return "\n".join((card.title, *card.lines, *(f"{a}: {b}" for a, b in card.fields)))


def opened_id(reply: Reply) -> int:
    """The appeal id from an 'Appeal #N opened' reply."""
    assert reply.ok, text_of(reply.cards[0])
    return int(reply.cards[0].title.split("#")[1].split()[0])


def total(facts: list[MetricFact]) -> Decimal:
    return sum((f.value for f in facts if not f.void), Decimal(0))
