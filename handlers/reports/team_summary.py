"""The summary parts of a team report (lines about the period, averages, band counts and
the chart), shared by /team and `perfbot report`: final figures, or, while the period
runs, the partial totals with their projection, labelled."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from handlers import strings as t
from handlers.format import day_month, num
from handlers.i18n import term
from handlers.reports.charts import score_distribution
from handlers.reports.team_rows import TeamRow
from handlers.scores.outlook import partial_line


def partial_lines(rows: list[TeamRow]) -> list[str]:
    """One line per distinct state of the period among the rows' branches (most often one):
    `Partial: 15 of 21 working days · projections are on pace to 30 Nov (Berlin)`."""
    by_state: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r.outlook is not None and r.branch not in by_state[partial_line(r.outlook)]:
            by_state[partial_line(r.outlook)].append(r.branch)
    if len(by_state) == 1:
        return list(by_state)
    return [
        t.PARTIAL_WHERE.format(line=line, branches=t.LIST_SEP.join(sorted(names)))
        for line, names in sorted(by_state.items())
    ]


def summary_fields(rows: list[TeamRow], bands: list[tuple[str, Decimal]]) -> list[tuple[str, str]]:
    """Average and band counts; while the period runs, of the projection (labelled), and
    nothing but the average so far while it is too early to project."""
    avg = sum((Decimal(str(r.total)) for r in rows), Decimal(0)) / len(rows)
    if all(r.outlook is None for r in rows):
        counts = _band_counts([r.band for r in rows], bands)
        return [(t.TEAM_AVERAGE, num(avg, 1)), *((str(term(b)), n) for b, n in counts)]
    out = [(t.TEAM_AVERAGE_SO_FAR, num(avg, 1))]
    projected = [r.outlook for r in rows if r.outlook is not None and r.outlook.result]
    if projected:
        mean = sum((o.total or Decimal(0) for o in projected), Decimal(0)) / len(projected)
        out.append((t.TEAM_AVERAGE_PROJECTED, num(mean, 1)))
        counts = _band_counts([o.band or "" for o in projected], bands)
        out += [(t.PROJECTED_BAND.format(band=name), n) for name, n in counts]
    return out


def team_chart(rows: list[TeamRow], bands: list[tuple[str, Decimal]], title: str) -> bytes:
    """Everyone's total coloured by band; while the period runs, the bars are the
    projection (the partial total drawn inside), or grey partial totals when too early."""
    so_far = [Decimal(str(r.total)) for r in rows]
    outlooks = [r.outlook for r in rows if r.outlook is not None]
    if not outlooks:
        return score_distribution([r.name for r in rows], so_far, bands, title)
    o = max(outlooks, key=lambda x: x.progress.elapsed)
    days = {"elapsed": o.progress.elapsed, "total": o.progress.total}
    if not any(x.result for x in outlooks):
        early = t.CHART_EARLY.format(title=title, **days)
        grey = [True] * len(rows)
        return score_distribution([r.name for r in rows], so_far, bands, early, muted=grey)
    chart_title = t.CHART_PARTIAL.format(title=title, end=day_month(o.ends_on), **days)
    values = [Decimal(str(r.standing)) for r in rows]
    # Someone whose branch is still too early to project keeps a grey partial bar.
    grey = [r.outlook is not None and r.outlook.result is None for r in rows]
    return score_distribution(
        [r.name for r in rows], values, bands, chart_title, so_far=so_far, muted=grey
    )


def _band_counts(names: list[str], bands: list[tuple[str, Decimal]]) -> list[tuple[str, str]]:
    counts: dict[str, int] = defaultdict(int)
    for name in names:
        counts[name] += 1
    return [(name, str(counts[name])) for name, _ in sorted(bands, key=lambda b: -b[1])]
