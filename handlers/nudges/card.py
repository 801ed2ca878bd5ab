"""The sweep's cards: one digest per manager (each person behind, their worst goal first,
and what waits for the manager), and the softer one to the employee."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from handlers import strings as t
from handlers.cards import Button, Card, chat_button
from handlers.format import about, day_month, is_currency, money, num, pct
from handlers.i18n import ENGLISH, current
from handlers.nudges.sweep_findings import Finding

TOP = 3


def _unit(u: str) -> str:
    """`%` sticks to the figure, a currency or unit word is spaced: 3%, 1,000,000 CNY."""
    return f" {u}" if u and u[0].isalnum() else u


def _figure(value: Decimal, unit: str) -> tuple[str, str]:
    """A figure and the unit after it (`1,000,000` ` CNY`); money for readers whose language
    writes it so (`¥100万`, no unit after it)."""
    if current() != ENGLISH and is_currency(unit):
        return money(value, unit), ""
    return num(value), _unit(unit)


def _day(d: date) -> str:
    return day_month(d)  # `30 Nov`, zh `11月30日`


def _end(iso: str) -> str:
    return _day(date.fromisoformat(iso))


def _target(f: Finding) -> dict[str, str]:
    target, unit = _figure(f.target, f.unit)
    return {"target": target, "unit": unit}


def worst_first(fs: Sequence[Finding]) -> list[Finding]:
    """A person's goals behind, the furthest behind first (no figure yet: last)."""
    return sorted(fs, key=lambda x: (x.ratio is None, x.ratio or Decimal(0), x.goal_id))


def _main_line(f: Finding) -> str:
    if f.expected is None:
        return t.NUDGE_LINE_LOWER.format(
            first=f.name, ratio=pct(f.ratio), metric=f.label,
            actual=_figure(f.actual, f.unit)[0], **_target(f),
        )  # fmt: skip
    return t.NUDGE_LINE.format(
        first=f.name, ratio=pct(f.ratio), metric=f.label,
        actual=_figure(f.actual, f.unit)[0], expected=_figure(about(f.expected, f.unit), f.unit)[0],
    )  # fmt: skip


def person_lines(behind: Sequence[Finding], *, today: datetime) -> list[str]:
    """One person's part of the digest: the worst goal in full, the others in a line."""
    worst = worst_first(behind)
    f = worst[0]
    lines = [t.DIGEST_PERSON.format(line=_main_line(f))]
    others = [t.DIGEST_ALSO_ITEM.format(metric=o.label, ratio=pct(o.ratio)) for o in worst[1:]]
    if others:
        lines.append(t.DIGEST_ALSO.format(items=" · ".join(others[:TOP])))
    if f.expected is not None and f.target > f.actual:
        to_go = t.NUDGE_TO_GO.format(
            to_go=_figure(f.target - f.actual, f.unit)[0], **_target(f), end=_end(f.ends_on),
        )  # fmt: skip
        lines.append(to_go)
    since = min((x.behind_since for x in behind if x.behind_since), default=None)
    if since is not None and since.date() < today.date():
        lines.append(t.NUDGE_SINCE.format(since=_day(since.date())))
    return lines


def person_buttons(f: Finding, accounts: Sequence[Any]) -> tuple[Button, ...]:
    """[<name>'s score] [Message <name>] [Snooze <name> 1 week]: one set per person."""
    pid = str(f.employee_id)
    return (
        Button(t.DIGEST_SCORE.format(name=f.name), "sc", pid, "primary"),
        chat_button(t.NUDGE_MESSAGE.format(first=f.name), "nd:msg", f.employee_id, accounts),
        Button(t.DIGEST_SNOOZE.format(name=f.name), "nd:snzp", pid),
    )


def manager_digest(
    people: Sequence[Sequence[Finding]],
    waiting: Sequence[tuple[str, tuple[Button, ...]]],
    accounts: Mapping[int, Sequence[Any]],
    *,
    today: datetime,
) -> Card:
    """Everything one sweep has for one manager, as one card: the people behind (the
    furthest behind first) and what waits for the manager (a line and its buttons each)."""
    ranked = sorted(people, key=lambda fs: _rank(worst_first(fs)[0]))
    lines: list[str] = []
    buttons: list[Button] = []
    for fs in ranked:
        lines += person_lines(fs, today=today)
        buttons += person_buttons(fs[0], accounts.get(fs[0].employee_id, ()))
    if waiting and ranked:
        lines.append(t.DIGEST_WAITING)
    for line, more in waiting:
        lines.append(t.DIGEST_PERSON.format(line=line))
        buttons += more
    if not ranked:
        title = t.DIGEST_WAITING_TITLE
    elif len(ranked) == 1:  # the notification preview names them and their worst goal
        worst = worst_first(ranked[0])[0]
        title = t.NUDGE_TITLE.format(name=worst.name, metric=worst.label)
    else:
        title = t.DIGEST_BEHIND_MANY.format(n=len(ranked))
    periods = sorted({f.period_key for fs in ranked for f in fs})
    foot = t.DIGEST_FOOT.format(period=t.LIST_SEP.join(periods)) if periods else ""
    return Card(title=title, lines=tuple(lines), buttons=tuple(buttons), footnote=foot)


def _rank(f: Finding) -> tuple[bool, Decimal, int]:
    return (f.ratio is None, f.ratio or Decimal(0), f.employee_id)


def employee_card(behind: Sequence[Finding]) -> Card:
    """The softer nudge to the employee: where they are on their worst goal, and that
    there is time (the other goals behind in a line)."""
    worst = worst_first(behind)
    f = worst[0]
    if f.expected is None:
        line = t.NUDGE_SELF_LINE_LOWER.format(
            ratio=pct(f.ratio), actual=_figure(f.actual, f.unit)[0], **_target(f)
        )
        lines = [line]
    else:
        line = t.NUDGE_SELF_LINE.format(
            ratio=pct(f.ratio),
            actual=_figure(f.actual, f.unit)[0],
            expected=_figure(about(f.expected, f.unit), f.unit)[0],
        )
        cheer = t.NUDGE_SELF_CHEER.format(
            to_go=_figure(f.target - f.actual, f.unit)[0], end=_end(f.ends_on)
        )
        lines = [line, cheer]
    others = [t.DIGEST_ALSO_ITEM.format(metric=o.label, ratio=pct(o.ratio)) for o in worst[1:]]
    if others:
        lines.append(t.DIGEST_ALSO.format(items=" · ".join(others[:TOP])))
    return Card(
        title=t.NUDGE_SELF_TITLE.format(metric=f.label),
        lines=tuple(lines),
        buttons=(Button(t.NUDGE_OPEN_SCORE, "sc", str(f.employee_id), "primary"),),
    )
