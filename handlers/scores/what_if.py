"""`/score what-if <metric> <value>`: the total a different figure would give, nothing stored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from handlers import strings as t
from handlers.cards import Card
from handlers.format import amount, num
from handlers.metric_names import NoMetric, of_breakdown, resolve
from scoring.bands import band_for
from scoring.scorecard import ScoringConfig, score


def what_if_card(
    breakdown: dict[str, Any],
    changes: Sequence[tuple[str, Decimal]],
    config: ScoringConfig,
    units: Mapping[str, str] | None = None,
) -> Card:
    """Re-run the scorecard on the stored snapshot with some actuals replaced (`units`: each
    metric's goal unit, so money reads as money where the reader writes it so)."""
    card = config.scorecards.get(str(breakdown.get("scorecard")))
    if card is None:
        return Card(t.WHAT_IF_TITLE, (t.WHAT_IF_NO_CARD,))
    dims = {d["metric"]: d for d in breakdown.get("dimensions", [])}
    on_card = of_breakdown(breakdown)
    resolved: list[tuple[str, Decimal]] = []
    for typed, value in changes:  # each metric as typed: a key, a label, a translated label
        found = resolve(typed, on_card)
        if isinstance(found, NoMetric):
            return Card(t.WHAT_IF_TITLE, (found.say(t.WHAT_IF_UNKNOWN),))
        if any(key == found.key for key, _ in resolved):  # its key and its label, say
            return Card(t.WHAT_IF_TITLE, (t.ERR_WHAT_IF_TWICE.format(token=typed),))
        resolved.append((found.key, value))
    changes = resolved
    actuals = {m: _dec(d.get("actual")) for m, d in dims.items()}
    targets = {m: _dec(d.get("target")) for m, d in dims.items()}
    scale = config.rating_scale
    ratings = {
        m: scale.nearest(int(Decimal(str(d["actual"]))))
        for m, d in dims.items()
        if d.get("kind") == "rating" and d.get("actual") is not None
    }
    for metric, value in changes:
        if dims[metric].get("kind") == "rating":
            ratings[metric] = scale.nearest(int(value))
        else:
            actuals[metric] = value
    result = score(card, actuals, targets, ratings, config.rating_scale)
    was = _dec(breakdown.get("total")) or Decimal(0)
    lines = tuple(
        t.WHAT_IF_LINE.format(
            metric=dims[m].get("label") or m, value=amount(v, (units or {}).get(m, ""))
        )
        for m, v in changes
    )
    delta = result.total - was
    band, change = band_for(result.total, config.bands), f"{'+' if delta >= 0 else ''}{num(delta)}"
    return Card(
        t.WHAT_IF_TITLE,
        lines,
        (
            (t.TOTAL, t.TOTAL_BAND.format(total=num(result.total), band=band)),
            (t.WHAT_IF_NOW, t.TOTAL_BAND.format(total=num(was), band=change)),
        ),
    )


def _dec(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))
