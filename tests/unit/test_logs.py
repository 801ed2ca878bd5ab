"""bot/logs.py: JSON lines with the request or job id and the platform; secrets masked in
messages and tracebacks; one handler however often logging is set up."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from bot import logs
from bot.config import Settings, SlackSettings

TOKEN = "xoxb-1234-abcdefghijkl"


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """A handler set up as configure() sets up its own, on a logger of the test's."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.filters = [logs.ContextFilter(), logs.Redact([TOKEN, "hunter2-db-pw"])]
    handler.setFormatter(logs.JsonFormatter(lambda: datetime(2026, 11, 20, 2, 0, tzinfo=UTC)))
    logger = logging.getLogger("perfbot.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield out
    logger.removeHandler(handler)


def records(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_json_object_per_record_with_its_context(lines: io.StringIO) -> None:
    log = logging.getLogger("perfbot.test")
    log.info("outside")
    with logs.bound(request="r-1", on="slack"):
        log.warning("inside %s", "a request")
    with logs.bound(job="score"):
        log.info("in a job")
    first, second, third = records(lines)
    assert first == {
        "time": "2026-11-20T02:00:00.000+00:00",
        "level": "INFO",
        "logger": "perfbot.test",
        "message": "outside",
        "request_id": None,
        "job_id": None,
        "platform": None,
    }
    assert (second["request_id"], second["platform"], second["message"]) == (
        "r-1",
        "slack",
        "inside a request",
    )
    assert (third["job_id"], third["request_id"]) == ("score", None)


def test_the_id_follows_tasks_and_threads(lines: io.StringIO) -> None:
    log = logging.getLogger("perfbot.test")

    async def request() -> None:
        with logs.bound(request="r-2"):
            await asyncio.create_task(asyncio.sleep(0))
            await asyncio.to_thread(log.info, "from a thread")

    asyncio.run(request())
    assert records(lines)[0]["request_id"] == "r-2"


def test_secrets_are_masked_in_messages_and_tracebacks(lines: io.StringIO) -> None:
    log = logging.getLogger("perfbot.test")
    log.info("GET https://api.example/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"connect as perfbot:hunter2-db-pw failed ({TOKEN})")
    except RuntimeError:
        log.exception("boom")
    text = lines.getvalue()
    assert TOKEN not in text and "hunter2-db-pw" not in text
    got = records(lines)
    assert got[0]["message"] == "GET https://api.example/bot[redacted]/getMe"
    assert "RuntimeError: connect as perfbot:[redacted] failed ([redacted])" in str(
        got[1]["exception"]
    )


def test_secrets_come_from_settings_the_database_url_and_secret_variables() -> None:
    settings = Settings(
        database_url="postgresql://perfbot:pg-pass-99@db:5432/perfbot",
        slack=SlackSettings(bot_token=SecretStr(TOKEN), signing_secret=SecretStr("sign-me-1")),
    )
    env = {"CRM_API_KEY": "crm-key-7", "PERFBOT_INGEST_SECRET_ERP": "erp-secret", "HOME": "/root"}
    found = logs.secrets_of(settings, env)
    assert {TOKEN, "sign-me-1", "pg-pass-99", "crm-key-7", "erp-secret"} <= found
    assert "/root" not in found


@pytest.fixture
def bare_root() -> Iterator[logging.Logger]:
    """The root logger, restored afterwards (each test empties it itself: pytest adds its
    capturing handlers after the fixtures are set up)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    root.handlers = handlers
    root.setLevel(level)  # setLevel, not the attribute: it clears the loggers' level caches


def test_configure_installs_one_handler_and_reuses_it(bare_root: logging.Logger) -> None:
    bare_root.handlers = []  # a fresh process: nobody handles the root logger yet
    logs.configure(Settings(log_format="json"))
    logs.configure(Settings(log_format="text", log_level="WARNING"))
    ours = [h for h in bare_root.handlers if getattr(h, logs.OURS, False)]
    assert len(ours) == 1 and not isinstance(ours[0].formatter, logs.JsonFormatter)
    assert bare_root.level == logging.WARNING


def test_configure_leaves_someone_elses_output_alone(bare_root: logging.Logger) -> None:
    theirs = logging.NullHandler()
    bare_root.handlers = [theirs]
    logs.configure(Settings(log_format="json"))
    assert bare_root.handlers == [theirs]
