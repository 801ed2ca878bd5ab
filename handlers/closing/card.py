"""The preview card HR sees before close, and the result card each person gets at close."""

from __future__ import annotations

from decimal import Decimal

from handlers import strings as t
from handlers.cards import Button, Card
from handlers.closing.outcomes import PersonResult, scorecard_label
from handlers.closing.preview import Group, Preview, missing_summary
from handlers.format import num
from handlers.i18n import term

MAX_PER_LIST = 10


def preview_card(p: Preview, *, may_close: bool) -> Card:
    """Distribution, coverage, who would get what and why; [Close] when it may close."""
    key = p.period.key
    title = (t.PREVIEW_CLOSED_TITLE if p.period.status == "closed" else t.PREVIEW_TITLE).format(
        period=key
    )
    lines = [t.PREVIEW_BY_SCORECARD, *(_group(g) for g in p.by_scorecard)]
    lines += [t.PREVIEW_BY_BRANCH, *(_group(g) for g in p.by_branch)]
    missing = missing_summary(p)
    lines += [t.PREVIEW_MISSING, *(f"  {m}" for m in missing)] if missing else [t.MISSING_NONE]
    lines += _incentive_lines(p)
    calibrated = [r for r in p.results if r.calibrated]
    if calibrated:
        lines.append(t.PREVIEW_CALIBRATED.format(n=len(calibrated)))
        lines += [
            t.PREVIEW_CAL_LINE.format(
                name=r.row.name,
                computed=num(r.row.computed),
                final=num(r.final),
                reason=r.row.reason,
                by=r.row.calibrated_by,
            )
            for r in calibrated[:MAX_PER_LIST]
        ]
    if p.period.status == "open":
        why = t.CLAUSE_SEP.join(p.blockers)
        lines.append(t.PREVIEW_BLOCKED.format(why=why) if p.blockers else t.PREVIEW_READY)
    fields = (
        (t.PREVIEW_PEOPLE, str(p.people)),
        (t.PREVIEW_SCORED, str(p.scored)),
        (t.PREVIEW_COVERAGE, t.PREVIEW_COVERAGE_VALUE.format(
            coverage=num(p.coverage), needed=num(p.min_coverage))),
    )  # fmt: skip
    buttons = (
        (Button(t.CLOSE_BUTTON.format(period=key), "pd:cl", str(p.period.id), "danger"),)
        if p.closable and may_close
        else ()
    )
    return Card(title, tuple(lines), fields, buttons, footnote=t.PREVIEW_FOOT.format(period=key))


def _group(g: Group) -> str:
    if not g.finals:
        return t.PREVIEW_GROUP_EMPTY.format(name=g.name, people=g.people)
    avg = sum(g.finals, Decimal(0)) / len(g.finals)
    return t.PREVIEW_GROUP.format(
        name=g.name, scored=len(g.finals), people=g.people, avg=num(avg, 1),
        low=num(min(g.finals), 1), high=num(max(g.finals), 1),
        bands=t.LIST_SEP.join(f"{term(b)} {n}" for b, n in g.bands),
    )  # fmt: skip


def _incentive_lines(p: Preview) -> list[str]:
    rules: dict[str, list[tuple[PersonResult, str]]] = {}
    for r in p.results:
        for o in r.outcomes:
            rules.setdefault(o.rule, [])
            if o.qualified:
                rules[o.rule].append((r, o.reason))
    lines = []
    for rule, got in rules.items():
        got.sort(key=lambda pair: -(pair[0].final or 0))
        lines.append(t.PREVIEW_WOULD_GET.format(rule=rule, n=len(got)))
        lines += [
            t.PREVIEW_GETS.format(
                name=r.row.name,
                card=scorecard_label(r.row.scorecard),
                final=num(r.final),
                reason=why,
            )
            for r, why in got[:MAX_PER_LIST]
        ] or [t.PREVIEW_NOBODY_GETS]
        if len(got) > MAX_PER_LIST:
            lines.append("  " + t.AND_MORE.format(n=len(got) - MAX_PER_LIST))
    return lines


def result_card(r: PersonResult, period_key: str, kind: str) -> Card:
    """What one person gets at close: score, band, each incentive's outcome and why."""
    title = t.RESULT_TITLE.format(period=period_key)
    if not r.has_data:
        return Card(title, (t.RESULT_NO_DATA.format(kind=kind),))
    lines = [t.RESULT_SCORE.format(final=num(r.final), band=r.band)]
    if r.calibrated:
        lines.append(
            t.RESULT_CALIBRATED.format(
                computed=num(r.row.computed), final=num(r.final), reason=r.row.reason
            )
        )
    lines += [
        (t.RESULT_YES if o.qualified else t.RESULT_NO).format(rule=o.rule, reason=o.reason)
        for o in r.outcomes
    ]
    return Card(title, tuple(lines))
