"""deploy/: the systemd units pass `systemd-analyze verify` (and its offline security
review), and the compose file and Containerfile have the shape the README promises. No image
is built and nothing is started."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = DEPLOY / "systemd"
INSTALLED = "/opt/perfbot/.venv/bin/perfbot"  # where the units expect the install
# Each platform `perfbot serve` has (feishu is being added beside this), as template instances.
INSTANCES = ["perfbot-serve@slack.service", "perfbot-serve@telegram.service",
             "perfbot-serve@feishu.service", "perfbot-scheduler.service",
             "perfbot-migrate.service"]  # fmt: skip
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "RestrictSUIDSGID": "yes",
    "CapabilityBoundingSet": "",
    "User": "perfbot",
    "EnvironmentFile": "/etc/perfbot/perfbot.env",
    "ReadWritePaths": "/var/lib/perfbot",
}
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(
    ANALYZE is None, reason="systemd-analyze is not installed (Debian: the systemd package)"
)


def _settings(unit: Path) -> dict[str, list[str]]:
    """Every key of the unit with all its values (systemd allows a key more than once)."""
    found: dict[str, list[str]] = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.fixture
def here(tmp_path: Path) -> Path:
    """The units as installed, with ExecStart at this checkout's `perfbot` (verify checks
    that the command exists)."""
    perfbot = Path(sys.executable).parent / "perfbot"
    assert perfbot.exists(), "install the package first: bash scripts/setup.sh"
    for unit in UNITS.glob("*.service"):
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED, str(perfbot)))
    return tmp_path


def test_every_unit_is_hardened_and_reads_the_environment_file() -> None:
    units = sorted(UNITS.glob("*.service"))
    assert {u.name for u in units} == {
        "perfbot-serve@.service", "perfbot-scheduler.service", "perfbot-migrate.service"
    }  # fmt: skip
    for unit in units:
        settings = _settings(unit)
        for key, value in HARDENING.items():
            assert value in settings.get(key, []), f"{unit.name}: {key}={value}"
        assert settings["ExecStart"][0].startswith(INSTALLED + " "), unit.name
    serve = _settings(UNITS / "perfbot-serve@.service")
    assert serve["ExecStart"] == [f"{INSTALLED} serve %i $PERFBOT_SERVE_ARGS"]
    assert "perfbot-migrate.service" in serve["Requires"]
    assert _settings(UNITS / "perfbot-migrate.service")["ExecStart"] == [f"{INSTALLED} db upgrade"]


@needs_analyze
@pytest.mark.parametrize("unit", INSTANCES)
def test_systemd_analyze_verify_passes(here: Path, unit: str) -> None:
    done = subprocess.run(
        [str(ANALYZE), "verify", "--man=no", str(here / unit)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    ours = [ln for ln in (done.stdout + done.stderr).splitlines() if "perfbot" in ln]
    assert done.returncode == 0 and not ours, done.stdout + done.stderr


@needs_analyze
@pytest.mark.parametrize("unit", INSTANCES)
def test_the_offline_security_review_rates_each_unit_ok(here: Path, unit: str) -> None:
    done = subprocess.run(
        [str(ANALYZE), "security", "--offline=true", "--threshold=20", str(here / unit)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    level = re.search(r"Overall exposure level for \S+: ([\d.]+)", done.stdout)
    assert level is not None, done.stdout + done.stderr
    assert done.returncode == 0 and float(level[1]) <= 2.0, level[0]


def test_compose_runs_the_app_and_scheduler_after_migrations_on_postgresql() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "app", "scheduler"}
    db = services["db"]
    assert db["image"].startswith("postgres:") and "healthcheck" in db
    assert any(v.startswith("pgdata:") for v in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("app", "scheduler"):
        service = services[name]
        wait = service["depends_on"]
        assert wait["migrate"]["condition"] == "service_completed_successfully", name
        assert wait["db"]["condition"] == "service_healthy", name
        assert service["build"]["dockerfile"] == "deploy/Containerfile", name
        assert (DEPLOY / service["build"]["context"] / "deploy" / "Containerfile").is_file()
        url = service["environment"]["DATABASE_URL"]
        assert url.startswith("postgresql://perfbot:${POSTGRES_PASSWORD:?") and "@db:5432/" in url
        assert service["env_file"] == ["perfbot.env"] and service["restart"] == "unless-stopped"
    assert services["app"]["command"][:2] == ["serve", "slack"]
    assert "/healthz" in " ".join(services["app"]["healthcheck"]["test"])
    scheduler = services["scheduler"]
    assert scheduler["command"][0] == "scheduler"
    backups = scheduler["environment"]["PERFBOT_BACKUP_DIR"]
    assert any(v.endswith(":" + backups) for v in scheduler["volumes"])
    assert set(compose["volumes"]) == {"pgdata", "backups", "anchors"}


def test_the_containerfile_installs_the_package_and_runs_unprivileged() -> None:
    lines = [
        ln.strip()
        for ln in (DEPLOY / "Containerfile").read_text().splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    assert lines[0].startswith("FROM python:3.11-slim")
    root = DEPLOY.parent
    for ln in lines:
        if ln.startswith("COPY "):
            for src in ln.split()[1:-1]:
                assert (root / src).exists(), src
    assert any(ln.startswith("RUN pip install .") for ln in lines)
    user = [ln.split()[1] for ln in lines if ln.startswith("USER ")]
    assert user == ["perfbot"]
    assert lines[-2:] == ['ENTRYPOINT ["perfbot"]', 'CMD ["serve", "slack"]']


def test_the_example_environment_names_only_real_settings() -> None:
    from bot.config import Settings

    names = {
        ln.lstrip("# ").split("=", 1)[0]
        for ln in (DEPLOY / "perfbot.env.example").read_text().splitlines()
        if re.match(r"^#? ?[A-Z][A-Z0-9_]+=", ln)
    }
    known = {"DATABASE_URL"}
    for group_name, field in Settings.model_fields.items():
        group = field.default_factory() if field.default_factory else None  # type: ignore[call-arg]
        prefix = getattr(group, "model_config", {}).get("env_prefix") if group else None
        if prefix:
            known |= {prefix + f.upper() for f in type(group).model_fields}
        else:
            known.add("PERFBOT_" + group_name.upper())
    assert names <= known, names - known
