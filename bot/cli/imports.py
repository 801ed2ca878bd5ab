"""`perfbot import FILE --mapping MAP.yaml`: historical figures from .csv or .xlsx (R12)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, runtime
from bot.sync_job import rescore_after
from connectors.config import ConfigError
from connectors.history_import import ImportReport, import_history, load_mapping
from connectors.sync import SyncSummary
from connectors.tables import TableError
from handlers.i18n import say


def text(report: ImportReport, rescored: list[str]) -> str:
    lines = [
        st.HISTORY_ROWS.format(
            file=report.file, rows=report.rows, accepted=report.accepted,
            rejected=len(report.rejected), blank=report.blank,
        ),
        st.HISTORY_FACTS.format(new=report.new, changed=report.changed, voided=report.voided)
        + (st.HISTORY_DRY_RUN if report.dry_run else ""),
    ]  # fmt: skip
    if report.rejected:
        lines.append(st.HISTORY_REJECTED)
        lines += [
            st.HISTORY_REJECTED_ROW.format(row=r.row, reasons="; ".join(map(say, r.reasons)))
            for r in report.rejected
        ]
    if rescored:
        lines.append(st.RESCORED_PERIODS.format(periods=", ".join(rescored)))
    return "\n".join(lines)


@cl.command("import", help=ht.IMPORT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_path", required=True, type=click.Path(exists=True),
              help=ht.IMPORT_MAPPING_PATH)  # fmt: skip
@click.option("--dry-run", is_flag=True, help=ht.IMPORT_DRY_RUN)
@click.option("--json", "as_json", is_flag=True, help=ht.IMPORT_AS_JSON)
@db_option
def import_file(
    file: Path, mapping_path: str, dry_run: bool, as_json: bool, db: str | None
) -> None:
    try:
        mapping = load_mapping(mapping_path)
    except ConfigError as exc:
        click.echo(say(exc), err=True)
        sys.exit(2)
    rt = runtime(db)
    try:
        report = import_history(file, mapping, rt.uow(), dry_run=dry_run)
    except (TableError, ValueError) as exc:
        raise click.ClickException(say(exc)) from None
    rescored: list[str] = []
    if not dry_run:
        summary = SyncSummary(
            source=report.source, new=report.new, changed=report.changed, voided=report.voided,
            first_day=report.first_day, last_day=report.last_day, complete=True,
        )  # fmt: skip
        rescored = rescore_after(rt.uow, rt.scoring, [summary], actor="import")
    emit(
        {**report.as_dict(), "rescored_periods": rescored}, as_json, lambda: text(report, rescored)
    )
    if report.rejected:
        sys.exit(1)


COMMANDS = [import_file]
