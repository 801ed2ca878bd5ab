"""After a sync: a corrected figure whose source records changed since is told to the
person's manager, once (R4). The correction itself stands until someone decides again."""

from __future__ import annotations

from handlers import strings as t
from handlers.appeals.common import route
from handlers.appeals.correction import HasSpecs, spec_for
from handlers.appeals.figures import label_of
from handlers.cards import Card
from handlers.format import amount, plural
from handlers.notify import notify
from store.corrections import read_fingerprint
from store.models import Employee, FigureCorrection, Period
from store.uow import UnitOfWork


def watch_corrections(uow: UnitOfWork, scoring: HasSpecs | None, *, actor: str = "sync") -> int:
    """Tell the manager of each corrected figure whose records changed; returns how many.

    One grouped statement compares every watched correction's records with their
    fingerprint; only the few that changed are loaded and told (dedupe key per correction).
    """
    with uow:
        metrics = uow.appeals.watched_metrics()
        if not metrics:
            return 0
        specs = [spec_for(scoring, m) for m in metrics]
        changed = uow.appeals.changed_corrections(specs, uow.clock())
        ids = {fix.employee_id for fix, _ in changed}
        people = uow.org.employees_by_id(ids)
        for fix, now_fp in changed:
            _tell(uow, fix, now_fp, people[fix.employee_id], actor)
        uow.commit()
    return len(changed)


def _tell(
    uow: UnitOfWork, fix: FigureCorrection, now_fp: str, person: Employee, actor: str
) -> None:
    period = uow.get(Period, fix.period_id)
    assert period is not None  # a foreign key
    label = label_of(uow, person.id, period.id, fix.metric)
    was, now = read_fingerprint(fix.fingerprint), read_fingerprint(now_fp)
    manager = route(uow, person)
    unit = uow.scores.units(person.id, period.id).get(fix.metric, "")  # ¥ in Chinese

    def card() -> Card:  # built in the manager's language
        return Card(
            title=t.CORRECTION_SOURCE_TITLE.format(
                name=person.name, label=label, period=period.key
            ),
            lines=(
                t.CORRECTION_SOURCE.format(
                    label=label,
                    name=person.name,
                    period=period.key,
                    appeal=fix.appeal_id or "—",
                    before=amount(fix.value_before, unit),
                    after=amount(fix.value_after, unit),
                    was=t.CORRECTION_RECORDS.format(
                        records=plural(was[0], t.RECORDS), total=amount(was[1], unit)
                    ),
                    now=t.CORRECTION_RECORDS.format(
                        records=plural(now[0], t.RECORDS), total=amount(now[1], unit)
                    ),
                ),
                t.CORRECTION_SOURCE_NEXT.format(
                    metric=fix.metric, who=person.email, period=period.key
                ),
            ),
        )

    if manager is not None:
        notify(
            uow,
            kind="correction.source",
            dedupe_key=f"correction:{fix.id}:source",
            card=card,
            recipient_id=manager.id,
        )
    uow.audit(
        actor=actor,
        action="correction.source_changed",
        entity="correction",
        entity_id=fix.id,
        before={"records": fix.fingerprint},
        after={"records": now_fp, "told": manager.email if manager else None},
    )
