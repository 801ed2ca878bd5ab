"""Re-open one person's result of a closed period (an accepted appeal after close, R7):
their score and incentive outcome are recomputed, everyone else's stay frozen as closed,
HR is told and the change is audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from handlers import strings as t
from handlers.cards import Card, Notice
from handlers.format import amount, num
from handlers.i18n import term
from handlers.notify import notify
from handlers.permissions import hr_for
from handlers.reports.team_rows import decide_incentives
from handlers.scores.compute import ScoringSetup
from store.models import Employee, IncentiveFlag, Period
from store.uow import UnitOfWork


@dataclass(frozen=True)
class ResultChange:
    """One person's closed result before and after the recompute."""

    total: tuple[Decimal | None, Decimal | None]
    band: tuple[str, str]
    incentives: tuple[tuple[str, ...], tuple[str, ...]]  # rule names before, after
    figures: tuple[tuple[str, Any, Any], ...]  # (label, before, after) of each figure moved
    notices: tuple[Notice, ...]

    def incentives_line(self) -> str:
        old, new = (
            t.LIST_SEP.join(map(str, map(term, names))) or t.REOPENED_NONE
            for names in self.incentives
        )
        return t.REOPENED_INCENTIVES.format(old=old, new=new)


def recompute_result(
    uow: UnitOfWork, setup: ScoringSetup, period: Period, person: Employee, *, actor: str, why: str
) -> ResultChange:
    """Recompute one person's frozen score of a closed period and their incentives (the
    period's rules over everyone's scores, kept for this person only); in the caller's unit
    of work, not committed. `why` names the cause (e.g. "appeal #7")."""
    before = uow.scores.breakdown(person.id, period.id) or {}
    old_flags = _flags(uow, period, person)
    uow.closing.rescore_frozen(setup.config, setup.specs, period, person.id, uow.clock())
    after = uow.scores.breakdown(person.id, period.id) or {}
    # Ranking rules look at the whole period; only this person's outcome is rewritten, so
    # nobody else's closed result moves (their flags stay as the close decided them).
    new_flags = [
        (rule, reason)
        for emp, rule, reason in decide_incentives(uow, period, setup.config)
        if emp == person.id
    ]
    uow.closing.drop_flags_of(person.id, period.id)
    for rule, reason in new_flags:
        uow.add(
            IncentiveFlag(
                employee_id=person.id, period_id=period.id, kind=rule, reason=reason, at=uow.clock()
            )
        )
    change = ResultChange(
        total=(_dec(before.get("total")), _dec(after.get("total"))),
        band=(str(before.get("band") or "—"), str(after.get("band") or "—")),
        incentives=(tuple(r for r, _ in old_flags), tuple(r for r, _ in new_flags)),
        figures=_moved(before, after),
        notices=(),
    )
    uow.audit(
        actor=actor,
        action="result.reopen",
        entity="score",
        entity_id=f"{period.key}:{person.id}",  # an id: the chain covers it, erasure cannot
        before={"total": change.total[0], "band": change.band[0], "flags": old_flags},
        after={
            "total": change.total[1],
            "band": change.band[1],
            "flags": new_flags,
            "figures": [list(f) for f in change.figures],
            "why": why,
        },
    )
    return replace(change, notices=_tell_hr(uow, period, person, change, why))


def _flags(uow: UnitOfWork, period: Period, person: Employee) -> list[tuple[str, str]]:
    return uow.closing.flags_of(person.id, period.id)


def _moved(before: dict[str, Any], after: dict[str, Any]) -> tuple[tuple[str, Any, Any], ...]:
    """Each figure whose value moved, by its label."""
    old = {d["metric"]: d.get("actual") for d in before.get("dimensions", [])}
    return tuple(
        (str(d.get("label") or d["metric"]), old.get(d["metric"]), d.get("actual"))
        for d in after.get("dimensions", [])
        if _dec(old.get(d["metric"])) != _dec(d.get("actual"))
    )


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _tell_hr(
    uow: UnitOfWork, period: Period, person: Employee, change: ResultChange, why: str
) -> tuple[Notice, ...]:
    """A card to the HR who cover the person (else admins): what moved and what it means."""
    figures = change.figures
    # Each figure's unit by its label (`CNY`): money reads as money to a Chinese reader.
    metrics = {
        str(d.get("label") or d["metric"]): d["metric"]
        for d in (uow.scores.breakdown(person.id, period.id) or {}).get("dimensions", [])
    }
    units = uow.scores.units(person.id, period.id)

    def moved(label: str, old: Any, new: Any) -> str:
        unit = units.get(metrics.get(label, ""), "")
        return t.REOPENED_FIGURE.format(label=label, old=amount(old, unit), new=amount(new, unit))

    def card() -> Card:  # in each HR person's language
        lines = [
            t.REOPENED_SCORE.format(
                old=num(change.total[0]),
                old_band=change.band[0],
                new=num(change.total[1]),
                new_band=change.band[1],
            ),
            *(moved(*f) for f in figures),
            change.incentives_line(),
            t.REOPENED_OTHERS.format(period=period.key),
        ]
        title = t.REOPENED_TITLE.format(period=period.key, name=person.name, why=why)
        return Card(title=title, lines=tuple(lines))

    sent = []
    for hr in hr_for(uow, person):
        key = f"reopened:{period.id}:{person.id}:{why}:{hr.id}"
        n = notify(uow, kind="result.reopen", dedupe_key=key, card=card, recipient_id=hr.id)
        sent += [n] if n else []
    return tuple(sent)
