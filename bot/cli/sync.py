"""`perfbot sync [SOURCE]`: pull facts from the business systems; `perfbot unmatched`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, quiet_retries, runtime
from bot.cli.table import table as grid
from bot.cli.table import width
from bot.sync_job import sync_all
from connectors.config import ConfigError, sources_path
from connectors.sync import BATCH_SIZE, SyncReport, SyncSummary
from handlers.i18n import say
from handlers.yaml_lines import with_lines
from said import from_data

COLUMNS = ("fetched", "new", "changed", "voided", "unmatched", "rejected")


def config_path(option: str | None, settings_value: Path | None) -> Path:
    """--config, else PERFBOT_SOURCES (settings), else ./sources.yaml."""
    if option is None and settings_value is not None:
        return settings_value
    return sources_path(option, os.environ)


def with_file_lines(exc: ConfigError, path: Path) -> ConfigError:
    """The same errors, each led by its line in the sources file where it has one."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return exc
    return ConfigError(with_lines(text, exc.errors), origin=str(path))


def line(s: SyncSummary) -> str:
    """One plain progress or summary line for a source."""
    names = st.SYNC_COLUMNS
    figures = ", ".join(st.SYNC_FIGURE.format(n=getattr(s, c), column=names[c]) for c in COLUMNS)
    state = st.SYNC_STATES["done" if s.complete else ("failed" if s.errors else "running")]
    return st.SYNC_LINE.format(source=s.source, state=state, pages=s.pages, figures=figures)


@contextmanager
def reporter(quiet: bool) -> Iterator[Callable[[SyncSummary], None] | None]:
    """A rich progress bar on a terminal, plain lines on stderr otherwise, nothing if quiet."""
    if quiet:
        yield None
        return
    if not sys.stderr.isatty():
        yield lambda s: click.echo(line(s), err=True)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        tasks: dict[str, Any] = {}

        def update(s: SyncSummary) -> None:
            if s.source not in tasks:
                tasks[s.source] = bar.add_task(s.source, total=None)
            done = s.complete or bool(s.errors)
            figures = st.SYNC_PROGRESS.format(fetched=s.fetched, new=s.new, changed=s.changed)
            bar.update(tasks[s.source], description=f"{s.source}: {figures}")
            if done:
                bar.update(tasks[s.source], total=1, completed=1)

        yield update


def result(s: SyncSummary, path: Path) -> str:
    """How a source's run ended, in the operator's language where perfbot knows the fault."""
    if s.unresolved is not None:
        host, setting = s.unresolved.host, s.unresolved.setting
        return st.SYNC_NO_HOST.format(host=host, setting=setting, name=s.source, path=path)
    errors = "; ".join(map(say, s.errors))  # in the operator's language
    text = st.SYNC_OK if s.complete and not s.errors else errors or st.SYNC_STOPPED
    return text + (st.SYNC_FULL if s.full and s.complete else "")


def table(report: SyncReport, path: Path) -> str:
    names = st.SYNC_COLUMNS
    head = (
        _pad(names["source"], 18, left=True)
        + "".join(_pad(names[c], 11) for c in COLUMNS)
        + _pad(names["seconds"], 9)
        + "  "
        + names["result"]
    )
    rows = [head]
    for s in report.summaries:
        figures = "".join(f"{getattr(s, c):>11,}" for c in COLUMNS)
        rows.append(f"{s.source:<18}{figures}{s.seconds:>9.2f}  {result(s, path)}")
    rescored = ", ".join(report.rescored) or st.NONE
    rows.append(st.RESCORED_PERIODS.format(periods=rescored))
    if any(s.unmatched or s.rejected for s in report.summaries):
        rows.append(st.SYNC_KEPT_ASIDE)
    return "\n".join(rows)


def _pad(text: str, columns: int, left: bool = False) -> str:
    """A header padded to `columns` as a terminal shows it (a Chinese character takes two)."""
    pad = " " * max(0, columns - width(text))
    return text + pad if left else pad + text


@cl.command(help=ht.SYNC)
@click.argument("source", required=False)
@click.option("--config", "config", help=ht.SYNC_CONFIG)
@click.option("--full", is_flag=True, help=ht.SYNC_FULL)
@click.option(
    "--batch-size",
    default=BATCH_SIZE,
    show_default=True,
    help=ht.SYNC_BATCH_SIZE,
)
@click.option("--json", "as_json", is_flag=True, help=ht.SYNC_AS_JSON)
@db_option
def sync(
    source: str | None, config: str | None, full: bool, batch_size: int, as_json: bool,
    db: str | None,
) -> None:  # fmt: skip
    rt = runtime(db)
    path = config_path(config, rt.settings.sources)
    try:
        with quiet_retries(), reporter(as_json) as progress:
            report = sync_all(
                uow=rt.uow,
                scoring=rt.scoring,
                sources=path,
                only=source,
                full=full,
                progress=progress,
                actor="cli",
                batch_size=batch_size,
            )
    except ConfigError as exc:
        click.echo(say(with_file_lines(exc, path)), err=True)
        sys.exit(2)
    except LookupError as exc:
        raise click.ClickException(say(exc)) from None
    emit(report.as_dict(), as_json, lambda: table(report, path))
    if not report.ok:
        sys.exit(1)


@cl.command(help=ht.UNMATCHED)
@click.argument("source", required=False)
@click.option("-n", "limit", default=50, show_default=True, help=ht.UNMATCHED_LIMIT)
@click.option("--json", "as_json", is_flag=True)
@db_option
def unmatched(source: str | None, limit: int, as_json: bool, db: str | None) -> None:
    rt = runtime(db)
    with rt.uow() as uow:  # loaded rows stay readable once it closes
        rows = uow.operator.unmatched(source, limit)
    data = [
        {
            "source": r.source,
            "record_id": r.record_id,
            "metric": r.metric,
            "employee_key": r.employee_key,
            "reason": r.reason,  # English, as all JSON output
            "seen_at": r.seen_at.isoformat(),
        }
        for r in rows
    ]
    # the reason said again in the operator's language; one stored as plain text as it is
    shown = [
        (r.source, r.record_id, r.metric, say(from_data(r.reason_said) or r.reason)) for r in rows
    ]
    emit(
        data,
        as_json,
        lambda: grid(st.UNMATCHED_HEADERS, shown) if data else st.SYNC_NONE_ASIDE,
    )


COMMANDS = [sync, unmatched]
