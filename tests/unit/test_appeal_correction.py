"""What an appeal reads its figure with: metric definitions and the figure the facts give.

(A correction is no longer a made-up fact solved for here: it is an explicit adjustment,
stored as a FigureCorrection; see tests/e2e/test_appeal_accept.py.)
"""

from __future__ import annotations

from decimal import Decimal

from connectors.metrics import DEFAULT_METRICS, parse_metrics
from handlers.appeals.correction import PlainSpec, Term, current_value, fact_metrics, spec_for

SPECS = parse_metrics(DEFAULT_METRICS)
D = Decimal


class Setup:
    specs = tuple(SPECS.values())


def test_a_sum_a_ratio_and_a_count_from_per_fact_sums():
    assert current_value(SPECS["sales"], {"sales_amount": D(759_000)}, {}) == D(759_000)
    csat = {"csat_good": D(18), "csat_bad": D(2)}, {"csat_good": 18, "csat_bad": 2}
    assert current_value(SPECS["csat"], *csat) == D(90)
    assert current_value(SPECS["deals_won"], {}, {"sales_amount": 5}) == D(5)


def test_a_ratio_with_nothing_below_the_line_has_no_value():
    assert current_value(SPECS["collection_rate"], {}, {}) is None


def test_unknown_metrics_are_a_plain_sum_of_their_own_facts():
    spec = spec_for(Setup(), "output_units")
    assert spec == PlainSpec("output_units", Term("sum", ("output_units",)))
    assert fact_metrics(SPECS["csat"]) == ("csat_good", "csat_bad")
    assert spec_for(Setup(), "csat") is SPECS["csat"]
    assert spec_for(None, "csat").numerator.facts == ("csat",)
