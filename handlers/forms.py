"""The "form or act" step of a button: a form to fill in until its required field holds
something, then the value to act on."""

from __future__ import annotations

import unicodedata

from handlers.cards import Card, Form, Input, Reply
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


def off_the_list(item: Input, answer: str) -> bool:
    """Whether an answer to a choice is a number no option has (`9` of three): asked again
    where the platform can ask, rather than passed on as a name."""
    typed = answer.strip()
    if item.kind != "choice" or not unicodedata.normalize("NFKC", typed).isdecimal():
        return False
    return chosen(item, typed) == typed and all(value != typed for value, _ in item.options)


def chosen(item: Input, answer: str) -> str:
    """The value an answer to a choice picks: a value as it is, the number of an option as
    a numbered list shows it (from 1), or its label; anything else is returned as typed, for
    the use case to resolve (free text stays accepted)."""
    typed = answer.strip()
    if item.kind != "choice" or not typed:
        return typed
    if any(value == typed for value, _ in item.options):
        return typed
    folded = unicodedata.normalize("NFKC", typed).casefold()
    if folded.isdecimal() and 1 <= int(folded) <= len(item.options):
        return item.options[int(folded) - 1][0]
    named = [
        v for v, label in item.options if unicodedata.normalize("NFKC", label).casefold() == folded
    ]
    return named[0] if len(named) == 1 else typed
