"""`/help`: generated from the command registry, so it can't drift from the code."""

from __future__ import annotations

from handlers import strings as t
from handlers import strings_en as en
from handlers.cards import Card, Reply
from handlers.commands import COMMAND_NAMES, Help, keywords_of


def show_help(cmd: Help) -> Reply:
    """Every command with its one-line summary, or one command's usage."""
    if cmd.topic:
        topic = cmd.topic.lstrip("/").lower()
        if topic not in COMMAND_NAMES:
            return Reply.say(t.HELP_TITLE, t.HELP_UNKNOWN.format(topic=topic), ok=False)
        usage: tuple[str, ...] = (t.USAGE[topic], t.SUMMARY[topic] + _keywords(topic))
        usage += (t.HELP_METRIC,) if "<metric>" in en.USAGE[topic] else ()
        return Reply(cards=(Card(title=f"/{topic}", lines=usage),))
    lines = tuple(f"{t.USAGE[name]} — {t.SUMMARY[name]}{_keywords(name)}" for name in COMMAND_NAMES)
    foot = t.HELP_FOOTNOTE.format(people=t.HELP_FOOT, metrics=t.HELP_METRIC)
    return Reply(cards=(Card(title=t.HELP_TITLE, lines=lines, footnote=foot),))


def _keywords(name: str) -> str:
    """` (also: 绩效, 得分)`: the Chinese keywords of a command, in the reader's language."""
    found = keywords_of(name)
    return t.HELP_KEYWORDS.format(keywords=t.HELP_KEYWORD_SEP.join(found)) if found else ""
