"""`perfbot score`: compute a period's scores; `--json` prints each with its breakdown."""

from __future__ import annotations

import time

import click
from sqlalchemy import select

from bot.cli.common import db_option, emit, period_key, runtime
from handlers.scores.compute import PeriodClosed, score_all
from store.breakdowns import breakdowns
from store.models import Employee, Period, Score


@click.command()
@click.option("--period", help="Period key such as 2026-11 (default: the current month).")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Every score with its breakdown.")
def score(period: str | None, db: str | None, as_json: bool) -> None:
    """Compute every employee's score for a period, in one set-based statement."""
    rt = runtime(db)
    key = period_key(rt, period)
    started = time.perf_counter()
    try:
        run = score_all(key, uow=rt.uow(), setup=rt.scoring, actor="cli")
    except (LookupError, PeriodClosed) as exc:
        raise click.ClickException(str(exc)) from None
    seconds = time.perf_counter() - started
    if not as_json:
        click.echo(
            f"{run.scored} scores computed for {key} in {seconds:.2f}s"
            + (f"; unknown scorecard for: {', '.join(run.unscored)}" if run.unscored else "")
        )
        return
    with rt.uow() as uow:
        people = uow.session.execute(
            select(Employee.id, Employee.email, Period.id.label("period_id"))
            .join(Score, Score.employee_id == Employee.id)
            .join(Period, Period.id == Score.period_id)
            .where(Period.key == key)
            .order_by(Employee.email)
        ).all()
        found = breakdowns(uow.session, people[0].period_id) if people else {}
    emit(
        [
            {
                "email": p.email,
                "period": key,
                "total": found[p.id]["total"],
                "band": found[p.id]["band"],
                "breakdown": found[p.id],
            }
            for p in people
        ],
        True,
        str,
    )


COMMANDS = [score]
