"""Scrape a /metrics endpoint the way Prometheus does and read its samples."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(url: str) -> Samples:
    """Every sample: (name, labels) -> value; fails unless it is Prometheus' text format."""
    answer = httpx.get(url, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return parse(answer.text)


def parse(text: str) -> Samples:
    """The samples of an exposition in Prometheus' text format."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value, 0 when it is not there (a counter never incremented)."""
    return samples.get((name, frozenset(labels.items())), 0.0)
