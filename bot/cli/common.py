"""What every `perfbot` command shares: --db, settings, the runtime, JSON-or-text output,
and the load-a-file-and-report shape of `org load` and `goals load`."""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from pydantic import ValidationError

from bot import logs
from bot.bootstrap import build
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.click_language import RUN_LOCALE, Group, install
from bot.cli.db_errors import DB_ERRORS, explain
from bot.cli.operator_locale import operator_locale, speaks_operator
from bot.config import Settings
from bot.runtime import Runtime
from bot.scoring_setup import SetupFileError
from connectors import validation
from connectors.http import RETRY_LOG
from handlers.common import local_today
from handlers.format import plural
from handlers.i18n import ENGLISH, available, normalize, say, speaking
from handlers.periods import resolve

_URL = "perfbot.database_url"  # where settings_for leaves the URL for Shell's message


class Shell(Group):
    """The `perfbot` group: it speaks the operator's language (bot/cli/operator_locale.py),
    click's own words and every --help included; any command that meets a database it can't
    use (down, absent, unwritable, schema behind) ends with one line naming the fix, never a
    traceback; a scoring or metrics file with problems ends it with each problem and its line."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        install()
        with speaking(operator_locale()):
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        args = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        if args and not speaks_operator(args[0]):
            # `serve` and `scheduler` speak each chat user's own language: they run in
            # English, the default every message turns from; their help and refusals don't.
            ctx.meta[RUN_LOCALE] = ENGLISH
        try:
            # In a context of its own: what a command binds for its logs (its platform)
            # ends with it, also when commands run one after another in one process.
            return contextvars.copy_context().run(super().invoke, ctx)
        except DB_ERRORS as exc:
            url = ctx.meta.get(_URL) or Settings.model_fields["database_url"].default
            raise click.ClickException(explain(exc, str(url))) from None
        except SetupFileError as exc:
            head = st.SETUP_REFUSED.format(
                origin=exc.origin, n=plural(len(exc.problems), st.PROBLEMS)
            )
            raise click.ClickException(
                "\n".join([head, *(f"  - {say(p)}" for p in exc.problems)])
            ) from None


@contextmanager
def quiet_retries() -> Iterator[None]:
    """Keep each source request's retries off the console while a command runs whose own
    output says how every source ended (`sync`, `doctor`); PERFBOT_LOG_LEVEL=DEBUG shows them."""
    retries = logging.getLogger(RETRY_LOG)
    before = retries.level
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        retries.setLevel(logging.ERROR)
    try:
        yield
    finally:
        retries.setLevel(before)


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Every command takes --db; it overrides DATABASE_URL."""
    return click.option("--db", "db", envvar="DATABASE_URL", default=None, help=ht.DB_OPTION)(fn)


def settings_for(db: str | None) -> Settings:
    """Settings from the environment, with --db applied; a bad variable exits with its name."""
    try:
        s = Settings()
    except ValidationError as exc:
        problems = say(validation.problems(exc))
        raise click.ClickException(st.BAD_CONFIGURATION.format(problems=problems)) from None
    s = s.model_copy(update={"database_url": db}) if db else s
    if ctx := click.get_current_context(silent=True):
        ctx.meta[_URL] = s.database_url
    logs.configure(s)  # every command (and process) logs the way the settings say
    return s


def runtime(db: str | None, **kwargs: Any) -> Runtime:
    """Build the runtime; a database it can't use ends the command through Shell."""
    return build(settings_for(db), **kwargs)


def refusal(exc: BaseException) -> str:
    """Why a command won't run, in the operator's language: also from `serve` and
    `scheduler`, which run in English (they speak each chat user's own)."""
    with speaking(operator_locale()):
        return say(exc)


def announce(settings: Settings, text: str) -> None:
    """A serving process's own news (listening, stopped): a log record when logs are JSON
    lines, so every line of its output parses; else a plain line on stderr."""
    if settings.log_format == "json":
        logging.getLogger("perfbot").info(text)
    else:
        click.echo(text, err=True)


def emit(data: Any, as_json: bool, text: Callable[[], str]) -> None:
    """Print JSON for scripts or text for people."""
    click.echo(json.dumps(data, default=str, ensure_ascii=False, indent=2) if as_json else text())


def load_command(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a `... load FILE` command: FILE, --db and --json."""
    fn = click.option("--json", "as_json", is_flag=True)(fn)
    fn = db_option(fn)
    path = click.Path(exists=True, dir_okay=False, path_type=Path)
    return click.argument("file", type=path)(fn)


def refuse(problems: list[str], as_json: bool, headline: str) -> NoReturn:
    """A file that loaded nothing: its problems (JSON, in English; or a headline and a list,
    in the operator's language); exit 1."""
    emit(
        {"ok": False, "problems": problems},
        as_json,
        lambda: "\n".join(
            [st.REFUSED_HEAD.format(headline=headline), *(f"  - {say(p)}" for p in problems)]
        ),
    )
    raise SystemExit(1)


def period_key(rt: Runtime, period: str | None) -> str:
    """`--period` as given, or the current month at headquarters."""
    if period:
        return period
    with rt.uow() as uow:
        hq = min(uow.closing.hq_branch_ids(), default=1)
        return resolve(None, local_today(uow, hq, rt.clock())).key


def _check_locale(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and normalize(value) is None:
        raise click.BadParameter(st.LOCALES_SPOKEN.format(locales=", ".join(available())))
    return value


locale_option = click.option(
    "--locale",
    callback=_check_locale,
    help=ht.LOCALE_OPTION,
)
