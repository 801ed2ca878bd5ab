"""Bad configuration is refused loudly: unknown scorecards, teams, managers and metrics at
load, with their line and nothing written; `perfbot score` exits 1 naming whoever it could
not score and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.config import BUNDLED

ORG = """\
branches:
  - {name: HQ, timezone: Asia/Shanghai, hq: true}
teams:
  - {name: Sales, branch: HQ, manager: chen@acme.example}
employees:
  - {email: chen@acme.example, name: Chen, role: manager, team: Sales}
  - email: ana@acme.example
    name: Ana
    team: Sales
    manager: chen@acme.example
    scorecard: {card}
"""

GOALS = """\
period: 2026-11
goals:
  - {key: rev, title: Revenue, metric: sales_amount, target: 1000, teams: [Sales]}
"""


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text)
    return str(tmp_path / name)


def people(db_url: str) -> list[str]:
    code, out = run("org", "list", "--json", "--db", db_url)
    assert code == 0
    return [p["email"] for p in json.loads(out)]


def test_an_unknown_scorecard_is_refused_with_its_line(db_url: str, tmp_path: Path) -> None:
    org = write(tmp_path, "org.yaml", ORG.replace("{card}", "sales_repp"))
    code, out = run("org", "load", org, "--db", db_url)
    assert code == 1 and "nothing loaded" in out
    assert "line 7: ana@acme.example: unknown scorecard 'sales_repp'" in out
    assert "did you mean 'sales_rep'?" in out
    assert people(db_url) == []
    code, out = run("org", "load", org, "--json", "--db", db_url)
    assert code == 1 and json.loads(out)["ok"] is False


def test_unknown_teams_and_managers_are_refused_with_their_lines(
    db_url: str, tmp_path: Path
) -> None:
    text = ORG.replace("{card}", "sales_rep").replace("manager: chen@", "manager: chenn@")
    text = text.replace("    team: Sales", "    team: Sals")
    org = write(tmp_path, "org.yaml", text)
    code, out = run("org", "load", org, "--db", db_url)
    assert code == 1
    assert "line 4: team Sales: unknown manager 'chenn@acme.example'" in out
    assert "line 7: ana@acme.example: unknown team 'Sals' (did you mean 'Sales'?)" in out
    assert "line 7: employee ana@acme.example: unknown manager 'chenn@acme.example'" in out
    assert people(db_url) == []


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    code, out = run("org", "load", write(tmp_path, "org.yaml", ORG.replace("{card}", "engineer")),
                    "--db", db_url)  # fmt: skip
    assert code == 0, out
    code, out = run("goals", "load", write(tmp_path, "goals.yaml", GOALS), "--db", db_url)
    assert code == 0, out
    return db_url


def test_goals_with_an_unknown_metric_or_team_load_nothing(loaded: str, tmp_path: Path) -> None:
    bad = GOALS.replace("2026-11", "2026-12").replace("sales_amount", "sales_amout")
    bad += "  - {key: t, title: Tasks, metric: tasks_done, target: 5, teams: [Sales, Ops]}\n"
    code, out = run("goals", "load", write(tmp_path, "bad.yaml", bad), "--db", loaded)
    assert code == 1 and "nothing cascaded" in out
    assert "line 3: goal rev: unknown metric 'sales_amout' (did you mean 'sales_amount'?)" in out
    assert "line 4: goal t: unknown team 'Ops'" in out
    code, out = run("goals", "list", "--period", "2026-12", "--json", "--db", loaded)
    assert code == 0 and json.loads(out) == []


def test_score_names_who_could_not_be_scored(loaded: str, tmp_path: Path) -> None:
    # The org file was right when it loaded; the scoring file changed under it since.
    cards = (BUNDLED / "scoring.yaml").read_text().replace("  engineer:", "  engineer_v2:")
    env = {"PERFBOT_SCORING": write(tmp_path, "scoring.yaml", cards)}
    result = CliRunner().invoke(main, ["score", "--period", "2026-11", "--db", loaded], env=env)
    assert result.exit_code == 1
    assert "0 scores computed for 2026-11" in result.stdout
    assert "could not score 1 person" in result.stderr
    assert "ana@acme.example: scorecard 'engineer' is not in the scoring configuration" in (
        result.stderr
    )
    result = CliRunner().invoke(
        main, ["score", "--period", "2026-11", "--json", "--db", loaded], env=env
    )
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert rows == [
        {
            "email": "ana@acme.example",
            "period": "2026-11",
            "total": None,
            "band": None,
            "breakdown": None,
            "error": "scorecard 'engineer' is not in the scoring configuration",
        }
    ]
    code, out = run("score", "--period", "2026-11", "--json", "--db", loaded)
    assert code == 0 and [r["error"] for r in json.loads(out)] == [None]


def test_a_scorecard_measuring_an_unknown_metric_stops_every_command(
    db_url: str, tmp_path: Path
) -> None:
    cards = (BUNDLED / "scoring.yaml").read_text().replace("metric: tasks_done", "metric: tasks")
    line = next(i for i, ln in enumerate(cards.splitlines(), 1) if "metric: tasks," in ln)
    env = {"PERFBOT_SCORING": write(tmp_path, "scoring.yaml", cards)}
    for command in (["score"], ["org", "list"], ["scheduler"]):
        result = CliRunner().invoke(main, [*command, "--db", db_url], env=env)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "scoring.yaml: 1 problem, nothing was run:" in result.output
        assert (
            f"line {line}: scorecards.engineer.dimensions[0].metric: unknown metric 'tasks'"
            in result.output
        )


def test_a_bad_metric_definition_names_its_line(db_url: str, tmp_path: Path) -> None:
    sources = "sources: []\nmetrics:\n  margin:\n    agg: sum\n    colour: blue\n"
    env = {"PERFBOT_SOURCES": write(tmp_path, "sources.yaml", sources)}
    code, out = run("org", "list", "--db", db_url, env=env)
    assert code == 1 and "sources.yaml: " in out
    assert "line 5: metrics.margin.colour: extra inputs are not permitted" in out
