"""`perfbot doctor` against a healthy install and against broken ones, one fault at a time:
each fault is one named line with its fix, and any FAIL exits 1 (a deploy pipeline stops)."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from alembic import command
from click.testing import CliRunner
from sqlalchemy import select, update

from bot.cli import main
from connectors.sync import sync_all
from store.db import make_engine, session_factory
from store.models import Employee, Outbox, SchedulerLeader
from store.schema import alembic_config
from store.uow import UnitOfWork
from tests.conftest import NOW, FrozenClock
from tests.e2e.slack.fake_slack import TOKEN, FakeSlack
from tests.fakes.ports import free_port
from tests.fakes.resolver import NO_SUCH_NAME, TRY_AGAIN, FakeResolver
from tests.fakes.telegram_bot_api import FakeBotApi
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.vendor_data import ENV


@dataclass
class Install:
    db: str
    env: dict[str, str]
    tmp: Path

    def doctor(self, *more: str, **env: str) -> tuple[int, list[str]]:
        """Exit code and the output's lines."""
        result = CliRunner().invoke(
            main, ["doctor", "--db", self.db, "--timeout", "15", *more], env={**self.env, **env}
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), result
        return result.exit_code, result.output.splitlines()

    def sources(self, base_url: str, file: str = "sources.yaml") -> str:
        path = self.tmp / file
        crm = {"name": "crm", "preset": "hubspot_deals", "base_url": base_url,
               "vars": {"portal": "4242"}, "pagination": {"size": 5},
               "retry": {"max_attempts": 1}}  # fmt: skip
        path.write_text(yaml.safe_dump({"sources": [crm]}))
        return str(path)


def beat(db: str, at_minus: timedelta = timedelta(0)) -> None:
    """The scheduler's heartbeat, as a leader writes it."""
    engine = make_engine(db)
    with engine.begin() as conn:
        conn.execute(SchedulerLeader.__table__.delete())
        conn.execute(
            SchedulerLeader.__table__.insert().values(
                name="scheduler", holder="node-1:4242", since=NOW - timedelta(hours=1),
                beat_at=NOW - at_minus,
            )
        )  # fmt: skip
    engine.dispose()


@pytest.fixture
def install(demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """The demo company with a live scheduler, Slack on its fake Web API and the CRM on a
    fake vendor API: healthy, apart from warnings."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_API_URL", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL",
                 "PERFBOT_SOURCES", "PERFBOT_SCORING", "PERFBOT_AUDIT_KEY"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    beat(demo_url)
    with FakeSlack() as slack:
        vendor = FakeVendor().start()
        try:
            here = Install(demo_url, {}, tmp_path)
            here.env = {**ENV, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": slack.api_url,
                        "PERFBOT_SOURCES": here.sources(vendor.url)}  # fmt: skip
            yield here
        finally:
            vendor.stop()


def failed(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("FAIL")]


def line(lines: list[str], start: str) -> str:
    found = [x for x in lines if x[6:].startswith(start)]  # "FAIL  " or "ok    "
    assert len(found) == 1, (start, lines)
    return found[0]


def test_a_healthy_install_exits_0(install: Install) -> None:
    code, lines = install.doctor()
    assert code == 0 and not failed(lines), lines
    assert line(lines, "database:").startswith("ok")
    assert line(lines, "schema: up to date (revision ").startswith("ok")
    assert "auth.test: team" in line(lines, "slack:")
    assert line(lines, "source crm: reachable").startswith("ok")
    assert line(lines, "sync crm: last success").startswith("ok")
    assert "node-1:4242 leads" in line(lines, "scheduler:")
    assert line(lines, "outbox:").startswith("ok")
    assert lines[-1].startswith("0 failed")
    code, out = install.doctor("--json")
    report = json.loads("\n".join(out))
    assert code == 0 and report["ok"] is True
    assert {c["check"] for c in report["checks"]} >= {"database", "schema", "slack", "source:crm"}


def test_database_down_is_one_line(install: Install) -> None:
    install.db = f"postgresql://postgres@127.0.0.1:{free_port()}/perfbot"
    code, lines = install.doctor()
    assert code == 1
    (down,) = failed(lines)
    assert down.startswith("FAIL  database: postgresql+psycopg://postgres@127.0.0.1:")
    assert "unreachable" in down and "-> start the database" in down
    assert not any("Traceback" in x or "scheduler:" in x for x in lines), lines


def test_schema_behind_names_the_command(install: Install) -> None:
    engine = make_engine(install.db)
    command.downgrade(alembic_config(engine), "locale")
    engine.dispose()
    code, lines = install.doctor()
    assert code == 1
    (behind,) = failed(lines)
    assert behind == (
        "FAIL  schema: at revision locale, this perfbot needs unmatchedsaid -> perfbot db upgrade"
    )


def test_a_wrong_slack_token(install: Install) -> None:
    code, lines = install.doctor(SLACK_BOT_TOKEN="xoxb-wrong")
    assert code == 1
    (wrong,) = failed(lines)
    assert wrong.startswith("FAIL  slack: Slack rejected SLACK_BOT_TOKEN (auth.test: invalid_auth)")
    assert "-> check SLACK_BOT_TOKEN" in wrong


def test_telegram_getme_failing(install: Install) -> None:
    with FakeBotApi() as api:
        code, lines = install.doctor(TELEGRAM_BOT_TOKEN="999:wrong", TELEGRAM_API_URL=api.base_url)
        assert code == 1
        (wrong,) = failed(lines)
        assert wrong.startswith("FAIL  telegram: Telegram rejected TELEGRAM_BOT_TOKEN (getMe")
        code, lines = install.doctor(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_URL=api.base_url)
    assert code == 0 and line(lines, "telegram: the bot token works").startswith("ok")


def test_a_source_down(install: Install) -> None:
    gone = install.sources(f"http://127.0.0.1:{free_port()}")
    code, lines = install.doctor(PERFBOT_SOURCES=gone)
    assert code == 1
    (down,) = failed(lines)
    assert (
        down.startswith("FAIL  source crm: ")
        and "-> check the base_url and credentials of source crm" in down
    )


def unresolvable(
    install: Install, monkeypatch: pytest.MonkeyPatch, error: tuple[int, str]
) -> tuple[str, FakeResolver]:
    """The CRM on a host that does not exist, every name failing with `error` (no DNS)."""
    resolver = FakeResolver(*error)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return install.sources("https://crm.example.invalid"), resolver


def test_a_source_whose_host_does_not_exist_is_one_line_with_the_fix(
    install: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    where, resolver = unresolvable(install, monkeypatch, NO_SUCH_NAME)
    code, lines = install.doctor(PERFBOT_SOURCES=where)
    assert code == 1
    assert failed(lines) == [
        "FAIL  source crm: host crm.example.invalid does not exist (DNS: no such name)"
        f" -> check the base_url of source crm in {where}"
    ]
    assert resolver.lookups == {"crm.example.invalid": 1}  # not the interactive retry's two
    code, lines = install.doctor(PERFBOT_SOURCES=where, PERFBOT_LOCALE="zh_CN")
    (told,) = [x for x in lines if "crm.example.invalid" in x]  # its status word translated too
    assert "数据源 crm：主机 crm.example.invalid 不存在（DNS 查无此域名）" in told
    assert code == 1 and f"请检查 {where} 中数据源 crm 的 base_url" in told


def test_a_resolver_down_for_now_is_asked_again(
    install: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    where, resolver = unresolvable(install, monkeypatch, TRY_AGAIN)
    code, lines = install.doctor(PERFBOT_SOURCES=where)
    (down,) = failed(lines)
    assert code == 1 and "Temporary failure in name resolution" in down
    assert "-> check the base_url and credentials of source crm" in down
    assert resolver.lookups == {"crm.example.invalid": 2}  # the interactive retry's two


def test_a_source_that_never_answers_costs_the_timeout(install: Install) -> None:
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        where = install.sources(f"http://127.0.0.1:{silent.getsockname()[1]}")
        result = CliRunner().invoke(
            main, ["doctor", "--db", install.db, "--timeout", "1"],
            env={**install.env, "PERFBOT_SOURCES": where},
        )  # fmt: skip
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert "FAIL  source:crm: no answer within 1 s" in failed(lines)[0]


def test_a_stale_leader(install: Install) -> None:
    beat(install.db, at_minus=timedelta(minutes=10))
    code, lines = install.doctor()
    assert code == 1
    (stale,) = failed(lines)
    assert stale.startswith("FAIL  scheduler: leader node-1:4242 silent for 10 min")
    assert "-> start `perfbot scheduler`" in stale


def test_outbox_failures_by_platform(install: Install) -> None:
    engine = make_engine(install.db)
    rows = [("slack: channel_not_found", "f1"), ("gave up after 6 attempts: webhook: 500", "f2"),
            ("recipient no longer an active employee", "f3")]  # fmt: skip
    with engine.begin() as conn:
        for error, key in rows:
            conn.execute(
                Outbox.__table__.insert().values(
                    dedupe_key=key, kind="t", payload={"title": "x"}, status="failed",
                    attempts=6, next_attempt_at=NOW, created_at=NOW, last_error=error,
                )
            )  # fmt: skip
    code, lines = install.doctor()
    assert code == 1
    (bad,) = failed(lines)
    assert bad.startswith("FAIL  outbox: 3 failed in the last day (none 1, slack 1, webhook 1)")
    assert "-> perfbot outbox --status failed" in bad
    with engine.begin() as conn:  # failures of last week: worth a look, not a failure
        conn.execute(
            update(Outbox)
            .values(next_attempt_at=NOW - timedelta(days=7))
            .where(Outbox.status == "failed")
        )
    engine.dispose()
    code, lines = install.doctor()
    assert code == 0 and line(lines, "outbox: 3 failed earlier").startswith("warn")


def test_a_stuck_outbox(install: Install) -> None:
    engine = make_engine(install.db)
    with engine.begin() as conn:
        conn.execute(
            Outbox.__table__.insert().values(
                dedupe_key="late", kind="t", payload={"title": "x"}, status="pending",
                attempts=0, next_attempt_at=NOW - timedelta(hours=2), created_at=NOW,
            )
        )  # fmt: skip
    engine.dispose()
    code, lines = install.doctor()
    assert code == 1
    (stuck,) = failed(lines)
    assert "the oldest due 2 h ago -> is a dispatcher running" in stuck


def test_people_without_a_chat_identity_are_named(install: Install) -> None:
    code, lines = install.doctor()
    warned = line(lines, "people:")
    assert code == 0 and warned.startswith("warn  people: ")
    assert "can't be reached by chat" in warned and "-> link them" in warned


def test_a_scorecard_that_does_not_exist(install: Install) -> None:
    engine = make_engine(install.db)
    with engine.begin() as conn:
        name = conn.scalar(select(Employee.name).where(Employee.email == "ana.li@acme.example"))
        conn.execute(
            update(Employee)
            .where(Employee.email == "ana.li@acme.example")
            .values(scorecard="sales_repp")
        )
    engine.dispose()
    code, lines = install.doctor()
    assert code == 1
    (missing,) = failed(lines)
    assert missing.startswith(
        f"FAIL  scorecards: 1 people on a scorecard that doesn't exist (sales_repp): {name}"
    )


def test_bad_configuration_is_named(install: Install) -> None:
    code, lines = install.doctor(PERFBOT_METRICS_PORT="ninety")
    assert code == 1 and len(lines) == 2, lines  # nothing else can be checked without settings
    assert lines[0].startswith("FAIL  configuration: metrics_port: ")
    assert "-> correct the environment variables" in lines[0]
    broken = install.tmp / "scoring.yaml"
    broken.write_text("scorecards: [unclosed\n")
    code, lines = install.doctor(PERFBOT_SCORING=str(broken))
    assert code == 1
    (bad,) = failed(lines)
    assert bad.startswith(f"FAIL  scorecards: {broken} does not load: ")
    assert line(lines, "database:").startswith("ok")  # the rest is still checked


def test_a_sync_that_failed_after_its_last_success(install: Install) -> None:
    engine = make_engine(install.db)
    uow = UnitOfWork(session_factory(engine), FrozenClock(NOW + timedelta(minutes=1)))
    report = sync_all(
        uow=lambda: uow, sources=Path(install.sources(f"http://127.0.0.1:{free_port()}", "x.yaml")),
        environ=ENV,
    )  # fmt: skip
    engine.dispose()
    assert not report.ok
    code, lines = install.doctor()  # the source is back
    assert code == 1
    (bad,) = failed(lines)
    assert bad.startswith("FAIL  sync crm: last run failed ") and "-> perfbot sync crm" in bad
    with UnitOfWork(session_factory(make_engine(install.db)), FrozenClock()).reading() as u:
        (crm,) = [s for s in u.health.sources() if s.source == "crm"]
    assert crm.last_success_at == NOW and crm.running_since is not None  # kept through it


def test_a_source_down_in_chinese(install: Install) -> None:
    gone = install.sources(f"http://127.0.0.1:{free_port()}")
    code, lines = install.doctor(PERFBOT_SOURCES=gone, PERFBOT_LOCALE="zh_CN")
    assert code == 1
    (down,) = [x for x in lines if "数据源 crm" in x]
    assert "数据源 crm：crm：POST /crm/v3/objects/deals/search：" in down, down
    assert " 秒后放弃（尝试次数已用完）；最后一次故障：连接错误（ConnectError：" in down
    assert down.endswith("-> 请检查数据源文件中数据源 crm 的 base_url 和凭据")
    assert not re.findall(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}", down), down
