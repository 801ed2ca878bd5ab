"""`perfbot period preview | calibrate | close | reopen`: see what closing a period would do,
calibrate a result, freeze the period and apply the incentive rules, or re-open it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, runtime
from handlers.closing.calibrate import CalibrationError, calibrate
from handlers.closing.card import preview_card
from handlers.closing.close import PeriodStateError, close_period, reopen_period
from handlers.closing.preview import ClosePolicy, preview_in, preview_json
from handlers.i18n import say


@cl.group(help=ht.PERIOD)
def period() -> None:
    pass


def _keyed(name: str, help: str) -> Callable[[Callable[..., None]], click.Command]:
    """A `period NAME KEY` command with --db and --json."""

    def wrap(fn: Callable[..., None]) -> click.Command:
        fn = db_option(click.option("--json", "as_json", is_flag=True)(fn))
        return period.command(name, help=help)(click.argument("key")(fn))

    return wrap


@_keyed("preview", ht.PERIOD_PREVIEW)
def period_preview(key: str, db: str | None, as_json: bool) -> None:
    rt = runtime(db)
    with rt.uow() as uow:
        found = uow.org.period_by_key(key)
        if found is None:
            raise click.ClickException(st.PERIOD_NOT_SET_UP.format(key=key))
        policy = ClosePolicy(rt.settings.close_min_coverage)
        p = preview_in(uow, found, rt.scoring, policy)
        card = preview_card(p, may_close=False)
        data = preview_json(p)  # read before the unit of work rolls the fresh scoring back
    emit(
        data,
        as_json,
        lambda: "\n".join([card.title, *card.lines, *(f"{a}: {b}" for a, b in card.fields)]),
    )


@period.command("calibrate", help=ht.PERIOD_CALIBRATE)
@click.argument("key")
@click.argument("email")
@click.argument("score")
@click.option("--reason", required=True, help=ht.PERIOD_CALIBRATE_REASON)
@db_option
def period_calibrate(key: str, email: str, score: str, reason: str, db: str | None) -> None:
    try:
        total = Decimal(score)
    except InvalidOperation:
        raise click.ClickException(st.PERIOD_NOT_A_NUMBER.format(score=score)) from None
    if not total.is_finite():
        raise click.ClickException(st.PERIOD_NOT_A_NUMBER.format(score=score))
    rt = runtime(db)
    with rt.uow() as uow:
        found = uow.org.period_by_key(key)
        person = uow.org.employee_by_email(email)
        if found is None or person is None:
            raise click.ClickException(
                st.PERIOD_NOT_SET_UP.format(key=key)
                if found is None
                else st.PERIOD_NOBODY.format(email=email)
            )
        try:
            done = calibrate(
                uow, period=found, person=person, total=total, reason=reason, by="cli",
                config=rt.scoring.config,
            )  # fmt: skip
        except CalibrationError as exc:
            raise click.ClickException(say(exc)) from None
        uow.commit()
    click.echo(f"{email} {key}: {done.text()}")


@_keyed("close", ht.PERIOD_CLOSE)
def period_close(key: str, db: str | None, as_json: bool) -> None:
    rt = runtime(db)
    policy = ClosePolicy(rt.settings.close_min_coverage)
    try:
        report = close_period(key, uow=rt.uow(), scoring=rt.scoring, actor="cli", policy=policy)
    except PeriodStateError as exc:
        raise click.ClickException(say(exc)) from None
    data = {
        "period": report.period, "frozen": report.frozen, "flags": report.flags,
        "hr_notified": report.hr_notified, "result_cards": report.result_cards,
    }  # fmt: skip
    emit(
        data,
        as_json,
        lambda: "\n".join(
            [
                st.PERIOD_CLOSED.format(
                    key=key,
                    frozen=report.frozen,
                    flags=len(report.flags),
                    cards=report.result_cards,
                    hr=report.hr_notified,
                )
            ]
            + [f"  {e}: {r} — {why}" for e, r, why in report.flags]
        ),
    )


@period.command("reopen", help=ht.PERIOD_REOPEN)
@click.argument("key")
@click.option("--reason", required=True, help=ht.PERIOD_REOPEN_REASON)
@db_option
def period_reopen(key: str, reason: str, db: str | None) -> None:
    rt = runtime(db)
    try:
        thawed = reopen_period(key, uow=rt.uow(), actor="cli", reason=reason)
    except PeriodStateError as exc:
        raise click.ClickException(say(exc)) from None
    click.echo(st.PERIOD_REOPENED.format(key=key, thawed=thawed))


COMMANDS = [period]
