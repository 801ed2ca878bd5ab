"""Company goals from YAML: validated completely before anything is cascaded."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from handlers import strings_en as en
from handlers.people.org_validate import OrgFileError, near
from handlers.press import key_of
from handlers.yaml_lines import line_of, load_with_lines
from said import Said

# "same": every child carries the whole target (rates and scores: 92% CSAT for each).
TEAM_RULES = ("same", "equal", "headcount", "weights", "last_share")
PEOPLE_RULES = ("same", "equal", "last_share")


@dataclass(frozen=True)
class CompanyGoalSpec:
    """One company goal and how it splits: into teams by `split`, then into people."""

    key: str
    title: str
    metric: str | None
    target: Decimal | None
    unit: str
    direction: str
    teams: tuple[str, ...]
    split: str = "headcount"
    weights: dict[str, Decimal] = field(default_factory=dict)
    people_split: str = "equal"
    places: int = 0


@dataclass(frozen=True)
class GoalsFile:
    period: str
    goals: tuple[CompanyGoalSpec, ...]


def _decimal(value: Any) -> Decimal | None:
    try:
        d = Decimal(str(value).replace(",", "").replace("_", ""))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def parse_goals(
    text: str, known_teams: set[str], known_metrics: Collection[str] | None = None
) -> GoalsFile:
    """Parse a goals file; raise OrgFileError listing every problem with its line.
    `known_metrics`: the metrics a goal may measure (None: not checked)."""
    try:
        data = load_with_lines(text)
    except Exception as exc:
        raise OrgFileError([Said(en.ORG_NOT_YAML, error=exc)]) from None
    if not isinstance(data, dict) or not isinstance(data.get("goals"), list):
        raise OrgFileError([Said(en.GOALS_NOT_SHAPED)])
    problems: list[str] = []
    period = str(data.get("period") or "").strip()
    if not period:
        problems.append(Said(en.GOALS_NO_PERIOD))
    goals, keys = [], set()
    for i, g in enumerate(data["goals"]):
        where = line_of(g) or f"goals[{i}]"
        if not isinstance(g, dict):
            problems.append(Said(en.GOAL_NOT_MAPPING, where=where))
            continue
        key, title = str(g.get("key") or "").strip(), str(g.get("title") or "").strip()
        if not key or not title:
            problems.append(Said(en.GOAL_NO_KEY, where=where))
            continue
        if key in keys:
            problems.append(Said(en.GOAL_DUPLICATE, where=where, key=key))
        keys.add(key)
        goal = Said(en.GOAL_AT, where=where, key=key)
        metric = g.get("metric")
        target = _decimal(g["target"]) if "target" in g else None
        if metric and (target is None or target < 0):
            problems.append(Said(en.GOAL_NO_TARGET, where=goal))
        if metric and known_metrics is not None and str(metric) not in known_metrics:
            hint = near(str(metric), known_metrics) or Said(en.GOAL_DEFINE_METRIC)
            problems.append(Said(en.GOAL_UNKNOWN_METRIC, where=goal, metric=metric, near=hint))
        teams = tuple(str(t) for t in g.get("teams") or ())
        if not teams:
            problems.append(Said(en.GOAL_NO_TEAMS, where=goal))
        problems += [
            Said(en.GOAL_UNKNOWN_TEAM, where=goal, team=t, near=near(t, known_teams))
            for t in teams
            if t not in known_teams
        ]
        split, people = str(g.get("split", "headcount")), str(g.get("people_split", "equal"))
        if split not in TEAM_RULES:
            problems.append(Said(en.GOAL_BAD_SPLIT, where=goal, rules=", ".join(TEAM_RULES)))
        if people not in PEOPLE_RULES:
            rules = ", ".join(PEOPLE_RULES)
            problems.append(Said(en.GOAL_BAD_PEOPLE_SPLIT, where=goal, rules=rules))
        weights = {
            str(k): _decimal(v) for k, v in (g.get("weights") or {}).items() if k != "__line__"
        }
        if split == "weights" and (
            set(weights) != set(teams) or any(w is None or w <= 0 for w in weights.values())
        ):
            problems.append(Said(en.GOAL_BAD_WEIGHTS, where=goal))
        direction = str(g.get("direction", "higher"))
        if direction not in ("higher", "lower"):
            problems.append(Said(en.GOAL_BAD_DIRECTION, where=goal))
        raw_places = str(g.get("places", 0))
        places = key_of(raw_places.removeprefix("-"))
        if places is None or places > 6:
            problems.append(Said(en.GOAL_BAD_PLACES, where=goal))
        places = -(places or 0) if raw_places.startswith("-") else places or 0
        goals.append(
            CompanyGoalSpec(
                key=key,
                title=title,
                metric=str(metric) if metric else None,
                target=target,
                unit=str(g.get("unit") or ""),
                direction=direction,
                teams=teams,
                split=split,
                weights={k: v for k, v in weights.items() if v is not None},
                people_split=people,
                places=places,
            )
        )
    if problems:
        raise OrgFileError(problems)
    return GoalsFile(period, tuple(goals))
