"""`perfbot period close | reopen`: freeze a period and apply the incentive rules."""

from __future__ import annotations

import click

from bot.cli import db_option, emit, runtime
from handlers.period_close import PeriodStateError, close_period, reopen_period


@click.group()
def period() -> None:
    """Close and re-open review periods."""


@period.command("close")
@click.argument("key")
@db_option
@click.option("--json", "as_json", is_flag=True)
def period_close(key: str, db: str | None, as_json: bool) -> None:
    """Final scores, frozen; bonus and promotion decisions with reasons; HR notified."""
    rt = runtime(db)
    try:
        report = close_period(key, uow=rt.uow(), scoring=rt.scoring, actor="cli")
    except PeriodStateError as exc:
        raise click.ClickException(str(exc)) from None
    emit(
        vars(report),
        as_json,
        lambda: "\n".join(
            [
                f"{key} closed: {report.frozen} scores frozen, {len(report.flags)} incentive "
                f"decisions, {report.hr_notified} HR notices queued"
            ]
            + [f"  {e}: {r} — {why}" for e, r, why in report.flags]
        ),
    )


@period.command("reopen")
@click.argument("key")
@click.option("--reason", required=True, help="Why (recorded in the audit log).")
@db_option
def period_reopen(key: str, reason: str, db: str | None) -> None:
    """Re-open a closed period so it can be re-scored (audited)."""
    rt = runtime(db)
    try:
        thawed = reopen_period(key, uow=rt.uow(), actor="cli", reason=reason)
    except PeriodStateError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{key} re-opened; {thawed} scores can be recomputed")


COMMANDS = [period]
