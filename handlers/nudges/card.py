"""The cards of an at-risk nudge: to the manager, and the softer one to the employee."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from handlers import strings_en as t
from handlers.cards import Button, Card
from handlers.format import num, pct
from handlers.nudges.sweep_findings import Finding

TOP = 3


def _first(name: str) -> str:
    return name.split()[0] if name.split() else name


def _unit(u: str) -> str:
    """`%` sticks to the figure, a currency or unit word is spaced: 3%, 1,000,000 CNY."""
    return f" {u}" if u and u[0].isalnum() else u


def _day(d: date) -> str:
    return f"{d.day} {d:%b}"


def _end(iso: str) -> str:
    return _day(date.fromisoformat(iso))


def _main_line(f: Finding) -> str:
    if f.expected is None:
        return t.NUDGE_LINE_LOWER.format(
            first=_first(f.name), ratio=pct(f.ratio), metric=f.label,
            actual=num(f.actual), target=num(f.target), unit=_unit(f.unit),
        )  # fmt: skip
    return t.NUDGE_LINE.format(
        first=_first(f.name), ratio=pct(f.ratio), metric=f.label,
        actual=num(f.actual), expected=num(f.expected),
    )  # fmt: skip


def _missing(f: Finding) -> str:
    if f.expected is None:
        return t.NUDGE_MISSING_LOWER.format(
            metric=f.label, actual=num(f.actual), target=num(f.target), unit=_unit(f.unit)
        )
    return t.NUDGE_MISSING_ITEM.format(metric=f.label, gap=num(f.expected - f.actual))


def manager_card(f: Finding, behind: list[Finding], *, today: datetime) -> Card:
    """“Ana is at 62% of pace on sales: 620k of the 1.0M expected by today. Top missing: …”"""
    worst = sorted(behind, key=lambda x: x.ratio if x.ratio is not None else Decimal(0))
    lines = [_main_line(f), t.NUDGE_MISSING.format(items=" · ".join(map(_missing, worst[:TOP])))]
    if f.expected is not None and f.target > f.actual:
        lines.append(
            t.NUDGE_TO_GO.format(
                to_go=num(f.target - f.actual),
                target=num(f.target),
                unit=_unit(f.unit),
                end=_end(f.ends_on),
            )
        )
    if f.behind_since is not None and f.behind_since.date() < today.date():
        lines.append(t.NUDGE_SINCE.format(since=_day(f.behind_since.date())))
    first = _first(f.name)
    return Card(
        title=t.NUDGE_TITLE.format(name=f.name, metric=f.label),
        lines=tuple(lines),
        buttons=(
            Button(t.NUDGE_OPEN_SCORE, "sc", str(f.employee_id), "primary"),
            Button(t.NUDGE_MESSAGE.format(first=first), "nd:msg", str(f.employee_id)),
            Button(t.NUDGE_SNOOZE, "nd:snz", str(f.goal_id)),
        ),
        footnote=t.NUDGE_FOOT.format(period=f.period_key),
    )


def employee_card(f: Finding) -> Card:
    """The softer nudge to the employee: where they are, and that there is time."""
    if f.expected is None:
        line = t.NUDGE_SELF_LINE_LOWER.format(
            ratio=pct(f.ratio), actual=num(f.actual), target=num(f.target), unit=_unit(f.unit)
        )
        lines: tuple[str, ...] = (line,)
    else:
        line = t.NUDGE_SELF_LINE.format(
            ratio=pct(f.ratio), actual=num(f.actual), expected=num(f.expected)
        )
        cheer = t.NUDGE_SELF_CHEER.format(to_go=num(f.target - f.actual), end=_end(f.ends_on))
        lines = (line, cheer)
    return Card(
        title=t.NUDGE_SELF_TITLE.format(metric=f.label),
        lines=lines,
        buttons=(Button(t.NUDGE_OPEN_SCORE, "sc", str(f.employee_id), "primary"),),
    )
