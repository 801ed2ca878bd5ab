"""Words said below the edge (connectors, scoring, store, handlers' checks), kept so the edge
can say them again in the reader's language.

A `Said` is its English text (a str, so every caller, test and log that reads the English
is unchanged) that also remembers the msgid and the named values it was made from; the
catalogue lives in handlers.i18n, which renders a Said in the current locale. This package
imports nothing of ours, so every layer may use it (scoring included).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Said(str):
    """`msgid.format(**params)` in English, remembering `msgid` and `params` for the edge."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Said:
        self = super().__new__(cls, msgid.format(**params))
        self.msgid, self.params = msgid, params
        return self

    def map(self, fn: Callable[[str], str]) -> Said:
        """The same words with `fn` applied to every text value, a Said's too (a secret
        scrubbed from what a source answered, say)."""
        return Said(self.msgid, **{k: _mapped(v, fn) for k, v in self.params.items()})

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:
        return (self.msgid,), self.params  # pickles (a worker's exception) keep the msgid


class SaidError(Exception):
    """An error whose message is a Said: `str(exc)` is the English, `exc.said` the rest."""

    def __init__(self, said: Said, *args: Any) -> None:
        super().__init__(said, *args)
        self.said = said


def _mapped(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, Said):
        return value.map(fn)
    return fn(value) if isinstance(value, str) else value


def said_of(value: object) -> Said | None:
    """The Said behind a value: itself, or what an exception was raised with when its text
    is exactly that Said (an exception that words itself otherwise has none)."""
    if isinstance(value, Said):
        return value
    if isinstance(value, BaseException):
        found = getattr(value, "said", None)
        if found is None and value.args and isinstance(value.args[0], Said):
            found = value.args[0]
        if isinstance(found, Said) and str(value) == found:
            return found
    return None


def joined(sep: str, parts: list[Any], lead: str = "") -> Said:
    """Parts joined by `sep`, each led by `lead` and still said in the reader's language (a
    list of problems that became one exception message)."""
    names = {f"p{i}": part for i, part in enumerate(parts)}
    sep, lead = (s.replace("{", "{{").replace("}", "}}") for s in (sep, lead))
    return Said(sep.join(f"{lead}{{{k}}}" for k in names), **names)


def to_data(value: Any) -> Any:
    """A Said as JSON data (msgid and values, nested ones too), to be stored and said again
    later in whoever reads it's language; anything else as it is."""
    if isinstance(value, Said):
        return {"msgid": value.msgid, "params": {k: to_data(v) for k, v in value.params.items()}}
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def data_of(value: object) -> dict[str, Any] | None:
    """The Said behind a value (see `said_of`) as `to_data` stores it; None when the value
    words itself in no Said (plain text, kept as it is)."""
    found = said_of(value)
    return to_data(found) if found is not None else None


def from_data(data: Any) -> Said | None:
    """The Said `to_data` stored; None when `data` is not one (or no longer words itself)."""
    if not isinstance(data, dict) or not isinstance(data.get("msgid"), str):
        return None
    given = data.get("params")
    params: dict[str, Any] = given if isinstance(given, dict) else {}
    try:
        return Said(data["msgid"], **{k: from_data(v) or v for k, v in params.items()})
    except (KeyError, IndexError, ValueError, TypeError):  # a msgid changed since it was stored
        return None
