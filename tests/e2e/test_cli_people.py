"""Leavers from the operator's command line, on the demo company: `people deactivate`,
`reactivate`, and `org load --deactivate-missing` (listed first, `--dry-run`)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from store.db import make_engine
from tests.e2e.test_cli import run, seeded  # noqa: F401  (the fixture)

ONLY_WANG = """
branches:
  - {name: Shanghai HQ, timezone: Asia/Shanghai, hq: true}
teams:
  - {name: Leadership, branch: Shanghai HQ, manager: wang.jun@acme.example}
employees:
  - {email: wang.jun@acme.example, name: Wang Jun, team: Leadership, role: admin}
  - {email: zhao.min@acme.example, name: Zhao Min, team: Leadership, role: hr,
     manager: wang.jun@acme.example}
"""


def active(db: str) -> int:
    with make_engine(db).connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM employee WHERE active")).scalar())


def test_a_leaver_is_refused_and_her_appeal_goes_to_the_manager_above(seeded):  # noqa: F811
    code, out = run("people", "deactivate", "chen.jing@acme.example", "--db", seeded)
    assert code == 0 and "to li.wei@acme.example: appeal #1, team Sales East" in out, out
    code, out = run("console", "--db", seeded, "--as", "chen.jing@acme.example", "--run", "/help")
    assert code != 0 and "no active employee" in out
    code, out = run("people", "deactivate", "chen.jing@acme.example", "--json", "--db", seeded)
    assert json.loads(out)["already_inactive"] == ["chen.jing@acme.example"]
    code, out = run("people", "reactivate", "chen.jing@acme.example", "--db", seeded)
    assert code == 0 and out.startswith("reactivated 1")
    assert run("audit", "verify", "--db", seeded)[0] == 0


def test_unknown_people_change_nothing(seeded):  # noqa: F811
    before = active(seeded)
    code, out = run(
        "people", "deactivate", "ana.li@acme.example", "x@nowhere.example", "--db", seeded
    )
    assert code != 0 and "no such employee: x@nowhere.example" in out
    assert active(seeded) == before


def test_deactivate_missing_lists_first_and_dry_run_changes_nothing(seeded, tmp_path: Path):  # noqa: F811
    org = tmp_path / "org.yaml"
    org.write_text(ONLY_WANG, encoding="utf-8")
    before = active(seeded)
    code, out = run("org", "load", str(org), "--deactivate-missing", "--dry-run", "--db", seeded)
    assert code == 0 and out.startswith(f"would deactivate {before - 2}: "), out
    assert "ana.li@acme.example" in out.splitlines()[0] and "dry run" in out
    assert active(seeded) == before
    code, out = run("org", "load", str(org), "--deactivate-missing", "--json", "--db", seeded)
    data = json.loads(out)
    assert code == 0 and len(data["deactivated"]) == before - 2
    assert data["handed_over"], "the leavers' open items went somewhere"
    assert active(seeded) == 2
    assert run("audit", "verify", "--db", seeded)[0] == 0
