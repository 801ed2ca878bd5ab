"""Close a period: final scores frozen, incentive rules applied, HR told who qualifies."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select, update

from handlers import strings_en as t
from handlers.cards import Card
from handlers.notify import notify
from handlers.scores import ScoringSetup, rescore
from handlers.team_rows import decide_incentives
from store.models import Branch, Employee, IncentiveFlag, Period, Score
from store.uow import UnitOfWork


class PeriodStateError(ValueError):
    """Closing a closed period, re-opening an open one, or an unknown period."""


@dataclass
class CloseReport:
    period: str
    frozen: int = 0
    flags: list[tuple[str, str, str]] = field(default_factory=list)  # email, rule, reason
    hr_notified: int = 0


def close_period(key: str, *, uow: UnitOfWork, scoring: ScoringSetup, actor: str) -> CloseReport:
    """Final scoring, freeze, incentive flags with reasons, a card to each HR person."""
    with uow:
        period = _period(uow, key)
        if period.status == "closed":
            raise PeriodStateError(t.ALREADY_CLOSED.format(period=key))
        rescore(uow, scoring, period.id, None)
        report = CloseReport(key)
        report.frozen = len(
            uow.session.execute(
                update(Score)
                .where(Score.period_id == period.id)
                .values(frozen=True)
                .returning(Score.id)
            ).all()
        )
        emails = dict(uow.session.execute(select(Employee.id, Employee.email)).all())
        for emp, rule, reason in decide_incentives(uow, period, scoring.config):
            uow.session.add(
                IncentiveFlag(
                    employee_id=emp, period_id=period.id, kind=rule, reason=reason, at=uow.clock()
                )
            )
            report.flags.append((emails[emp], rule, reason))
        period.status, period.closed_at = "closed", uow.clock()
        uow.audit(
            actor=actor,
            action="period.close",
            entity="period",
            entity_id=period.id,
            before={"status": "open"},
            after={"status": "closed", "frozen": report.frozen, "flags": len(report.flags)},
        )
        report.hr_notified = _tell_hr(uow, period, report)
        uow.commit()
    return report


def reopen_period(key: str, *, uow: UnitOfWork, actor: str, reason: str) -> int:
    """Re-open a closed period (audited with the reason); its scores can be recomputed."""
    if not reason.strip():
        raise PeriodStateError(t.REOPEN_NEEDS_REASON)
    with uow:
        period = _period(uow, key)
        if period.status != "closed":
            raise PeriodStateError(t.NOT_CLOSED.format(period=key))
        flags = [
            (f.employee_id, f.kind, f.reason)
            for f in uow.session.scalars(
                select(IncentiveFlag).where(IncentiveFlag.period_id == period.id)
            )
        ]
        uow.session.execute(delete(IncentiveFlag).where(IncentiveFlag.period_id == period.id))
        thawed = len(
            uow.session.execute(
                update(Score)
                .where(Score.period_id == period.id)
                .values(frozen=False)
                .returning(Score.id)
            ).all()
        )
        period.status, period.closed_at = "open", None
        uow.audit(
            actor=actor,
            action="period.reopen",
            entity="period",
            entity_id=period.id,
            before={"status": "closed", "flags": flags},
            after={"status": "open", "reason": reason},
        )
        uow.commit()
    return thawed


def _period(uow: UnitOfWork, key: str) -> Period:
    period = uow.session.scalar(select(Period).where(Period.key == key))
    if period is None:
        raise PeriodStateError(t.NO_PERIOD.format(key=key))
    return period


def _tell_hr(uow: UnitOfWork, period: Period, report: CloseReport) -> int:
    """Each HR person gets the decisions for the people they cover (all, at HQ)."""
    hq = set(uow.session.scalars(select(Branch.id).where(Branch.is_hq.is_(True))))
    branch_of = dict(uow.session.execute(select(Employee.email, Employee.branch_id)).all())
    sent = 0
    for hr in uow.session.scalars(
        select(Employee).where(Employee.role == "hr", Employee.active.is_(True))
    ):
        mine = [f for f in report.flags if hr.branch_id in hq or branch_of[f[0]] == hr.branch_id]
        lines = [t.FLAG_LINE.format(email=e, rule=r, reason=why) for e, r, why in mine]
        card = Card(
            t.CLOSED_TITLE.format(period=period.key),
            tuple(lines) or (t.NO_FLAGS,),
            ((t.FROZEN, str(report.frozen)),),
        )
        sent += (
            notify(
                uow,
                kind="period.closed",
                dedupe_key=f"close:{period.id}:{period.closed_at}:{hr.id}",
                card=card,
                recipient_id=hr.id,
            )
            is not None
        )
    return sent
