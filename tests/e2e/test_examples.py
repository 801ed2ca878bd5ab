"""examples/ is a complete small company that loads and scores as it is: org, goals (each
manager confirms on their card), the sources through the presets against the demo's sample
source server on loopback, then `perfbot score` for everyone with a scorecard."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from pydantic_settings import BaseSettings
from sqlalchemy import select

from bot.bootstrap import build
from bot.cli import main
from bot.config import Settings
from bot.demo.source_server import DemoSourceServer
from bot.demo.sources import DEMO_ENV, demo_collections
from store.models import Period

EXAMPLES = Path(__file__).parents[2] / "examples"
PERIOD = "2026-12"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    scoring = {"PERFBOT_SCORING": str(EXAMPLES / "scoring.yaml")}
    result = CliRunner().invoke(main, list(args), env={**scoring, **(env or {})})
    return result.exit_code, result.output


def test_the_example_company_loads_syncs_and_scores(db_url: str, tmp_path: Path) -> None:
    org = yaml.safe_load((EXAMPLES / "org.yaml").read_text(encoding="utf-8"))
    assert yaml.safe_load((EXAMPLES / "goals.yaml").read_text(encoding="utf-8"))["period"] == PERIOD
    code, out = run("org", "load", str(EXAMPLES / "org.yaml"), "--db", db_url)
    assert code == 0 and out.startswith("created"), out
    code, out = run("goals", "load", str(EXAMPLES / "goals.yaml"), "--db", db_url)
    assert code == 0 and "proposals sent to 3 managers" in out, out

    # Each manager confirms their team's proposals on the card, as they would in chat.
    managers = {t["name"]: t["manager"] for t in org["teams"]}
    code, out = run("goals", "list", "--period", PERIOD, "--db", db_url, "--json")
    proposed = [g for g in json.loads(out) if g["level"] == "team" and g["status"] == "proposed"]
    assert len(proposed) == 8  # the billing feature too
    for goal in proposed:
        who = managers[goal["team"]]
        code, out = run(
            "console", "--as", who, "--db", db_url, "--run", f"press gl:cft:{goal['id']}"
        )
        assert code == 0 and "Not allowed" not in out, out

    # The sources as configured, pointed at the sample server instead of the real systems.
    settings = Settings(database_url=db_url, scoring=EXAMPLES / "scoring.yaml")
    rt = build(settings)
    with rt.uow() as uow:
        periods = list(uow.session.scalars(select(Period).where(Period.key == PERIOD)))
    records = demo_collections(rt.uow, periods, date(2026, 12, 31))
    with DemoSourceServer(records, DEMO_ENV) as server:
        sources = yaml.safe_load((EXAMPLES / "sources.yaml").read_text(encoding="utf-8"))
        for source in sources["sources"]:
            source["base_url"] = server.url
        config = tmp_path / "sources.yaml"
        config.write_text(yaml.safe_dump(sources), encoding="utf-8")
        env = {**DEMO_ENV, "PERFBOT_SOURCES": str(config)}
        code, out = run("sync", "--db", db_url, "--json", env=env)
    assert code == 0, out
    summary = json.loads(out)
    runs = summary["sources"] if isinstance(summary, dict) else summary
    assert {s["source"] for s in runs} == {s["name"] for s in sources["sources"]}
    for s in runs:
        assert s["fetched"] > 0 and s["rejected"] == 0 and s["unmatched"] == 0, s

    code, out = run("score", "--period", PERIOD, "--db", db_url, "--json")
    assert code == 0, out
    scored = {s["email"]: s for s in json.loads(out)}
    carded = {p["email"] for p in org["employees"] if p.get("scorecard")}
    assert set(scored) == carded and len(carded) == 8
    for email, s in scored.items():
        data = [d for d in s["breakdown"]["dimensions"] if d["kind"] == "metric"]
        assert all(d["attainment"] is not None for d in data), (email, data)
        assert float(s["total"]) > 0


def test_env_example_documents_every_setting() -> None:
    text = (EXAMPLES / ".env.example").read_text(encoding="utf-8")
    lines = text.splitlines()
    documented = {m.group(1) for line in lines if (m := re.match(r"^#? ?([A-Z][A-Z0-9_]+)=", line))}
    missing = sorted(set(_variables(Settings)) - documented)
    assert not missing, f"not in examples/.env.example: {missing}"
    # every variable (or run of them) follows a comment saying what it is
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z0-9_]+=", line):
            above = next(x for x in reversed(lines[:i]) if not re.match(r"^[A-Z0-9_]+=", x))
            assert above.startswith("# "), line


def _variables(model: type[BaseSettings]) -> list[str]:
    """The environment variable of every setting, nested groups included."""
    prefix = str(model.model_config.get("env_prefix") or "")
    found: list[str] = []
    for name, field in model.model_fields.items():
        kind: Any = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseSettings):
            found += _variables(kind)
        elif name == "database_url":
            found.append("DATABASE_URL")
        else:
            found.append((prefix + name).upper())
    return found
