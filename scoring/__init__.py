"""Pure scoring math for perfbot: no I/O, and no imports from bot/handlers/connectors/store.

The main entry points are re-exported here; each module documents its own rules.
"""

from scoring.attainment import Direction, attainment, rating_attainment, round2
from scoring.bands import band_for
from scoring.decompose import by_headcount, by_last_share, by_weights, decompose, equal
from scoring.formula import FormulaError, evaluate, validate_formula
from scoring.incentives import (
    ConsecutiveBandRule,
    Decision,
    IncentiveRule,
    TopPercentRule,
    apply_consecutive_band,
    apply_top_percent,
)
from scoring.pace import Pace, business_days, is_at_risk, local_today, pace
from scoring.ranking import percentile_top, rank_with_ties
from scoring.scorecard import (
    Band,
    ConfigError,
    Dimension,
    DimensionResult,
    Scorecard,
    ScoreResult,
    ScoringConfig,
    load_scoring_config,
    score,
)

__all__ = [
    "Band",
    "ConfigError",
    "ConsecutiveBandRule",
    "Decision",
    "Dimension",
    "DimensionResult",
    "Direction",
    "FormulaError",
    "IncentiveRule",
    "Pace",
    "ScoreResult",
    "Scorecard",
    "ScoringConfig",
    "TopPercentRule",
    "apply_consecutive_band",
    "apply_top_percent",
    "attainment",
    "band_for",
    "business_days",
    "by_headcount",
    "by_last_share",
    "by_weights",
    "decompose",
    "equal",
    "evaluate",
    "is_at_risk",
    "load_scoring_config",
    "local_today",
    "pace",
    "percentile_top",
    "rank_with_ties",
    "rating_attainment",
    "round2",
    "score",
    "validate_formula",
]
