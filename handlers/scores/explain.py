"""`/explain <metric> [@who] [period]` (and the Explain buttons): the source records behind
one figure (R4), adding up to exactly what `/score` shows."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from handlers import strings as t
from handlers.actor import Actor
from handlers.appeals.figure_notes import correction_lines
from handlers.cards import Card, Reply
from handlers.commands import Explain
from handlers.common import Refused, employee_for, period_for
from handlers.format import amount, day, exact, num, plural, record_unit, stamp
from handlers.i18n import ENGLISH, current
from handlers.metric_names import NoMetric, configured, of_breakdown, resolve
from handlers.permissions import can_view, deny
from handlers.press import Press, key_of
from handlers.scores.compute import ScoringSetup
from scoring.attainment import FIGURE_PLACES
from store.actuals import SpecLike
from store.models import Employee, MetricFact, Period
from store.uow import UnitOfWork

TOP = 10


def explain_figure(cmd: Explain, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup) -> Reply:
    """The records behind one of a person's figures for a period."""
    with uow:
        person = employee_for(uow, actor, cmd.who, "explain.view")
        if isinstance(person, Refused):
            return person.reply
        period = period_for(uow, actor, cmd.period)
        if isinstance(period, Refused):
            return period.reply
        # By key, label or the label in the reader's language: a line of the person's score
        # card first, then any metric with records to explain.
        defined = configured(scoring, defined_only=True)
        keys = {n.key for n in defined}  # a rating line has no records to explain
        card = [
            n for n in of_breakdown(uow.scores.breakdown(person.id, period.id)) if n.key in keys
        ]
        found = resolve(cmd.metric, card, defined)
        if isinstance(found, NoMetric):
            title = t.EXPLAIN_TITLE.format(metric=cmd.metric, name=person.name, period=period.key)
            return Reply.say(title, found.say(t.EXPLAIN_UNKNOWN), ok=False)
        return _explain(uow, person, period, found.key, scoring)


def press_explain(press: Press, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup) -> Reply:
    """[Explain …] on a score card: value is `metric.employee_id.period_id`."""
    parts = press.value.split(".")
    ids = [key_of(p) for p in parts[1:]]
    if len(parts) != 3 or None in ids:
        return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
    with uow:
        person = uow.get(Employee, ids[0])
        period = uow.get(Period, ids[1])
        if person is None or period is None:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        if not can_view(uow, actor, person):
            return deny("explain.view", person, t.NOT_YOURS.format(name=person.name))
        return _explain(uow, person, period, parts[0], scoring)


def _explain(
    uow: UnitOfWork, person: Employee, period: Period, metric: str, scoring: ScoringSetup
) -> Reply:
    spec = next((s for s in scoring.specs if s.name == metric), None)
    # Named as the score card names it (its label, in the reader's language), not by key.
    label = getattr(spec, "label", None) or metric
    title = t.EXPLAIN_TITLE.format(metric=label, name=person.name, period=period.key)
    if spec is None:  # a button from before the metric's definition was removed
        gone = NoMetric(metric, configured(scoring, defined_only=True), ambiguous=False)
        return Reply.say(title, gone.say(t.EXPLAIN_UNKNOWN), ok=False)
    facts = _facts(uow, person.id, period, spec)
    live = [f for f in facts if not f.void]
    fix = uow.scores.corrections(person.id, period.id).get(metric)
    unit = uow.scores.units(person.id, period.id).get(metric, "")
    # Sales read as money (¥16.25万) where the reader writes money so; English as before.
    money = record_unit(spec, unit) if current() != ENGLISH else ""
    # A correction is shown as one, beside the records exactly as the source sent them.
    fixed: tuple[str, ...] = ()
    if fix is not None:
        used = t.CORRECTION_USED.format(after=amount(fix.value_after, unit))
        fixed = (*correction_lines(uow, fix, unit), used)
    if not live:
        return Reply.say(title, t.EXPLAIN_NO_RECORDS, *fixed)
    figure, formula = _figure(spec, live)
    shown = amount(figure, money) if money else exact(figure)
    lines = [t.EXPLAIN_FIGURE.format(figure=shown, formula=formula)]
    ordered = sorted(live, key=lambda f: (-abs(f.value), f.occurred_on, f.record_id))
    lines += [_record_line(f, money) for f in ordered[:TOP]]
    if len(live) > TOP:
        rest = sum((f.value for f in ordered[TOP:]), Decimal(0))
        lines.append(
            t.EXPLAIN_MORE.format(
                more=plural(len(live) - TOP, t.MORE_RECORDS), total=amount(rest, money)
            )
        )
    voided = len(facts) - len(live)
    if voided:
        lines.append(t.EXPLAIN_VOIDED.format(records=plural(voided, t.RECORDS)))
    lines += fixed
    if fix is not None:  # the stored score used the corrected figure
        figure = fix.value_after
    stored = _stored_actual(uow, person.id, period.id, metric)
    if stored is not None and figure is not None and Decimal(str(stored)) != figure:
        lines.append(t.EXPLAIN_CHANGED.format(stored=amount(stored, money)))
    fetched: dict[str, Any] = defaultdict(str)
    for f in live:
        fetched[f.source] = max(fetched[f.source], f.fetched_at.isoformat()[:16])
    foot = t.CLAUSE_SEP.join(
        t.SOURCE_AT.format(source=s, at=stamp(at)) for s, at in sorted(fetched.items())
    )
    return Reply(
        cards=(
            Card(
                title,
                tuple(lines),
                ((t.EXPLAIN_RECORDS, num(len(live))),),
                footnote=t.SOURCES_NOTE.format(sources=foot),
            ),
        )
    )


def _facts(uow: UnitOfWork, employee_id: int, period: Period, spec: SpecLike) -> list[MetricFact]:
    names = set(spec.numerator.facts) | set(spec.denominator.facts if spec.denominator else ())
    return uow.scores.facts(employee_id, names, period)


def _side(facts: list[MetricFact], op: str, names: tuple[str, ...]) -> Decimal:
    chosen = [f for f in facts if f.metric in names]
    return (
        Decimal(len(chosen))
        if op == "count"
        else sum((Decimal(str(f.value)) for f in chosen), Decimal(0))
    )


def _figure(spec: SpecLike, facts: list[MetricFact]) -> tuple[Decimal | None, str]:
    """The figure exactly as store/actuals.py computes it, and how it was computed."""
    num_ = _side(facts, spec.numerator.op, spec.numerator.facts)
    if spec.denominator is None:
        return (num_ * spec.scale).quantize(FIGURE_PLACES, ROUND_HALF_UP), t.EXPLAIN_SUM.format(
            op=t.EXPLAIN_OPS.get(spec.numerator.op, spec.numerator.op),
            facts=" + ".join(spec.numerator.facts),
        )
    den = _side(facts, spec.denominator.op, spec.denominator.facts)
    formula = t.EXPLAIN_RATIO.format(
        num=num(num_),
        num_facts=" + ".join(spec.numerator.facts),
        den=num(den),
        den_facts=" + ".join(spec.denominator.facts),
        scale=num(spec.scale),
    )
    if den == 0:
        return None, formula
    return (num_ * spec.scale / den).quantize(FIGURE_PLACES, ROUND_HALF_UP), formula


def _record_line(f: MetricFact, unit: str) -> str:
    line = t.EXPLAIN_RECORD.format(
        day=day(f.occurred_on),
        record=f.record_id,
        metric=f.metric,
        value=amount(f.value, unit),
        source=f.source,
    )
    return f"{line} {f.link}" if f.link else line


def _stored_actual(uow: UnitOfWork, employee_id: int, period_id: int, metric: str) -> Any:
    breakdown = uow.scores.breakdown(employee_id, period_id) or {}
    dim = next((d for d in breakdown.get("dimensions", []) if d.get("metric") == metric), None)
    return dim.get("actual") if dim else None
