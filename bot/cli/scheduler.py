"""`perfbot scheduler`: run the scheduler and the outbox dispatcher on their own."""

from __future__ import annotations

import signal
import threading

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import announce, db_option, refusal, runtime
from bot.holidays import HolidaysError
from bot.platforms import build_deliverers
from bot.policy import sweep_policy
from bot.runtime import Runtime
from bot.scheduler import start_scheduler


def run_until_signalled(rt: Runtime, console: bool | None) -> None:
    """Elect, schedule and dispatch until SIGTERM or Ctrl-C, then hand over cleanly."""
    try:
        sweep_policy(rt.settings)  # a broken holiday file: say so now, not at 09:30
    except HolidaysError as exc:
        raise click.ClickException(refusal(exc)) from None
    deliverers = build_deliverers(rt.settings, rt.uow, console=console)
    port = rt.settings.metrics_port
    try:
        stop_metrics = rt.metrics.serve(port) if port is not None else None
    except OSError as exc:  # the port is taken, or not ours to bind
        raise click.ClickException(st.METRICS_PORT_BUSY.format(port=port, error=exc)) from None
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    service = start_scheduler(rt, deliverers)
    announce(
        rt.settings,
        st.SCHEDULER_DELIVERING.format(platforms=", ".join(d.platform for d in deliverers)),
    )
    if stop_metrics is not None:
        click.echo(st.METRICS_ON.format(port=port), err=True)
    done.wait()
    service.stop()
    if stop_metrics is not None:
        stop_metrics()
    announce(rt.settings, st.SCHEDULER_STOPPED)


@cl.command("scheduler", help=ht.SCHEDULER)
@click.option(
    "--console/--no-console",
    default=None,
    help=ht.SCHEDULER_CONSOLE,
)
@db_option
def scheduler(console: bool | None, db: str | None) -> None:
    run_until_signalled(runtime(db), console)


COMMANDS = [scheduler]
