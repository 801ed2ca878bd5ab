"""`perfbot org ...`: load and list the organisation."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot import directory_job
from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, load_command, refuse, runtime
from bot.cli.org_import import org_import
from bot.cli.org_yaml import Todo, todos
from bot.cli.table import table
from bot.platform_names import CHAT_PLATFORMS
from connectors.config import ConfigError
from connectors.http import SourceError
from handlers.format import plural
from handlers.i18n import say
from handlers.people.org_load import OrgLoadReport, load_org
from handlers.people.org_validate import OrgFileError
from said import said_of


@cl.group(help=ht.ORG)
def org() -> None:
    pass


@org.command("load", help=ht.ORG_LOAD)
@load_command
@click.option(
    "--deactivate-missing",
    is_flag=True,
    help=ht.ORG_LOAD_DEACTIVATE_MISSING,
)
@click.option("--dry-run", is_flag=True, help=ht.ORG_LOAD_DRY_RUN)
@click.option("--yes", is_flag=True, help=ht.ORG_LOAD_YES)
def org_load(
    file: Path, db: str | None, as_json: bool, deactivate_missing: bool, dry_run: bool, yes: bool
) -> None:
    rt = runtime(db)
    text = file.read_text(encoding="utf-8")

    def load(dry: bool) -> OrgLoadReport:
        try:
            return load_org(
                text,
                uow=rt.uow(),
                actor=f"org-file:{file.name}",
                platforms=CHAT_PLATFORMS,
                deactivate_missing=deactivate_missing,
                dry_run=dry,
                scoring=rt.scoring,
                scorecards=rt.scoring.config.scorecards,
            )
        except OrgFileError as exc:
            refuse(
                exc.problems,
                as_json,
                st.ORG_REFUSED.format(file=file, problems=plural(len(exc.problems), st.PROBLEMS)),
            )

    report = load(True) if deactivate_missing or dry_run else None
    if report is not None and deactivate_missing and report.deactivated and not as_json:
        # Listed before anything happens, so a wrong file is caught before it acts.
        says = st.ORG_WOULD_DEACTIVATE if dry_run else st.ORG_DEACTIVATING
        click.echo(says.format(n=len(report.deactivated), emails=", ".join(report.deactivated)))
        if not dry_run and not yes and sys.stdin.isatty():
            click.confirm(st.ORG_GO_AHEAD, abort=True)
    if not dry_run:
        report = load(False)
    assert report is not None
    _print_load(report, as_json, dry_run, todos(text), file)


def _todo_lines(unfilled: list[Todo], file: Path, dry_run: bool) -> list[str]:
    """An imported file's TODOs still to fill in: each one on a dry run (before what would
    change), else their count (after what changed)."""
    if not unfilled:
        return []
    todo = plural(len(unfilled), st.TODOS)
    if not dry_run:
        return [st.ORG_TODO_LEFT.format(file=file, todo=todo)]
    listed = [st.ORG_TODO_LINE.format(line=t.line, what=t.what) for t in unfilled]
    return [st.ORG_TODO_HEAD.format(file=file, todo=todo), *listed]


def _print_load(
    report: OrgLoadReport, as_json: bool, dry_run: bool, unfilled: list[Todo], file: Path
) -> None:
    def text() -> str:
        todo = _todo_lines(unfilled, file, dry_run)
        out = "".join(f"{line}\n" for line in todo) if dry_run else ""
        counts = st.ORG_WOULD_CREATE if dry_run else st.ORG_CREATED
        out += counts.format(
            created=len(report.created), updated=len(report.updated), unchanged=report.unchanged
        )
        for says, who in ((st.ORG_DEACTIVATED, report.deactivated),
                          (st.ORG_REACTIVATED, report.reactivated)):  # fmt: skip
            out += says.format(n=len(who), emails=", ".join(who)) if who else ""
        left = [e for e in report.not_in_file if e not in report.deactivated]
        if left:
            out += st.ORG_NOT_IN_FILE.format(n=len(left))
        for heir, items in report.handed.items():
            out += "\n" + st.HANDED_TO.format(heir=heir, items=", ".join(items))
        if dry_run:
            return out + "\n" + st.ORG_DRY_RUN
        return "\n".join([out, *todo])  # the reminder last, after what was loaded

    emit(
        {
            "ok": True,
            "dry_run": dry_run,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "not_in_file": report.not_in_file,
            "deactivated": report.deactivated,
            "reactivated": report.reactivated,
            "handed_over": report.handed,
            "todo": [{"line": t.line, "what": t.what} for t in unfilled],
        },
        as_json,
        text,
    )


@org.command("sync", help=ht.ORG_SYNC)
@db_option
@click.option("--dry-run", is_flag=True, help=ht.ORG_SYNC_DRY_RUN)
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=ht.ORG_SYNC_CONFIG,
)
@click.option("--json", "as_json", is_flag=True)
def org_sync(db: str | None, dry_run: bool, config: Path | None, as_json: bool) -> None:
    rt = runtime(db)
    try:
        run = directory_job.run_directory_sync(rt, dry_run=dry_run, config=config)
    except ConfigError as exc:
        refuse(exc.errors, as_json, st.ORG_SYNC_REFUSED.format(problem=exc.args[0].splitlines()[0]))
    except SourceError as exc:
        refuse([said_of(exc) or str(exc)], as_json, st.ORG_SYNC_UNREADABLE)
    except OrgFileError as exc:
        count = len(exc.problems)
        refuse(
            exc.problems, as_json, st.ORG_SYNC_PROBLEMS.format(problems=plural(count, st.PROBLEMS))
        )
    emit(directory_job.summary(run), as_json, lambda: say(directory_job.text(run)))


@org.command("list", help=ht.ORG_LIST)
@db_option
@click.option("--json", "as_json", is_flag=True)
def org_list(db: str | None, as_json: bool) -> None:
    rt = runtime(db)
    with rt.uow() as uow:
        people = uow.operator.roster()
    emit(
        people,
        as_json,
        lambda: (
            table(
                st.ORG_HEADERS,
                [
                    (p["email"], p["name"], p["role"], p["team"], p["branch"], p["manager"])
                    for p in people
                ],
            )
            if people
            else st.ORG_NO_PEOPLE
        ),
    )


org.add_command(org_import)

COMMANDS = [org]
