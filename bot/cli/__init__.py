"""`perfbot`: the operator's command line (also `python -m bot`), one module per group."""

from __future__ import annotations

import click

from bot.cli import (
    audit,
    backup,
    console,
    db,
    doctor,
    goals,
    imports,
    link_code,
    org,
    outbox,
    people,
    period,
    person,
    report,
    scheduler,
    score,
    serve,
    sweep,
    sync,
)
from bot.cli import help_texts as ht

# The helpers most commands use, importable from the package itself.
from bot.cli.common import Shell, db_option, emit, runtime, settings_for
from bot.config import export_env_file

__all__ = ["db_option", "emit", "main", "runtime", "settings_for"]

GROUPS = (audit, backup, console, db, doctor, goals, imports, link_code, org, outbox, people,
          period, person, report, scheduler, score, serve, sweep, sync)  # fmt: skip


@click.group(cls=Shell, context_settings={"help_option_names": ["-h", "--help"]}, help=ht.PERFBOT)
def main() -> None:
    export_env_file()  # so `.env` may hold the sources' secrets too


# One imported module per operator area, each with a COMMANDS list.
for _module in GROUPS:
    for _cmd in _module.COMMANDS:
        main.add_command(_cmd)
