"""The scorecards (PERFBOT_SCORING) and the metric definitions (bundled, then the `metrics:`
of PERFBOT_SOURCES), read and checked against each other: every problem with its file
and line, before any process starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot import strings as st
from bot.config import BUNDLED, Settings
from connectors import strings as cs
from connectors.config import ConfigError as SourcesConfigError
from connectors.metrics import DEFAULT_METRICS, parse_metrics
from connectors.os_errors import os_reason
from handlers.people.org_validate import near
from handlers.scores.compute import ScoringSetup
from handlers.yaml_lines import with_lines
from said import Said, joined
from scoring.scorecard import ConfigError as ScoringConfigError
from scoring.scorecard import ScoringConfig, load_scoring_config


class SetupFileError(ValueError):
    """A configuration file perfbot can't start with; `problems` name their lines."""

    def __init__(self, origin: Path, problems: list[str]) -> None:
        self.origin, self.problems = origin, problems
        super().__init__(Said(st.SETUP_FILE, origin=origin, problems=joined("; ", problems)))


def load_scoring(settings: Settings) -> ScoringSetup:
    """Scorecards from PERFBOT_SCORING and metric definitions: the connectors' defaults,
    then the bundled ones, then the `metrics:` section of PERFBOT_SOURCES."""
    text, data = _read(settings.scoring)
    try:
        config = load_scoring_config(data)
    except ScoringConfigError as exc:
        raise SetupFileError(
            settings.scoring, with_lines(text, [str(p) for p in exc.problems])
        ) from None
    bundled = yaml.safe_load((BUNDLED / "metrics.yaml").read_text(encoding="utf-8"))["metrics"]
    extra: dict[str, Any] = {}
    sources_text = ""
    if settings.sources and settings.sources.exists():
        sources_text, sources = _read(settings.sources)
        extra = (sources.get("metrics") if isinstance(sources, dict) else None) or {}
    try:
        specs = parse_metrics({**DEFAULT_METRICS, **bundled, **extra})
    except SourcesConfigError as exc:
        origin = settings.sources or BUNDLED / "metrics.yaml"
        raise SetupFileError(origin, with_lines(sources_text, exc.errors)) from None
    unknown = unknown_metrics(config, set(specs))
    if unknown:
        raise SetupFileError(settings.scoring, with_lines(text, unknown))
    return ScoringSetup(config, tuple(specs.values()))


def unknown_metrics(config: ScoringConfig, known: set[str]) -> list[str]:
    """A problem per scorecard dimension measuring a metric no definition computes."""
    return [
        Said(
            st.UNKNOWN_METRIC,
            key=key,
            i=i,
            metric=d.metric,
            hint=near(d.metric, known) or Said(st.DEFINE_METRIC),
        )
        for key, card in config.scorecards.items()
        for i, d in enumerate(card.dimensions)
        if d.kind == "metric" and d.metric not in known
    ]


def _read(path: Path) -> tuple[str, Any]:
    """A YAML file's text and data; one SetupFileError when it can't be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
        return text, yaml.safe_load(text)
    except OSError as exc:
        raise SetupFileError(path, [Said(cs.CANNOT_READ, error=os_reason(exc))]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Said(cs.LINE_AT, n=mark.line + 1) if mark else ""
        raise SetupFileError(path, [Said(st.NOT_VALID_YAML, where=where)]) from None
