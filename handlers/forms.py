"""The "form or act" step of a button: a form to fill in until its required field holds
something, then the value to act on."""

from __future__ import annotations

from handlers.cards import Card, Form, Reply
from handlers.press import Press

Errors = tuple[tuple[str, str], ...]


def ask_form(form: Form, *lines: str, errors: Errors = ()) -> Reply:
    """A form to fill in; sent back with errors, it spells out each problem as well."""
    shown = lines + tuple(message for _, message in errors)
    card = Card(title=form.title, lines=shown, form=form)
    return Reply(cards=(card,), ok=not errors, errors=errors)


def required_text(
    press: Press, form: Form, field: str, missing: str, *lines: str, limit: int = 1000
) -> str | Reply:
    """The text of a required field (trimmed, at most `limit` characters), or the form to
    fill in: blank at the first press, with `missing` when it was sent empty."""
    value = press.form.get(field, "").strip()[:limit]
    if value:
        return value
    return ask_form(form, *lines, errors=((field, missing),) if press.form else ())
