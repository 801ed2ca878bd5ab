"""`perfbot import` end to end: the report, exit codes, re-scoring, re-import."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from bot.cli import main
from tests.integration.connectors.test_history_import import DIRTY, MAPPING


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_reports_rejected_rows_rescores_and_is_idempotent(demo_url: str, tmp_path: Path):
    data = tmp_path / "sales-2026.csv"
    data.write_text(DIRTY, encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    args = (str(data), "--mapping", str(mapping), "--db", demo_url)

    code, out, _ = run("import", *args, "--dry-run")
    assert code == 1 and "(dry run: nothing stored)" in out and "re-scored" not in out

    code, out, _ = run("import", *args)
    assert code == 1  # rows were rejected (the good ones are stored)
    assert out.splitlines()[:2] == [
        "sales-2026.csv: 9 rows, 3 accepted, 6 rejected, 1 blank",
        "facts: 5 new, 0 changed, 0 voided",
    ]
    assert "  row 5: 金额: not a number: '12abc'" in out
    assert "  row 8: duplicate of row 2" in out
    assert "re-scored periods: 2026-11" in out

    code, out, _ = run("import", *args, "--json")
    report = json.loads(out)
    assert (report["new"], report["changed"], report["voided"]) == (0, 0, 0)
    assert report["rescored_periods"] == [] and len(report["rejected"]) == 6


def test_a_bad_mapping_file_is_reported_with_every_key(demo_url: str, tmp_path: Path):
    data = tmp_path / "x.csv"
    data.write_text(DIRTY, encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("employee: {column: 销售}\nmetrics: [{name: Bad Name, column: 金额}]\n")
    code, _, err = run("import", str(data), "--mapping", str(mapping), "--db", demo_url)
    assert code == 2
    assert "mapping.date: field required" in err and "mapping.metrics[0].name" in err
