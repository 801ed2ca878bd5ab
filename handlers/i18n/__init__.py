"""The language perfbot speaks right now: a request-scoped locale and its gettext catalogue.

English is the source language (the messages modules' text is the msgid), so English is the
identity; other locales read `locale/<locale>/LC_MESSAGES/perfbot.po`, compiled in memory at
first use. `speaking(locale)` sets the locale for the code inside it (a ContextVar: each
request, thread or task has its own).
"""

from __future__ import annotations

import contextvars
import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from said import said_of

DOMAIN = "perfbot"
# The context of every counted noun: "3 个目标" (a count) is not the table header "目标".
COUNT = "count"
# The context of words from the configuration (scorecard labels, band and incentive names,
# period kinds): data that messages receive as arguments, translated when catalogued.
TERM = "term"
ENGLISH = "en"
LOCALE_DIR = Path(__file__).parent / "locale"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("perfbot_locale", default=ENGLISH)


def available() -> tuple[str, ...]:
    """The locales perfbot speaks: English and every catalogue shipped."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (ENGLISH, *found)


def normalize(tag: str | None) -> str | None:
    """A locale as the org file or a chat platform writes it (`zh-CN`, `zh-hans`), as one
    perfbot speaks (`zh_CN`, `en`); None when perfbot doesn't speak that language."""
    if not tag or not tag.strip():
        return None
    parts = tag.strip().replace("-", "_").split("_")
    language = parts[0].lower()
    if language == "en":
        return ENGLISH
    if language == "zh":  # Simplified is the only Chinese catalogue: every Chinese reader
        return "zh_CN" if "zh_CN" in available() else None
    for loc in available():
        if loc.split("_")[0].lower() == language:
            return loc
    return None


def current() -> str:
    """The locale being spoken (English unless inside `speaking`)."""
    return _current.get()


@contextmanager
def speaking(locale: str | None) -> Iterator[str]:
    """Speak `locale` (normalised; English when unknown or None) inside the block."""
    token = _current.set(normalize(locale) or ENGLISH)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@lru_cache(maxsize=8)
def translations(locale: str) -> NullTranslations:
    """The catalogue of a locale, compiled in memory from its .po (English: none)."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if locale == ENGLISH or not po.exists():
        return NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)  # a fuzzy guess is never shown
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


def gettext(msgid: str) -> str:
    """`msgid` in the current locale (itself when untranslated)."""
    locale = _current.get()
    if locale == ENGLISH:
        return msgid
    return translations(locale).gettext(msgid)


def ngettext(one: str, many: str, n: int) -> str:
    """The form of a counted noun for `n` in the current locale's plural rules (catalogued
    in the context COUNT, with the measure word it needs)."""
    locale = _current.get()
    if locale == ENGLISH:
        return one if n == 1 else many
    return translations(locale).npgettext(COUNT, one, many, n)


def term(value: Any) -> Any:
    """A word from the configuration (`Sales`, `excellent`, `bonus`) in the current locale
    when the catalogue knows it (context TERM); anything else as it is."""
    locale = _current.get()
    if locale == ENGLISH or not isinstance(value, str) or not value:
        return value
    return translations(locale).pgettext(TERM, value)


def say(value: object) -> str:
    """What `value` says in the current locale: a Said (or an exception raised with one,
    from connectors, scoring, store or a check) through the catalogue, its Said values
    too; anything else as `str` gives it."""
    found = said_of(value)
    if found is None:
        return str(value)
    if _current.get() == ENGLISH:
        return str(found)
    params = {k: say(v) if said_of(v) is not None else v for k, v in found.params.items()}
    return _worded(found.msgid).format(**params)


_PART = re.compile(r"\{p\d+\}")


def _worded(msgid: str) -> str:
    """The catalogue's words for `msgid`; a list `said.joined` made (`{p0}; {p1}`, in no
    catalogue) with each separator in the reader's punctuation instead (`；`, `、`)."""
    words = gettext(msgid)
    parts = _PART.findall(msgid)
    if words != msgid or not parts or parts != [f"{{p{i}}}" for i in range(len(parts))]:
        return words
    gaps = [gettext(gap) if gap else gap for gap in _PART.split(msgid)]
    return "".join(g + p for g, p in zip(gaps, [*parts, ""], strict=True))


class Text(str):
    """A message in the current locale whose `format` also translates the configuration
    words it is given (a scorecard's `{label}`, a `{band}`): they are catalogued once, as
    terms, instead of at every place a message names them."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> str:
        return str.format(self, *map(term, args), **{k: term(v) for k, v in kwargs.items()})


def localized(value: Any) -> Any:
    """A messages module's value in the current locale: a string translated, a dict value
    by value, a tuple item by item; a pair (a noun's one and many forms) stays English, as
    `handlers.format.plural` asks the catalogue for the form a count needs."""
    if _current.get() == ENGLISH:
        return value
    if isinstance(value, str):
        return Text(gettext(value))
    if isinstance(value, Mapping):
        return {k: localized(v) for k, v in value.items()}
    if isinstance(value, tuple) and not is_noun(value):
        return tuple(localized(v) for v in value)
    return value


def is_noun(value: Any) -> bool:
    """Whether a messages-module value is a noun's (one, many) forms: a pair of strings."""
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value)
