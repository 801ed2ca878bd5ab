"""`perfbot console` and `perfbot demo`: talk to perfbot as any employee."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, locale_option, runtime, settings_for
from bot.console.app import ConsoleSession, UnknownUser
from bot.demo.company import email
from bot.demo.month_end import appeal_last_month, close_last_month
from bot.demo.seed import DemoNotSynced, demo_today, seed_all
from bot.demo.sources import DEMO_ENV, live_sources
from bot.holidays import HolidaysError
from bot.policy import pace_policy, sweep_policy
from bot.runtime import Runtime
from connectors.refetch import SourceRefetch
from handlers.appeals.window import AppealWindow
from handlers.closing.preview import ClosePolicy
from handlers.i18n import normalize, say, speaking
from handlers.nudges.sweep import SweepReport, run_sweep
from handlers.nudges.sweep_calendar import Skipped, SweepPolicy
from store.db import make_engine
from store.schema import upgrade

DEMO_USER = email("Chen Jing")


def run_console(
    rt: Runtime, who: str, lines: tuple[str, ...], as_json: bool, locale: str | None = None
) -> None:
    """Run scripted lines, or an interactive prompt when none are given; `locale`: the
    language to speak instead of the person's own."""
    try:
        session = ConsoleSession(rt.dispatcher, rt.uow, who, locale)
    except UnknownUser as exc:
        raise click.ClickException(say(exc)) from None
    if lines:
        out = []
        for line in lines:
            reply = session.handle(line)
            if as_json:
                out.append(session.as_json(line, reply))
            else:
                click.echo(f"> {line}\n{session.as_text(reply)}\n")
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(session.prompt_help())
    while True:
        try:
            line = click.prompt("perfbot", prompt_suffix="> ", default="", show_default=False)
        except (EOFError, click.Abort):
            break
        if line.strip().lower() in ("quit", "exit", ":q"):
            break
        if line.strip():
            click.echo(session.as_text(session.handle(line)) + "\n")


@cl.command(help=ht.CONSOLE)
@click.option("--as", "who", required=True, help=ht.CONSOLE_WHO)
@click.option("--run", "lines", multiple=True, help=ht.CONSOLE_LINES)
@click.option("--json", "as_json", is_flag=True, help=ht.CONSOLE_AS_JSON)
@locale_option
@db_option
def console(
    who: str, lines: tuple[str, ...], as_json: bool, locale: str | None, db: str | None
) -> None:
    run_console(runtime(db), who, lines, as_json, locale)


@cl.command(help=ht.DEMO)
@click.option("--seed-only", is_flag=True, help=ht.DEMO_SEED_ONLY)
@click.option("--as", "who", default=DEMO_USER, show_default=True)
@locale_option
@db_option
def demo(seed_only: bool, who: str, locale: str | None, db: str | None) -> None:
    settings = settings_for(db)
    upgrade(make_engine(settings.database_url))
    rt = runtime(db)
    try:
        periods, facts = seed_all(rt.uow, rt.clock(), rt.scoring, locale=normalize(locale))
    except DemoNotSynced as exc:  # in the operator's language, like click's "Error:" before it
        raise click.ClickException(say(exc)) from None
    echo_in(
        locale,
        lambda: st.DEMO_READY.format(url=settings.database_url, periods=periods, facts=facts),
    )
    try:
        policy = sweep_policy(settings)
    except HolidaysError as exc:
        raise click.ClickException(say(exc)) from None
    month_end(rt, locale)
    swept = demo_sweep(rt, policy)

    def swept_line() -> str:
        skipped = st.CLAUSES_SEP.join(map(_skipped, swept.skipped))  # in the locale spoken
        said = st.DEMO_SKIPPED.format(skipped=skipped) if skipped else ""
        return st.DEMO_SWEPT.format(nudges=swept.count("nudge"), skipped=said)

    echo_in(locale, swept_line)
    if not seed_only:
        echo_in(locale, lambda: st.DEMO_TRY + "\n")
        # The sample sources stay up while the console runs, so appeal cards can re-fetch.
        with live_sources(rt.uow, demo_today(rt.uow, rt.clock())) as (_, configs):
            refetch = SourceRefetch(configs, DEMO_ENV)
            live = replace(rt, dispatcher=rt.dispatcher.with_deps(refetch=refetch))
            run_console(live, who, (), False, locale)


def echo_in(locale: str | None, text: Callable[[], str]) -> None:
    """Echo a line in the language asked for with `--locale`, else the operator's."""
    with speaking(locale) if locale else nullcontext():
        click.echo(text())


def month_end(rt: Runtime, locale: str | None = None) -> None:
    """Last month closed as HR would close it, and one of its figures under appeal (its
    reason in the demo's language)."""
    with rt.uow() as uow:
        periods = uow.operator.periods()
    s = rt.settings
    closed = close_last_month(rt.uow, periods, rt.scoring, ClosePolicy(s.close_min_coverage))
    if closed:
        echo_in(locale, lambda: st.DEMO_CLOSED.format(period=closed))
    if len(periods) > 1:
        window = AppealWindow(s.appeal_window_days, pace_policy(s).holidays)
        appeal_last_month(rt.uow, periods[-2].key, rt.scoring, window, normalize(locale))


def demo_sweep(rt: Runtime, policy: SweepPolicy) -> SweepReport:
    """The sweep as the demo shows it: from the first working day of the month (a real
    install waits for PERFBOT_NUDGE_MIN_ELAPSED), and on a weekend as of the last working
    day, so every day of the month has nudges to look at."""
    uow = rt.uow()
    now = rt.clock()
    while demo_today(rt.uow, now).weekday() >= 5:  # at headquarters
        now -= timedelta(days=1)
    uow.clock = lambda: now  # the demo's sweep only: every other use keeps the real clock
    return run_sweep(uow=uow, scoring=rt.scoring, policy=replace(policy, min_elapsed=Decimal(0)),
                     actor="demo")  # fmt: skip


COMMANDS = [console, demo]


def _skipped(s: Skipped) -> str:
    """`Berlin: weekend`, in the operator's language."""
    return st.DEMO_SKIPPED_ONE.format(branch=s.branch, reason=say(s.reason))
