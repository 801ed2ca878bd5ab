"""Close a period: final scores frozen, incentive rules applied in each cohort, HR told who
qualifies and everyone given their result card. A period without scores or below the
coverage threshold is refused, with the reason, and nothing changes (the refusal is audited)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from handlers import strings as t
from handlers.cards import Card, Notice
from handlers.closing.card import result_card
from handlers.closing.outcomes import PersonResult
from handlers.closing.preview import ClosePolicy, Preview, missing_summary, preview_in
from handlers.notify import notify, speaking_to
from handlers.scores.compute import ScoringSetup
from store.models import Period
from store.uow import UnitOfWork


class PeriodStateError(ValueError):
    """Closing a closed period, re-opening an open one, or an unknown period."""


class CloseRefused(PeriodStateError):
    """The period may not close (no scores, coverage below the threshold); says who lacks what."""


@dataclass
class CloseReport:
    period: str
    frozen: int = 0
    flags: list[tuple[str, str, str]] = field(default_factory=list)  # email, rule, reason
    hr_notified: int = 0
    result_cards: int = 0
    notices: list[Notice] = field(default_factory=list)


def close_period(
    key: str,
    *,
    uow: UnitOfWork,
    scoring: ScoringSetup,
    actor: str,
    policy: ClosePolicy | None = None,
) -> CloseReport:
    """Final scoring, the checks, freeze, incentive flags, HR's lists and everyone's card."""
    with uow:
        period = _period(uow, key)
        if period.status == "closed":
            raise PeriodStateError(t.ALREADY_CLOSED.format(period=key))
        preview = preview_in(uow, period, scoring, policy or ClosePolicy())
        if preview.blockers:
            why = refusal(preview)
            uow.rollback()  # the fresh scoring goes too: a refused close changes nothing
            uow.audit_row(
                period,
                actor,
                "period.close.refused",
                after={
                    "blockers": list(preview.blockers),
                    "coverage": str(preview.coverage),
                    "scored": preview.scored,
                    "people": preview.people,
                },
            )
            uow.commit()
            raise CloseRefused(why)
        report = CloseReport(key)
        report.frozen = uow.closing.freeze_scores(period.id)
        replace_flags(uow, period, preview.results)
        report.flags = [
            (r.row.email, o.rule, o.reason)
            for r in preview.results
            for o in r.outcomes
            if o.qualified
        ]
        period.status, period.closed_at = "closed", uow.clock()
        uow.audit_row(
            period,
            actor,
            "period.close",
            before={"status": "open"},
            after={
                "status": "closed",
                "frozen": report.frozen,
                "flags": len(report.flags),
                "coverage": str(preview.coverage),
            },
        )
        report.notices = _tell_hr(uow, period, report, preview)
        report.hr_notified = len(report.notices)
        cards = _result_cards(uow, period, preview.results)
        report.result_cards = len(cards)
        report.notices += cards
        uow.commit()
    return report


def refusal(p: Preview) -> str:
    """Why close refuses, then who lacks which dimension."""
    head = t.CLOSE_REFUSED.format(period=p.period.key, why=t.CLAUSE_SEP.join(p.blockers))
    return "\n".join([head, *(f"  {line}" for line in missing_summary(p))])


def replace_flags(uow: UnitOfWork, period: Period, results: Sequence[PersonResult]) -> int:
    """Store the incentive flags of these people (theirs only, replacing any they had):
    at close for everyone, after an accepted appeal for one person."""
    ids = [r.row.employee_id for r in results]
    rows = [
        {"employee_id": r.row.employee_id, "period_id": period.id, "kind": o.rule,
         "reason": o.reason[:300], "at": uow.clock()}
        for r in results
        for o in r.outcomes
        if o.qualified
    ]  # fmt: skip
    uow.closing.replace_flags(period.id, ids, rows)
    return len(rows)


def _result_cards(uow: UnitOfWork, period: Period, results: Sequence[PersonResult]) -> list[Notice]:
    """One card per person, keyed by person and this close (a re-close after a re-open
    sends the new result)."""
    stamp = f"{period.closed_at:%Y%m%dT%H%M%S}" if period.closed_at else ""
    return [
        n
        for r in results
        if (
            n := notify(
                uow,
                kind="period.result",
                dedupe_key=f"result:{period.id}:{r.row.employee_id}:{stamp}",
                card=partial(result_card, r, period.key, period.kind),
                recipient_id=r.row.employee_id,
            )
        )
    ]


def reopen_period(key: str, *, uow: UnitOfWork, actor: str, reason: str) -> int:
    """Re-open a closed period (audited with the reason); its scores can be recomputed."""
    if not reason.strip():
        raise PeriodStateError(t.REOPEN_NEEDS_REASON)
    with uow:
        period = _period(uow, key)
        if period.status != "closed":
            raise PeriodStateError(t.NOT_CLOSED.format(period=key))
        flags = [(f.employee_id, f.kind, f.reason) for f in uow.closing.incentive_flags(period.id)]
        uow.closing.drop_incentive_flags(period.id)
        thawed = uow.closing.thaw_scores(period.id)
        period.status, period.closed_at = "open", None
        uow.audit_row(
            period,
            actor,
            "period.reopen",
            before={"status": "closed", "flags": flags},
            after={"status": "open", "reason": reason},
        )
        uow.commit()
    return thawed


def _period(uow: UnitOfWork, key: str) -> Period:
    period = uow.org.period_by_key(key)
    if period is None:
        raise PeriodStateError(t.NO_PERIOD.format(key=key))
    return period


def _tell_hr(uow: UnitOfWork, period: Period, report: CloseReport, p: Preview) -> list[Notice]:
    """Each HR person gets the decisions for the people they cover (all, at HQ)."""
    hq = uow.closing.hq_branch_ids()
    flags = [(r.row, o) for r in p.results for o in r.outcomes if o.qualified]
    without = sum(1 for r in p.results if not r.has_data)
    sent: list[Notice] = []
    for hr in uow.closing.active_hr():
        mine = [(row, o) for row, o in flags if hr.branch_id in hq or row.branch_id == hr.branch_id]
        with speaking_to(uow, hr.id):  # each reason worded in the reader's language
            card = Card(
                t.CLOSED_TITLE.format(period=period.key),
                tuple(
                    t.FLAG_LINE.format(email=row.email, rule=o.rule, reason=o.reason)
                    for row, o in mine
                )
                or (t.NO_FLAGS,),
                ((t.FROZEN, str(report.frozen)), (t.NO_RESULT, str(without))),
            )
        notice = notify(
            uow,
            kind="period.closed",
            dedupe_key=f"close:{period.id}:{period.closed_at}:{hr.id}",
            card=card,
            recipient_id=hr.id,
        )
        if notice is not None:
            sent.append(notice)
    return sent
