"""Logging, set up in one place: text, or JSON lines (PERFBOT_LOG_FORMAT=json) carrying the
request or job id and the platform of each record, with every configured secret masked."""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, SecretStr
from sqlalchemy.engine import make_url

from bot.clock import clock_for
from bot.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "[redacted]"
OURS = "_perfbot"  # marks the handler this module installed, so a second call reuses it
# Environment variables holding secrets whatever reads them (sources' `*_env`, ingest keys).
SECRET_ENV = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|_KEY)$|SECRET_", re.I)
MIN_SECRET = 6  # shorter values would mask ordinary words

request_id: ContextVar[str | None] = ContextVar("perfbot_request_id", default=None)
job_id: ContextVar[str | None] = ContextVar("perfbot_job_id", default=None)
platform: ContextVar[str | None] = ContextVar("perfbot_platform", default=None)


def new_id() -> str:
    """A short random id for one request."""
    return uuid.uuid4().hex[:16]


@contextmanager
def bound(
    *, request: str | None = None, job: str | None = None, on: str | None = None
) -> Iterator[None]:
    """Tag every record logged inside (and in tasks and threads started with its context)."""
    tokens = [
        (var, var.set(value))
        for var, value in ((request_id, request), (job_id, job), (platform, on))
        if value is not None
    ]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class ContextFilter(logging.Filter):
    """Copies the request id, job id and platform of the current context onto the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.job_id = job_id.get()
        record.platform = platform.get()
        return True


class Redact(logging.Filter):
    """Masks each secret in the message and the traceback before any formatter sees them."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so a secret containing another is masked whole.
        self.secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.mask(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id or job_id,
    platform (and the traceback, when there is one)."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.clock = clock

    def format(self, record: logging.LogRecord) -> str:
        at = self.clock() if self.clock else datetime.fromtimestamp(record.created, UTC)
        out: dict[str, Any] = {
            "time": at.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "job_id", "platform"):  # always there, null outside one
            out[key] = getattr(record, key, None)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exception"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, default=str)


def secrets_of(settings: Settings, environ: Mapping[str, str]) -> set[str]:
    """Every secret perfbot is configured with: the settings' SecretStr values, the
    database password, and environment variables named like secrets."""
    found = set(_secret_values(settings))
    try:
        password = make_url(settings.database_url).password
    except Exception:  # a bad URL is reported by the command; nothing to mask here
        password = None
    if password:
        found.add(str(password))
    found |= {v for k, v in environ.items() if SECRET_ENV.search(k) and v}
    return found


def _secret_values(model: BaseModel) -> Iterator[str]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            yield value.get_secret_value()
        elif isinstance(value, BaseModel):
            yield from _secret_values(value)


def configure(settings: Settings) -> None:
    """Set up the process's logging from PERFBOT_LOG_LEVEL and PERFBOT_LOG_FORMAT, once:
    a later call updates the same handler. Where something else already handles the root
    logger (pytest, an application embedding perfbot), its output is left as it is."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, OURS, False)), None)
    if handler is None:
        if root.handlers:
            return
        handler = logging.StreamHandler()
        setattr(handler, OURS, True)
        root.addHandler(handler)
    handler.filters = [ContextFilter(), Redact(secrets_of(settings, os.environ))]
    # Times from perfbot's clock when PERFBOT_NOW moves it (logs then match the data).
    clock = clock_for(settings.now) if settings.now else None
    json_lines = settings.log_format == "json"
    handler.setFormatter(JsonFormatter(clock) if json_lines else logging.Formatter(TEXT_FORMAT))
    root.setLevel(settings.log_level.upper())
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # httpx logs every request's URL at INFO: Telegram's URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
