"""`perfbot org sync [--dry-run]` end to end against a local SCIM server."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from tests.integration.connectors.fake_scim import TOKEN, FakeScim
from tests.integration.connectors.test_directory_sync import company, config


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"SCIM_TOKEN": TOKEN})
    return result.exit_code, result.output


def test_org_sync_dry_run_then_for_real_then_a_leaver(db_url: str, tmp_path: Path) -> None:
    with FakeScim() as scim:
        company(scim)
        path = str(config(tmp_path, scim))
        code, out = run("org", "sync", "--config", path, "--db", db_url, "--dry-run")
        assert code == 0, out
        assert out.startswith("6 directory users: would be created 10, would be updated 0")
        assert "SCIM user u6 (svc-backup): no e-mail" in out
        code, out = run("org", "list", "--db", db_url)
        assert out.strip() == "no people yet"

        code, out = run("org", "sync", "--config", path, "--db", db_url)
        assert code == 0 and out.startswith("6 directory users: created 10, updated 0")

        scim.set("u4", active=False)
        code, out = run("org", "sync", "--config", path, "--db", db_url, "--json")
        report = json.loads(out)
        assert code == 0 and report["deactivated"] == ["bo.wu@acme.example"]
        assert report["updated"] == ["employee bo.wu@acme.example"]
        code, out = run("org", "list", "--db", db_url, "--json")
        active = {p["email"]: p["active"] for p in json.loads(out)}
        assert active["bo.wu@acme.example"] is False and active["ana.li@acme.example"] is True

        scim.set("u3", manager="u42")
        code, out = run("org", "sync", "--config", path, "--db", db_url)
        assert code == 1
        assert out == (
            "directory: 1 problem, nothing synced:\n"
            "  - SCIM user u3: employee ana.li@acme.example: unknown manager 'u42'\n"
        )
        scim.fail("/Users", 404)
        code, out = run("org", "sync", "--config", path, "--db", db_url)
        assert code == 1 and out.startswith("the directory could not be read, nothing synced:")
        assert "HTTP 404" in out

    bad = tmp_path / "bad.yaml"
    bad.write_text("directory:\n  base_url: nowhere\n", encoding="utf-8")
    code, out = run("org", "sync", "--config", str(bad), "--db", db_url)
    assert code == 1
    assert out == (
        f"{bad}: 1 error, nothing synced:\n"
        "  - directory.base_url: should start with http:// or https://\n"
    )
