"""The extraction check: every text of the messages modules is in each catalogue, translated,
not fuzzy, with the same {placeholders}; nothing stale; the template is current."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.catalogue import catalogued
from handlers.i18n import LOCALE_DIR, available

LOCALES = [loc for loc in available() if loc != "en"]


def _read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _key(m: Message) -> tuple[str, str]:
    """(context, msgid) of a catalogue entry, as `catalogued` keys messages."""
    return (m.context or "", m.id if isinstance(m.id, str) else m.id[0])


def _fields(text: str) -> set[str]:
    """`{name}`, `{who!r}`, `{n:,}` as written (a translation keeps each one verbatim), but
    `{who!r}` counts as `{who}`: a translation may quote a value in its own marks (“{who}”)."""
    out = set()
    for _, name, spec, conv in string.Formatter().parse(text):
        if name is not None:
            shown = f"!{conv}" if conv and conv != "r" else ""
            out.add(name + shown + (f":{spec}" if spec else ""))
    return out


def _placeholders_fit(used: set[str], message: str | tuple[str, str]) -> bool:
    """A translation keeps a text's placeholders verbatim. A plural's forms are all formatted
    with every placeholder of its English forms (click's "Did you mean {possibility}?" /
    "(... one of: {possibilities}?)"), so each form keeps those both English forms share and
    may use the others; a language with one form (Chinese) writes the many-form's."""
    if isinstance(message, str):
        return used == _fields(message)
    one, many = _fields(message[0]), _fields(message[1])
    return one & many <= used <= one | many


def test_there_is_a_chinese_catalogue() -> None:
    assert "zh_CN" in LOCALES


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_with_its_placeholders(locale: str) -> None:
    wanted = catalogued()
    po = _read(LOCALE_DIR / locale / "LC_MESSAGES" / "perfbot.po")
    have = {_key(m): m for m in po if m.id}
    problems = []
    for key, message in wanted.items():
        entry = have.get(key)
        if entry is None:
            problems.append(f"missing: {key!r}")
            continue
        if isinstance(message, tuple) != isinstance(entry.id, tuple):
            problems.append(f"plural/singular mismatch: {key!r}")
        strings = (entry.string,) if isinstance(entry.string, str) else tuple(entry.string or ())
        if not all(strings):
            problems.append(f"untranslated: {key!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        for text in strings:
            if text and not _placeholders_fit(_fields(text), message):
                problems.append(f"placeholders differ: {key!r}: {_fields(text)}")
    problems += [f"stale: {key!r}" for key in have.keys() - wanted.keys()]
    assert not problems, f"{locale} ({len(problems)}); run scripts/catalogue.sh:\n" + "\n".join(
        problems
    )


def test_the_template_is_current() -> None:
    pot = {_key(m) for m in _read(LOCALE_DIR / "perfbot.pot") if m.id}
    wanted = set(catalogued())
    assert pot == wanted, (
        f"run scripts/catalogue.sh: new {sorted(wanted - pot)[:5]}, gone {sorted(pot - wanted)[:5]}"
    )


def test_the_check_finds_a_broken_entry(tmp_path: Path) -> None:
    assert _fields("{name}'s {metric!s}: {n:,}") == {"name", "metric!s", "n:,"}
    assert _fields("{name} 的 {metric}") != _fields("{name}'s {metric!s}")
    assert _fields("{name} 的“{metric}”") == _fields("{name}'s {metric!r}")  # own quotes
    pair = ("{value!r} is not {choice}.", "{value!r} is not one of {choices}.")
    assert _placeholders_fit({"value", "choices"}, pair)
    assert not _placeholders_fit({"choices"}, pair)  # what both forms say is kept
    assert not _placeholders_fit({"value", "choices", "n"}, pair)  # nothing new
    assert not _placeholders_fit({"value"}, ("{value!r} is {n}", "{value!r} are {n}"))
