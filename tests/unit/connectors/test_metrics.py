"""Metric definitions compile to terms a store can aggregate, and combine to a value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from connectors.config import ConfigError
from connectors.metrics import MetricDef, Term, combine, compile_metric, load_metrics, parse_metrics


def spec(**definition: object):  # type: ignore[no-untyped-def]
    return compile_metric("m", MetricDef.model_validate(definition))


def test_each_aggregation_compiles_to_terms() -> None:
    assert spec(agg="sum", facts=["sales_amount"]).numerator == Term("sum", ("sales_amount",))
    count = spec(agg="count", facts=["tasks_done"])
    assert count.numerator == Term("count", ("tasks_done",)) and count.denominator is None
    avg = spec(agg="avg", facts=["sales_amount"])
    assert (avg.numerator, avg.denominator) == (
        Term("sum", ("sales_amount",)),
        Term("count", ("sales_amount",)),
    )
    csat = spec(agg="ratio", numerator=["good"], denominator=["good", "bad"], scale=100)
    assert csat.denominator == Term("sum", ("good", "bad")) and csat.facts == {"good", "bad"}


def test_combine() -> None:
    assert combine(spec(agg="sum", facts=["a"]), Decimal("150000")) == Decimal("150000")
    csat = spec(agg="ratio", numerator=["good"], denominator=["good", "bad"], scale=100)
    assert combine(csat, Decimal(45), Decimal(50)) == Decimal(90)
    assert combine(csat, Decimal(0), Decimal(0)) is None  # no ratings: undefined, not 0 %
    avg = spec(agg="avg", facts=["a"])
    assert combine(avg, Decimal(300), Decimal(4)) == Decimal(75)


def test_invalid_definitions_are_all_reported() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_metrics(
            {
                "a": {"agg": "ratio", "numerator": ["x"]},
                "b": {"agg": "sum"},
                "c": {"agg": "median", "facts": ["x"]},
                "d": {"agg": "sum", "facts": ["x"], "colour": "red"},
            }
        )
    errors = caught.value.errors
    assert errors[0] == "metrics.a: ratio needs numerator and denominator (and no facts)"
    assert errors[1] == "metrics.b: sum needs facts (and no numerator/denominator)"
    assert errors[2].startswith("metrics.c.agg: input should be 'sum', 'count', 'avg' or 'ratio'")
    assert errors[3] == "metrics.d.colour: extra inputs are not permitted"


def test_defaults_and_overrides_from_sources_yaml(tmp_path: Path) -> None:
    defaults = load_metrics()
    assert {"sales", "csat", "collection_rate", "bug_rate", "leave_days"} <= defaults.keys()
    path = tmp_path / "sources.yaml"
    path.write_text("sources: []\nmetrics:\n  sales: {agg: count, facts: [sales_amount]}\n")
    assert load_metrics(path)["sales"].numerator.op == "count"
