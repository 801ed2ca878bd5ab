"""The language the `perfbot` command line speaks to its operator: PERFBOT_LOCALE, else the
POSIX locale of the shell (LC_ALL, then LC_MESSAGES, then LANG), as perfbot speaks it
(`zh_CN.UTF-8` -> `zh_CN`); C, POSIX and languages perfbot doesn't speak are English.

The chat-serving commands (`serve`, `scheduler`) are left out: they speak to each person in
that person's own language."""

from __future__ import annotations

import os
from collections.abc import Mapping

from handlers.i18n import ENGLISH, normalize

# Commands that speak to chat users, each in their own language, never the operator's.
CHAT_COMMANDS = frozenset({"serve", "scheduler"})
# Where the operator's language is read, first match wins (POSIX's order after ours).
VARIABLES = ("PERFBOT_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG")


def operator_locale(environ: Mapping[str, str] | None = None) -> str:
    """The operator's locale as perfbot speaks it (`en`, `zh_CN`)."""
    env = os.environ if environ is None else environ
    for name in VARIABLES:
        value = env.get(name, "").strip()
        if value:  # the first variable set decides, as in POSIX (LC_ALL=C means C)
            return _perfbot_locale(value)
    return ENGLISH


def _perfbot_locale(value: str) -> str:
    """`zh_CN.UTF-8`, `zh-CN`, `en_US@euro`: the language part, normalised; C/POSIX: English."""
    tag = value.split(".", 1)[0].split("@", 1)[0]
    if tag.upper() in ("C", "POSIX"):
        return ENGLISH
    return normalize(tag) or ENGLISH


def speaks_operator(command: str | None) -> bool:
    """Whether a `perfbot` subcommand speaks the operator's language."""
    return command not in CHAT_COMMANDS
