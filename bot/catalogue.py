"""The msgids of the messages modules, for `pybabel extract` and the catalogue check.

The messages modules hold plain constants (strings, dicts of strings, tuples of strings),
some built by concatenation, so a module is executed on its own (it imports nothing of
ours) and its values read: what people see is exactly what is catalogued. A pair of
strings is a noun's (one, many) forms and becomes one plural entry (context `count`); the
`TERMS` of a module and the words of the default configuration (labels, bands, incentive
names) become terms (context `term`, see handlers.i18n.Text).
"""

from __future__ import annotations

import ast
import runpy
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import yaml

from handlers.closing.outcomes import scorecard_label
from handlers.i18n import COUNT, TERM, is_noun

ROOT = Path(__file__).resolve().parents[1]
# The default configuration, whose words (labels, bands, incentives) are catalogued as terms.
CONFIG = ("bot/defaults/scoring.yaml", "bot/defaults/metrics.yaml")
# Every messages module, relative to the repository root (babel.cfg lists the same).
MODULES = (
    "handlers/strings_en.py",
    "bot/cli/strings.py",
    "bot/cli/help_texts.py",
    "bot/cli/click_words.py",
    "bot/slack/strings.py",
    "bot/telegram/strings.py",
    "bot/feishu/strings.py",
    "bot/console/strings.py",
    "connectors/strings.py",
    "scoring/strings.py",
    "store/strings.py",
    "bot/strings.py",
)

Message = str | tuple[str, str]  # a text, or a noun's (one, many) forms
Key = tuple[str, str]  # (context, msgid): a noun's context is COUNT
Extracted = tuple[int, str, str | tuple[str, ...], list[str]]


def extract_messages(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[Extracted]:
    """A Babel extraction method (babel.cfg `[extractors]`): (line, function, message,
    comments) for every text of one messages module."""
    source = fileobj.read().decode("utf-8")
    path = getattr(fileobj, "name", "<messages>")
    yield from _messages(source, str(path))


def extract_terms(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[Extracted]:
    """A Babel extraction method for a scoring or metrics YAML: its words as terms."""
    for word in _config_words(fileobj.read().decode("utf-8")):
        yield 1, "pgettext", (TERM, word), []


def catalogued(modules: tuple[str, ...] = MODULES) -> dict[Key, Message]:
    """Every message of the messages modules and every term, by (context, msgid)."""
    found: dict[Key, Message] = {}
    for rel in modules:
        path = ROOT / rel
        for _, _, extracted, _ in _messages(path.read_text(encoding="utf-8"), str(path)):
            key = _key(extracted)
            if key[0] == COUNT and not isinstance(extracted, str):
                found.setdefault(key, _noun(extracted))
            else:
                found.setdefault(key, key[1])
    for rel in CONFIG:
        for word in _config_words((ROOT / rel).read_text(encoding="utf-8")):
            found.setdefault((TERM, word), word)
    return found


def _key(extracted: str | tuple[str, ...]) -> Key:
    if isinstance(extracted, str):
        return ("", extracted)
    return (extracted[0], extracted[1])


def _config_words(text: str) -> Iterator[str]:
    """Scorecard names, labels of dimensions and metrics, band and incentive names, in
    order."""
    data = yaml.safe_load(text) or {}
    for key, card in (data.get("scorecards") or {}).items():
        yield scorecard_label(key)  # as cards name a scorecard: sales_rep -> Sales rep
        for d in card.get("dimensions") or ():
            yield from [d["label"]] if d.get("label") else []
    for band in data.get("bands") or ():
        yield band["name"]
    for rule in data.get("incentives") or ():
        yield rule["name"]
    for metric in (data.get("metrics") or {}).values():
        yield from [metric["label"]] if isinstance(metric, dict) and metric.get("label") else []


def _messages(source: str, path: str) -> Iterator[Extracted]:
    values = runpy.run_path(path) if Path(path).exists() else _run(source)
    for name, line in _assignments(source):
        value = values.get(name)
        comment = [name]
        if name == "TERMS":  # words, never a noun's forms, even when there are two
            for word in value or ():
                yield line, "pgettext", (TERM, str(word)), comment
            continue
        for message in _texts(value):
            if isinstance(message, tuple):  # Babel's npgettext keyword: (context, one, many)
                yield line, "npgettext", (COUNT, *message), comment
            else:
                yield line, "gettext", message, comment


def _run(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<messages>", "exec"), namespace)  # a messages module: constants only
    return namespace


def _assignments(source: str) -> Iterator[tuple[str, int]]:
    """Top-level UPPER_CASE names in the order written, with their line."""
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper():
                yield target.id, node.lineno


def _texts(value: Any) -> Iterator[Message]:
    if isinstance(value, str):
        if value.strip():
            yield value
    elif is_noun(value):
        yield (value[0], value[1])
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, tuple | list):
        for v in value:
            yield from _texts(v)


def _noun(extracted: tuple[str, ...]) -> tuple[str, str]:
    _, one, many = extracted
    return (one, many)
