"""`perfbot sweep`: find goals behind pace and nudge the managers (or show what it would)."""

from __future__ import annotations

import dataclasses
from typing import Any

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, emit, runtime
from bot.cli.table import table
from bot.holidays import HolidaysError
from bot.policy import sweep_policy
from handlers.format import about, amount, is_currency, pct, plural
from handlers.i18n import ENGLISH, current, say, term
from handlers.nudges.sweep import SweepReport, run_sweep

DECISIONS = ("nudge", "already nudged", "snoozed", "no manager", "recovered")


@cl.command("sweep", help=ht.SWEEP)
@click.option("--dry-run", is_flag=True, help=ht.SWEEP_DRY_RUN)
@click.option("--branch", "branches", multiple=True, help=ht.SWEEP_BRANCHES)
@click.option("--json", "as_json", is_flag=True)
@db_option
def sweep(dry_run: bool, branches: tuple[str, ...], as_json: bool, db: str | None) -> None:
    rt = runtime(db)
    try:
        policy = sweep_policy(rt.settings)
    except HolidaysError as exc:
        raise click.ClickException(say(exc)) from None
    with rt.uow() as uow:
        branch_ids = None
        if branches:
            found = {b.name: b.id for b in uow.org.branches()}
            unknown = [b for b in branches if b not in found]
            if unknown:
                raise click.ClickException(
                    st.SWEEP_NO_BRANCH.format(
                        unknown=", ".join(map(repr, unknown)), branches=", ".join(sorted(found))
                    )
                )
            branch_ids = [found[b] for b in branches]
    report = run_sweep(
        uow=rt.uow(),
        scoring=rt.scoring,
        policy=policy,
        branch_ids=branch_ids,
        dry_run=dry_run,
        actor="cli",
    )
    names = _names(rt, report)
    data = {
        "dry_run": dry_run,
        "counts": {d: report.count(d) for d in DECISIONS},
        "findings": [
            {**dataclasses.asdict(f), "manager": names.get(f.manager_id or -1)}
            for f in report.findings
        ],
        "skipped": [dataclasses.asdict(s) for s in report.skipped],
    }
    emit(data, as_json, lambda: _text(report, names))


def _names(rt: Any, report: SweepReport) -> dict[int, str]:
    ids = {f.manager_id for f in report.findings if f.manager_id}
    if not ids:
        return {}
    with rt.uow() as uow:
        return {i: e.name for i, e in uow.org.employees_by_id(ids).items()}


def _text(report: SweepReport, names: dict[int, str]) -> str:
    head = st.SWEEP_HEAD_DRY if report.dry_run else st.SWEEP_HEAD
    counts = ", ".join(
        plural(report.count(d), st.DECISIONS[d]) for d in DECISIONS if report.count(d)
    )
    out = [head.format(counts=counts or st.SWEEP_NOBODY)]
    rows = [
        (
            st.SWEEP_DECISION_NAMES.get(f.decision, f.decision),
            f.name,
            str(term(f.label)),
            pct(f.ratio),
            st.SWEEP_OF_EXPECTED.format(
                actual=amount(f.actual, f.unit), expected=amount(about(f.expected, f.unit), f.unit)
            )
            if f.expected is not None
            else st.SWEEP_AT_MOST.format(
                actual=amount(f.actual, f.unit),
                unit=_after(f.unit),
                target=amount(f.target, f.unit),
            ),
            names.get(f.manager_id or -1),
        )
        for f in report.findings
    ]
    if rows:
        out += ["  " + line for line in table(st.SWEEP_HEADERS, rows, right={3}).splitlines()]
    out += [st.SWEEP_SKIPPED.format(branch=s.branch, reason=say(s.reason)) for s in report.skipped]
    return "\n".join(out)


def _after(unit: str) -> str:
    """The unit written after a figure: none after money that reads as money (¥1.2万)."""
    return "" if is_currency(unit) and current() != ENGLISH else unit


COMMANDS = [sweep]
