"""`perfbot report`: the team report for the whole company as CSV, PNG or Markdown."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from bot.cli import click_language as cl
from bot.cli import help_texts as ht
from bot.cli import texts as st
from bot.cli.common import db_option, locale_option, period_key, runtime
from bot.policy import pace_policy
from handlers import strings as t
from handlers.format import num, plural
from handlers.i18n import current, speaking, term
from handlers.reports.process_figures import process_figures
from handlers.reports.team_rows import TeamRow, team_rows
from handlers.reports.team_summary import partial_lines, team_chart

FIELDS = ("name", "team", "branch", "total", "band", "previous", "trend", "flags", "praise")
# While the period runs: "total" is partial and "band" empty; these say how far it has
# got and where it is heading (empty when final, or too early to project).
PARTIAL_FIELDS = ("working_days", "projected", "projected_band")


@cl.command(help=ht.REPORT)
@click.option("--period", help=ht.REPORT_PERIOD)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "png", "md"]), default="md", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help=ht.REPORT_OUT,
)
@locale_option
@db_option
def report(
    period: str | None, fmt: str, out: Path | None, locale: str | None, db: str | None
) -> None:
    with speaking(locale or current()):  # else the operator's language (bot/cli/__init__.py)
        _report(period, fmt, out, db)


def _report(period: str | None, fmt: str, out: Path | None, db: str | None) -> None:
    rt = runtime(db)
    key = period_key(rt, period)
    with rt.uow() as uow:
        p = uow.org.period_by_key(key)
        if p is None:
            raise click.ClickException(st.PERIOD_NOT_SET_UP.format(key=key))
        ids = uow.org.active_ids()
        rows = team_rows(uow, p, ids, rt.scoring, pace_policy(rt.settings))
        figures = process_figures(uow, p, ids)
    if fmt == "png":
        if out is None:
            raise click.ClickException(st.REPORT_PNG_NEEDS_OUT)
        scored = [r for r in rows if r.total is not None]
        bands = [(b.name, b.min) for b in rt.scoring.config.bands]
        out.write_bytes(team_chart(scored, bands, st.REPORT_CHART_TITLE.format(period=key)))
        click.echo(st.WROTE.format(path=out))
        return
    text = _csv(rows) if fmt == "csv" else _markdown(key, rows, figures)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(st.WROTE.format(path=out))
    else:
        click.echo(text, nl=False)


def _values(r: TeamRow) -> list[str]:
    o = r.outlook
    return [
        r.name,
        r.team,
        r.branch,
        "" if r.total is None else f"{r.total:.2f}",
        term(r.band) if o is None else "",  # a band of a partial total would mislead
        "" if r.previous is None else f"{r.previous:.2f}",
        "" if r.trend is None else f"{r.trend:+.2f}",
        st.CLAUSES_SEP.join(r.flags),
        str(r.praise),
        "" if o is None else f"{o.progress.elapsed}/{o.progress.total}",
        "" if o is None or o.total is None else f"{o.total:.2f}",
        "" if o is None else term(o.band) or "",
    ]


def _csv(rows: list[TeamRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(FIELDS + PARTIAL_FIELDS)
    writer.writerows(_values(r) for r in rows)
    return buf.getvalue()


def _markdown(key: str, rows: list[TeamRow], figures) -> str:  # type: ignore[no-untyped-def]
    rate = figures.completion_rate
    hours = figures.median_hours_to_resolve
    median = "—" if hours is None else t.HOURS.format(h=num(hours))
    completion = st.REPORT_COMPLETION.format(
        rate="—" if rate is None else f"{num(rate)}%",
        done=figures.goals_acknowledged,
        goals=plural(figures.goals_total, st.GOALS),
    )
    appeals = st.REPORT_APPEALS.format(
        opened=figures.appeals_opened, resolved=figures.appeals_resolved
    )
    headers = st.REPORT_HEADERS
    lines = [
        "# " + st.REPORT_TITLE.format(period=key),
        "",
        f"- {completion}",
        f"- {appeals}",
        "- " + st.REPORT_MEDIAN.format(median=median),
        *(f"- {line}" for line in partial_lines([r for r in rows if r.total is not None])),
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
    ]
    lines += ["| " + " | ".join(v.replace("|", "/") for v in _values(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


COMMANDS = [report]
