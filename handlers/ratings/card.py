"""The rating card: a manager's direct reports with their rating, their self-assessment and
the scale as buttons, a page at a time (the strictest platform allows 50 blocks a message,
so at most `MAX_BUTTONS` scale buttons go on one card)."""

from __future__ import annotations

from collections.abc import Sequence

from handlers import strings as t
from handlers.cards import Button, Card, Form, Input, Style
from handlers.format import day
from scoring.config import RatingScale, ScoringConfig
from store.models import Period
from store.ratings import ReportRow
from store.uow import UnitOfWork

MAX_BUTTONS = 50  # per card: ten rows of five, within every platform's limit
MAX_PEOPLE = 10  # per card, whatever the scale
SELF_SHOWN = 280  # characters of a self-assessment shown on the card
NAME_ON_BUTTON = 14


def rated_scorecards(config: ScoringConfig) -> list[str]:
    """The scorecards with a rating dimension: only their people are rated."""
    return [
        key
        for key, card in config.scorecards.items()
        if any(d.kind == "rating" for d in card.dimensions)
    ]


def per_page(scale: RatingScale) -> int:
    """How many people fit one card with the whole scale as buttons for each."""
    return max(1, min(MAX_PEOPLE, MAX_BUTTONS // len(scale.values)))


def pages(rows: Sequence[ReportRow], scale: RatingScale) -> list[Sequence[ReportRow]]:
    """The reports cut into cards."""
    size = per_page(scale)
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def manager_cards(
    uow: UnitOfWork, manager_id: int, period: Period, config: ScoringConfig
) -> list[Card]:
    """Every page of one manager's rating card (empty when they have nobody to rate)."""
    rows = uow.ratings.card_rows([manager_id], period.id, rated_scorecards(config))
    return cards_for(rows, period, config.rating_scale)


def cards_for(rows: Sequence[ReportRow], period: Period, scale: RatingScale) -> list[Card]:
    """The pages of the card for these reports (one manager's)."""
    cut = pages(rows, scale)
    rated = sum(1 for r in rows if r.rating is not None)
    return [
        page_card(chunk, period, scale, rated=rated, total=len(rows), page=(i + 1, len(cut)))
        for i, chunk in enumerate(cut)
    ]


def page_card(
    rows: Sequence[ReportRow],
    period: Period,
    scale: RatingScale,
    *,
    rated: int,
    total: int,
    page: tuple[int, int],
) -> Card:
    """One page: a line or two per person, their scale as buttons, [Comments…], [More]."""
    number, count = page
    title = t.RT_CARD_TITLE.format(period=period.key, rated=rated, total=total)
    if count > 1:
        title += t.RT_PAGE.format(page=number, pages=count)
    lines = [t.RT_CARD_HELP.format(low=scale.low, high=scale.high)]
    buttons: list[Button] = []
    for r in rows:
        lines.append(_person_line(r, scale))
        lines.append(_self_line(r))
        name = _short(r.name)
        for n in scale.values:
            mark = " ✓" if n == r.rating else ""
            style: Style = "primary" if n == r.rating else "default"
            buttons.append(
                Button(f"{name} {n}{mark}", "rt", f"{period.id}.{r.employee_id}.{n}", style)
            )
    buttons.append(Button(t.RT_COMMENTS_BUTTON, "rt:cm", f"{period.id}.{number}"))
    if number < count:
        buttons.append(
            Button(
                t.RT_MORE.format(page=number + 1, pages=count), "rt:pg", f"{period.id}.{number + 1}"
            )
        )
    foot = t.RT_CARD_FOOT.format(end=day(period.ends_on))
    return Card(title=title, lines=tuple(lines), buttons=tuple(buttons), footnote=foot)


def comment_form(rows: Sequence[ReportRow], period: Period, scale: RatingScale, page: int) -> Card:
    """One optional comment per person on a page, pre-filled with the current one."""
    inputs = tuple(
        Input(
            f"e{r.employee_id}",
            t.RT_COMMENT_LABEL.format(name=r.name, rating=_rating(r, scale)),
            required=False,
            initial=r.note,
        )
        for r in rows
    )
    title = t.RT_COMMENT_FORM.format(period=period.key)
    form = Form(title, "rt:cm", f"{period.id}.{page}", inputs, t.RT_COMMENT_SAVE)
    return Card(title, (t.RT_COMMENT_HELP,), form=form)


def _person_line(r: ReportRow, scale: RatingScale) -> str:
    line = t.RT_PERSON.format(name=r.name, rating=_rating(r, scale))
    if r.note:
        line += t.RT_PERSON_NOTE.format(note=_clip(r.note, SELF_SHOWN))
    if r.rater:
        line += t.RT_PERSON_BY.format(rater=r.rater)
    return line


def _self_line(r: ReportRow) -> str:
    if not r.self_text:
        return t.RT_NO_SELF
    return t.RT_SELF.format(text=_clip(r.self_text, SELF_SHOWN))


def _rating(r: ReportRow, scale: RatingScale) -> str:
    if r.rating is None:
        return t.RT_NOT_RATED
    return t.RT_RATED.format(rating=r.rating, high=scale.high)


def _short(name: str) -> str:
    return name if len(name) <= NAME_ON_BUTTON else name[: NAME_ON_BUTTON - 1] + "…"


def _clip(text: str, limit: int) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"
