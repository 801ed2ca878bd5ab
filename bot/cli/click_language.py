"""click in the language being spoken: `install()` points click's gettext calls at perfbot's
catalogue (click_words.py lists them), and `Command`/`Group` show their help, their options'
and the usage line's words translated. English is the msgid, so English output is click's own."""

from __future__ import annotations

import importlib
import inspect
import re
import unicodedata
from collections.abc import Callable, Iterable
from copy import copy
from typing import Any, TypeVar

import click

from bot.cli import click_words as cw
from handlers.i18n import ENGLISH, current, gettext, ngettext, speaking, term

# click's modules that call `_()`/`ngettext()` while a command runs (click.types apart).
RUNTIME = (
    "click.core",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click._termui_impl",
    "click.shell_completion",
    "click.utils",
)
# ctx.meta key: the locale a command runs in when it is not the operator's (serve, scheduler).
RUN_LOCALE = "perfbot.run_locale"
_USAGE_WORDS = frozenset(
    {
        cw.OPTIONS_METAVAR,
        cw.SUBCOMMAND_METAVAR,
        cw.SUBCOMMAND_OPTIONAL,
        cw.CHAIN_METAVAR,
        cw.CHAIN_OPTIONAL,
    }
)
# A run of spaces, a word of narrow characters, or one wide (CJK) character.
_TOKENS = re.compile(r"\s+|[^\s\u2e80-\uffef]+|.")
_CLOSING = frozenset("，。、；：！？）》」』")
_OPENING = frozenset("（《「『")
Shown = TypeVar("Shown", click.Command, click.Parameter)


def install() -> None:
    """Route click's messages through perfbot's catalogue in the current locale (idempotent)."""
    for name in RUNTIME:
        module = importlib.import_module(name)
        module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    types = importlib.import_module("click.types")
    types._ = _typed  # type: ignore[attr-defined]
    types.ngettext = ngettext  # type: ignore[attr-defined]
    click.exceptions.MissingParameter.format_message = _missing  # type: ignore[method-assign]
    click.exceptions.NoSuchOption.format_message = _no_such  # type: ignore[method-assign]
    # click.decorators words the --help option once per command and caches it: it stays
    # English there, and Command translates it each time it is shown.
    importlib.import_module("click.decorators")._ = str  # type: ignore[attr-defined]


class _Named(str):
    """A click.types message whose `format` also translates the type's name it is given
    (`File`, `integer`: catalogued as terms, click_words.TERMS)."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> str:
        for key in ("name", "number_type"):
            if key in kwargs:
                kwargs[key] = term(kwargs[key])
        return str.format(self, *args, **kwargs)


def _typed(msgid: str) -> str:
    return _Named(gettext(msgid))


_click_missing = click.exceptions.MissingParameter.format_message


def _missing(self: click.exceptions.MissingParameter) -> str:
    """click's `Missing argument 'FILE'.` ended with the reader's full stop (`缺少参数
    'FILE'。`): click writes an ASCII one after the parameter's name, outside its `_()`."""
    said = _click_missing(self)
    if current() == ENGLISH:
        return said
    # What click writes after that full stop: the exception's message, the type's hint.
    more = self.message
    if self.param is not None and (
        extra := self.param.type.get_missing_message(param=self.param, ctx=self.ctx)
    ):
        more = f"{more}. {extra}" if more else extra
    tail = f" {more}" if more else ""
    head = said[: len(said) - len(tail)]
    if not said.endswith(tail) or not head.endswith("."):  # a click worded otherwise
        return said
    return gettext(cw.MISSING_STOP).format(missing=head[:-1]) + tail


_click_no_such = click.exceptions.NoSuchOption.format_message


def _no_such(self: click.exceptions.NoSuchOption) -> str:
    """click's `No such option: '--jso'. Did you mean '--json'?` with no space after a
    full-width stop (`没有选项 '--jso'。您是不是要找 '--json'？`): click joins them with one."""
    said = _click_no_such(self)
    head = self.message
    if current() == ENGLISH or not said.startswith(f"{head} ") or not head.endswith(_WIDE_STOPS):
        return said
    return head + said[len(head) + 1 :]


_WIDE_STOPS = ("。", "？", "！", "）")


class _Formatter(click.HelpFormatter):
    """click's help formatter with the words it writes unmarked translated too: a heading's
    colon and the usage prefix's space (a full-width colon carries its own)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{gettext(cw.HEADING).format(heading=heading)}\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            usage = gettext(cw.USAGE)
            prefix = usage if usage.endswith("：") else f"{usage} "
        super().write_usage(prog, args, prefix)

    def write_text(self, text: str) -> None:
        if current() == ENGLISH:
            return super().write_text(text)
        indent = " " * self.current_indent
        width = max((self.width or 80) - self.current_indent, 11)
        for i, paragraph in enumerate(text.split("\n\n")):
            self.write("\n" if i else "")
            self.write("".join(f"{indent}{line}\n" for line in _wrapped(paragraph, width)))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        if current() == ENGLISH:
            return super().write_dl(rows, col_max, col_spacing)
        rows = list(rows)
        first_col = min(max((_width(name) for name, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        hanging = " " * (self.current_indent + first_col)
        for name, text in rows:
            self.write(f"{indent}{name}")
            pad = first_col - _width(name)
            if not text:
                self.write("\n")
                continue
            self.write(" " * pad if pad >= col_spacing else f"\n{hanging}")
            lines = _wrapped(text, max((self.width or 80) - first_col - 2, 10))
            self.write(f"\n{hanging}".join(lines) + "\n")


class _Context(click.Context):
    formatter_class = _Formatter


class _Shown(click.Command):
    """Help text, option help and usage placeholders translated as they are shown."""

    context_class = _Context

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Command.format_help_text(_translated(self), ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            row
            for param in self.get_params(ctx)
            if not isinstance(param, click.Argument)
            and (row := _translated(param).get_help_record(ctx)) is not None
        ]
        if rows:
            with formatter.section(gettext(cw.OPTIONS)):
                formatter.write_dl(rows)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [gettext(p) if p in _USAGE_WORDS else p for p in pieces]

    def get_short_help_str(self, limit: int = 45) -> str:
        if current() == ENGLISH or self.short_help or not self.help or self.deprecated:
            return super().get_short_help_str(limit)
        return _short(gettext(inspect.cleandoc(self.help)), limit)


class Command(_Shown):
    """A `perfbot` command: its help in the language being spoken; it runs in the locale
    ctx.meta[RUN_LOCALE] names, if any (the chat-serving commands)."""

    def invoke(self, ctx: click.Context) -> Any:
        locale = ctx.meta.get(RUN_LOCALE)
        if locale is None:
            return super().invoke(ctx)
        with speaking(locale):
            return super().invoke(ctx)


class Group(_Shown, click.Group):
    """A `perfbot` command group: its subcommands are `Command`s and `Group`s too."""

    command_class = Command
    group_class = type

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)


def command(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Command]:
    """`click.command` making a `Command`."""
    return click.command(name, cls=Command, **attrs)


def group(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Group]:
    """`click.group` making a `Group`."""
    return click.group(name, cls=Group, **attrs)


def _translated(shown: Shown) -> Shown:
    """A copy of a command or parameter whose help is in the language being spoken."""
    if current() == ENGLISH or not shown.help:
        return shown
    twin = copy(shown)
    twin.help = gettext(inspect.cleandoc(shown.help))
    return twin


def _short(text: str, limit: int) -> str:
    """The first sentence of a translated help text, cut to `limit` columns (a CJK
    character takes two): click's own shortening counts words, which CJK has no spaces for."""
    first = text.split("\n\n", 1)[0].replace("\n", " ")
    for stop in ("。", ". "):
        if stop in first:
            first = first[: first.index(stop) + len(stop.strip())]
            break
    if _width(first) <= limit:
        return first
    while first and _width(first) > limit - 1:
        first = first[:-1]
    return first.rstrip("，、 ,") + "…"


def _wrapped(paragraph: str, width: int) -> list[str]:
    """Lines of at most `width` columns, broken at spaces or between CJK characters (click
    wraps at spaces only and counts a CJK character as one column); no line starts with
    closing punctuation, none ends with opening."""
    lines = [""]
    for token in _TOKENS.findall(paragraph):
        line = lines[-1]
        if token.isspace():
            lines[-1] += token if line else ""
        elif _width(line + token) <= width or not line.strip() or line[-1] in _OPENING:
            lines[-1] += token
        elif token in _CLOSING and len(line) > 1 and _width(line[-1]) == 2:
            lines[-1:] = [line[:-1], line[-1] + token]  # the character before goes down too
        else:
            lines.append(token)
    return [line.rstrip() for line in lines]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
