"""A console input line: a slash command, or `press ACTION VALUE [name=value ...]`."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from bot.console import texts as st
from handlers.press import Press


@dataclass(frozen=True)
class ConsoleError:
    """A press line that can't be read: what is wrong, with the usage."""

    problem: str


def parse_line(line: str) -> str | Press | ConsoleError:
    """Split a console line into a button press (with form fields) or the text of a command
    (returned as typed, stripped)."""
    stripped = line.strip()
    if not stripped.lower().startswith("press"):
        return stripped
    try:
        parts = shlex.split(stripped)
    except ValueError as exc:
        return ConsoleError(st.BAD_LINE.format(problem=exc, usage=st.PRESS_USAGE))
    if parts[0].lower() != "press":
        return stripped
    args = parts[1:]
    if not args:
        return ConsoleError(st.WHICH_BUTTON.format(usage=st.PRESS_USAGE))
    action, rest = args[0], args[1:]
    # `press ap:acc:42` (the callback as shown) is the same as `press ap:acc 42`.
    if not rest or "=" in rest[0]:
        head, _, tail = action.rpartition(":")
        if (head and ":" in head) or (head and tail.isdigit()):
            action, rest = head, [tail, *rest]
    value = rest[0] if rest and "=" not in rest[0] else ""
    fields = rest[1:] if value else rest
    form: dict[str, str] = {}
    for f in fields:
        name, sep, val = f.partition("=")
        if not sep or not name:
            return ConsoleError(st.NOT_FIELD.format(field=f, usage=st.PRESS_USAGE))
        form[name] = val
    return Press(action=action, value=value, form=form)
