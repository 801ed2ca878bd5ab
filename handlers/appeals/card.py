"""The card a manager (or HR) resolves an appeal on: figure, provenance, fresh source, reason."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from handlers import strings as t
from handlers.appeals.figures import Disputed
from handlers.cards import Button, Card
from handlers.format import amount, day, num, pct, plural, record_unit
from handlers.i18n import say
from handlers.praise.contribution import dimension_sources, is_rating
from said import said_of
from store.models import Appeal, MetricFact

log = logging.getLogger(__name__)

# refetch(source, record_id) -> the record as the source has it now, or None when no
# connector can say. The dict holds the value under the fact metric's name or "value",
# and "void": True when the source dropped the record.
Refetch = Callable[[str, str], dict[str, Any] | None]
# (source, record_id) -> the re-fetched record, None (can't tell) or an error message (a
# Said when the connector worded it).
Fresh = dict[tuple[str, str], dict[str, Any] | str | None]


def fetch_fresh(refetch: Refetch | None, keys: Iterable[tuple[str, str]]) -> Fresh:
    """Ask the sources again for each record; a failing source is noted, never fatal."""
    fresh: Fresh = {}
    for key in dict.fromkeys(keys):
        if refetch is None:
            continue
        try:
            fresh[key] = refetch(*key)
        except Exception as exc:  # a source being down must not stop the appeal
            log.warning("re-fetch of %s %s failed: %s", key[0], key[1], exc)
            # a connector's Said kept whole: the card says it in its reader's language
            fresh[key] = said_of(exc) or str(exc)[:120] or type(exc).__name__
    return fresh


def decision_buttons(appeal_id: int, *, escalate: bool) -> tuple[Button, ...]:
    """[Accept and correct] [Reject] [Ask for details] and, for a manager, [Escalate to HR]."""
    v = str(appeal_id)
    buttons = (
        Button(t.AP_ACCEPT, "ap:acc", v, "primary"),
        Button(t.AP_REJECT, "ap:rej", v, "danger"),
        Button(t.AP_ASK, "ap:ask", v),
    )
    return buttons + ((Button(t.AP_ESCALATE, "ap:esc", v),) if escalate else ())


def appeal_card(
    appeal: Appeal,
    who: str,
    period_key: str,
    d: Disputed,
    fresh: Fresh,
    *,
    heading: str,
    escalate: bool,
    notes: tuple[str, ...] = (),
) -> Card:
    """Everything needed to decide without leaving chat, with the decision buttons;
    `notes` say how the figure stands (closed period, rating, correction: figure_notes)."""
    lines = [
        t.AP_CARD_FIGURE.format(
            name=who, label=d.label, period=period_key, figure=_figure(d.dim, d.snapshot, d.unit)
        ),
        t.AP_CARD_REASON.format(reason=appeal.reason),
    ]
    if appeal.details:
        lines.extend(appeal.details.strip().splitlines())
    lines.extend(notes)
    if d.count:
        lines.append(t.AP_CARD_RECORDS.format(shown=len(d.facts), count=d.count))
    elif not d.is_rating:
        lines.append(t.AP_CARD_NO_RECORDS.format(period=period_key))
    changed = 0
    unit = record_unit(d.spec, d.unit)  # a sale's record reads as money, like its figure
    for f in d.facts:
        note, differs = _fresh_note(f, fresh.get((f.source, f.record_id)), unit)
        changed += differs
        lines.append(_record_line(f, unit) + note)
    if d.count > len(d.facts):
        lines.append(t.AP_CARD_MORE.format(more=plural(d.count - len(d.facts), t.MORE_RECORDS)))
    if any(isinstance(v, dict) for v in fresh.values()):
        lines.append(
            t.AP_FRESH_SUMMARY.format(records=plural(changed, t.RECORDS))
            if changed
            else t.AP_FRESH_SAME
        )
    return Card(
        title=heading,
        lines=tuple(lines),
        fields=((t.AP_FIELD_STATUS, t.AP_STATUS.get(appeal.status, appeal.status)),),
        buttons=decision_buttons(appeal.id, escalate=escalate),
        footnote=t.AP_CARD_FOOT.format(id=appeal.id),
    )


def _figure(dim: dict[str, Any], actual: Decimal | None, unit: str = "") -> str:
    if actual is None:
        return t.AP_NO_FIGURE
    if is_rating(dim):
        return t.AP_RATING_FIGURE.format(actual=num(actual), attainment=pct(dim.get("attainment")))
    sources = t.LIST_SEP.join(dimension_sources(dim)) or t.PRAISE_NO_SOURCE
    return t.AP_FIGURE.format(
        actual=amount(actual, unit),
        target=amount(dim.get("target"), unit),
        attainment=pct(dim.get("attainment")),
        sources=sources,
    )


def _record_line(f: MetricFact, unit: str) -> str:
    line = t.AP_RECORD.format(
        on=day(f.occurred_on),
        source=f.source,
        record_id=f.record_id,
        metric=f.metric,
        value=amount(f.value, unit),
    )
    return f"{line} {f.link}" if f.link else line


def _fresh_note(f: MetricFact, got: dict[str, Any] | str | None, unit: str) -> tuple[str, int]:
    """What the source says now about one record, and 1 when it differs from ours."""
    if got is None:
        return "", 0
    if isinstance(got, str):
        return t.AP_FRESH_FAILED.format(error=say(got)[:120]), 0
    if got.get("void"):
        return t.AP_FRESH_GONE, 1
    raw = got.get(f.metric, got.get("value"))
    try:
        now = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return "", 0
    if now == f.value:
        return t.AP_FRESH_SAME_ONE, 0
    diff = now - f.value
    sign = "+" if diff > 0 else "-"
    return t.AP_FRESH_DIFF.format(now=amount(now, unit), diff=sign + amount(abs(diff), unit)), 1
