"""A metric as a person names it, resolved to its key among the metrics a command can mean.

The parser keeps what was typed (`销售额`, `Sales`, `sales_amount`, `"Customer satisfaction"`)
because it can't know the configuration; each use case resolves it here against its own
list: the configured metrics, or the lines of a person's score. A metric answers to its key,
to each configured label and to each label as the reader's catalogue translates it, all
compared NFKC-folded and case-blind, with spaces and underscores alike (so
`customer_satisfaction` types a label that has a space). A unique prefix is the last resort.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from handlers import strings as t
from handlers.i18n import term

_QUOTES = "\"'“”‘’「」『』"  # what may wrap a name typed with its spaces


@dataclass(frozen=True)
class MetricName:
    """A metric a command can mean: its key and the labels configured for it (the first is
    the one shown)."""

    key: str
    labels: tuple[str, ...] = ()

    def shown(self) -> str:
        """The metric as the reader reads it: its label in their language, else the key."""
        return str(term(self.labels[0])) if self.labels else self.key


@dataclass(frozen=True)
class NoMetric:
    """Nothing matched (`choices`: every metric), or more than one did (`choices`: those)."""

    typed: str
    choices: tuple[MetricName, ...]
    ambiguous: bool

    def listed(self) -> str:
        """The choices by their labels in the reader's language, in a list of theirs; a
        label two of them share names each with its key (`Sales (sales_amount)`)."""
        shown = [c.shown() for c in self.choices]
        return (
            t.LIST_SEP.join(
                t.METRIC_WITH_KEY.format(label=s, key=c.key) if shown.count(s) > 1 else s
                for s, c in zip(shown, self.choices, strict=True)
            )
            or "—"
        )

    def say(self, unknown: str) -> str:
        """Why nothing was chosen: `unknown` (with `{metric}` and `{choices}`) when nothing
        matched, else which metrics the words could mean."""
        template = t.METRIC_AMBIGUOUS if self.ambiguous else unknown
        return template.format(metric=self.typed, choices=self.listed())


Found: TypeAlias = MetricName | NoMetric


def resolve(typed: str, names: Iterable[MetricName], *wider: Iterable[MetricName]) -> Found:
    """The one metric `typed` names: a key first, then a label (configured or translated),
    then a unique prefix of either. `wider` lists are asked for a label or a prefix only
    when the nearer ones have none (the reader's own score card before every metric: two
    metrics may share a label)."""
    groups = [_merged(names), *(_merged(w) for w in wider)]
    known = _merged(n for g in groups for n in g)
    word = fold(typed)
    keyed = [n for n in known if fold(n.key) == word]
    if keyed:  # a key is never ambiguous, whatever a label elsewhere says
        return keyed[0]
    for group in groups:
        spelt = [n for n in group if word in _spellings(n)]
        if spelt:
            return _one(typed, spelt)
    for group in groups:
        started = [n for n in group if word and any(s.startswith(word) for s in _prefixed(n))]
        if started:
            return _one(typed, started)
    return NoMetric(typed, tuple(known), ambiguous=False)


def _one(typed: str, found: list[MetricName]) -> Found:
    return found[0] if len(found) == 1 else NoMetric(typed, tuple(found), ambiguous=True)


def fold(words: str) -> str:
    """Words compared as a person means them: full-width and case folded, quotes dropped,
    underscores as spaces, runs of space as one."""
    folded = unicodedata.normalize("NFKC", words).casefold().strip(_QUOTES)
    return " ".join(folded.replace("_", " ").split())


def _prefixed(name: MetricName) -> set[str]:
    return {fold(name.key), *_spellings(name)}


def _spellings(name: MetricName) -> set[str]:
    return {fold(s) for label in name.labels for s in (label, str(term(label)))} - {""}


def _merged(names: Iterable[MetricName]) -> list[MetricName]:
    """One entry per key, in first-seen order, with every label given for it."""
    merged: dict[str, list[str]] = {}
    for n in names:
        labels = merged.setdefault(n.key, [])
        labels += [label for label in n.labels if label and label not in labels]
    return [MetricName(key, tuple(labels)) for key, labels in merged.items()]


class _Dimension(Protocol):
    @property
    def metric(self) -> str: ...

    @property
    def label(self) -> str: ...


class _Card(Protocol):
    @property
    def dimensions(self) -> Sequence[_Dimension]: ...


class MetricSetup(Protocol):
    """handlers.scores.compute.ScoringSetup, as far as naming metrics goes."""

    @property
    def config(self) -> Any: ...  # a ScoringConfig: its `scorecards`

    @property
    def specs(self) -> Sequence[Any]: ...  # SpecLike, some with a `label`


def configured(
    setup: MetricSetup | None, *, defined_only: bool = False, carded_only: bool = False
) -> tuple[MetricName, ...]:
    """Every configured metric: the scorecards' lines (labels as the score card shows them),
    then the metric definitions (their own labels); `defined_only`: only metrics with a
    definition (what has source records to explain); `carded_only`: only scorecard lines."""
    if setup is None:
        return ()
    cards: Mapping[str, _Card] = setup.config.scorecards
    defined = {s.name: str(getattr(s, "label", "") or "") for s in setup.specs}
    carded = [
        MetricName(d.metric, (d.label,) if d.label else ())
        for card in cards.values()
        for d in card.dimensions
        if not defined_only or d.metric in defined
    ]
    on_cards = {n.key for n in carded}
    names = carded + [
        MetricName(key, (label,) if label else ())
        for key, label in defined.items()
        if not carded_only or key in on_cards
    ]
    return tuple(_merged(names))


def of_breakdown(breakdown: Mapping[str, Any] | None) -> tuple[MetricName, ...]:
    """The lines of a stored score (`Score.breakdown`) as metric names, in scorecard order
    (PostgreSQL may return the JSON array in any order)."""
    dims: list[Mapping[str, Any]] = list((breakdown or {}).get("dimensions", []))
    return tuple(
        MetricName(str(d["metric"]), (str(d["label"]),) if d.get("label") else ())
        for d in sorted(dims, key=lambda d: int(d.get("pos") or 0))
    )
