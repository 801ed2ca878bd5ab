"""`perfbot score`: compute a period's scores; `--json` prints each with its breakdown."""

from __future__ import annotations

import time

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, period_key, runtime
from handlers.format import plural
from handlers.scores.compute import PeriodClosed, score_all


@cl.command(help=ht.SCORE)
@click.option("--period", help=ht.SCORE_PERIOD)
@db_option
@click.option("--json", "as_json", is_flag=True, help=ht.SCORE_AS_JSON)
def score(period: str | None, db: str | None, as_json: bool) -> None:
    rt = runtime(db)
    key = period_key(rt, period)
    started = time.perf_counter()
    try:
        run = score_all(key, uow=rt.uow(), setup=rt.scoring, actor="cli")
    except PeriodClosed:
        raise click.ClickException(st.SCORE_CLOSED.format(key=key)) from None
    except LookupError as exc:  # the period is missing (a KeyError would be a bug: as it is)
        why = st.SCORE_NO_PERIOD.format(key=key) if type(exc) is LookupError else str(exc)
        raise click.ClickException(why) from None
    seconds = time.perf_counter() - started
    if not as_json:
        click.echo(st.SCORED.format(n=run.scored, period=key, seconds=seconds))
        _unscored(run.unscored)
        return
    with rt.uow() as uow:
        people = uow.operator.scored(key)
        found = uow.scores.breakdowns(people[0].period_id) if people else {}
    scored = [
        {
            "email": p.email,
            "period": key,
            "total": found[p.id]["total"],
            "band": found[p.id]["band"],
            "breakdown": found[p.id],
            "error": None,
        }
        for p in people
    ]
    unscored = [
        {"email": e, "period": key, "total": None, "band": None, "breakdown": None, "error": why}
        for e, why in run.unscored.items()
    ]
    emit(scored + unscored, True, str)
    if run.unscored:
        raise SystemExit(1)


def _unscored(why: dict[str, str]) -> None:
    """Who could not be scored and why, on stderr; exit 1 (a deploy pipeline stops)."""
    if not why:
        return
    click.echo(st.UNSCORED_HEAD.format(people=plural(len(why), st.PEOPLE)), err=True)
    for email, reason in why.items():
        click.echo(f"  {email}: {reason}", err=True)
    raise SystemExit(1)


COMMANDS = [score]
