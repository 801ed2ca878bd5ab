"""`perfbot goals load | list`: company goals in, the whole goal tree out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, load_command, period_key, refuse, runtime
from bot.cli.table import table
from handlers.format import num, plural
from handlers.goals.cascade import run_cascade
from handlers.goals.file import parse_goals
from handlers.people.org_validate import OrgFileError
from said import said_of


@cl.group(help=ht.GOALS)
def goals() -> None:
    pass


@goals.command("load", help=ht.GOALS_LOAD)
@load_command
def goals_load(file: Path, db: str | None, as_json: bool) -> None:
    rt = runtime(db)
    with rt.uow() as uow:
        teams = {t.name for t in uow.goals.teams()}
    try:
        metrics = {s.name for s in rt.scoring.specs}
        gf = parse_goals(file.read_text(encoding="utf-8"), teams, metrics)
        report = run_cascade(gf, uow=rt.uow(), scoring=rt.scoring, actor=f"goals-file:{file.name}")
        if report.refused:  # e.g. targets HR approved leave nothing to split
            raise OrgFileError(report.refused)
    except (OrgFileError, ValueError) as exc:
        problems = getattr(exc, "problems", [said_of(exc) or str(exc)])
        refuse(problems, as_json, st.GOALS_REFUSED.format(file=file))
    emit(
        vars(report),
        as_json,
        lambda: st.GOALS_LOADED.format(
            period=report.period,
            created=plural(report.created, st.GOALS),
            changed=report.changed,
            unchanged=report.unchanged,
            managers=plural(len(report.managers_notified), st.MANAGERS),
        ),
    )


@goals.command("list", help=ht.GOALS_LIST)
@click.option("--period", help=ht.GOALS_LIST_PERIOD)
@db_option
@click.option("--json", "as_json", is_flag=True)
def goals_list(period: str | None, db: str | None, as_json: bool) -> None:
    rt = runtime(db)
    key = period_key(rt, period)
    with rt.uow() as uow:
        data = uow.operator.goal_rows(key)
    for d in data:
        for k in ("target", "proposed_target"):  # proposed: a change waiting for confirmation
            d[k] = None if d[k] is None else f"{d[k].normalize():f}"
    emit(
        data,
        as_json,
        lambda: _text(data),
    )


def _text(data: list[dict[str, Any]]) -> str:
    """The goals as a table, targets grouped for the reader (`1,000,000`)."""
    if not data:
        return st.GOALS_NONE
    rows = [
        (
            f"#{d['id']}", d["level"], d["title"][:40], d["owner"] or d["team"],
            num(d["target"]), d["unit"],
            d["status"] + (f" ({st.PROPOSED.format(target=num(d['proposed_target']))})"
                           if d["proposed_target"] else ""),
        )
        for d in data
    ]  # fmt: skip
    return table(st.GOALS_HEADERS, rows, right={0, 4})


COMMANDS = [goals]
