"""Configuration from the environment (and `.env`), one typed object with nested groups."""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from dotenv import dotenv_values
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.clock import parse_now

BUNDLED = Path(__file__).parent / "defaults"


ENV_FILE = ".env"


def _cfg(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=ENV_FILE, extra="ignore")


def export_env_file(path: str | Path = ENV_FILE) -> None:
    """Add `.env`'s variables to the process environment (a variable already set wins): the
    settings read the file themselves, but the sources' secrets (`token_env:` and the like
    in sources.yaml) are read from the environment alone."""
    for key, value in dotenv_values(path).items():
        if value is not None:
            os.environ.setdefault(key, value)


class SlackSettings(BaseSettings):
    model_config = _cfg("SLACK_")
    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None  # Socket Mode
    api_url: str | None = None  # Web API base URL (Enterprise Grid, proxies, tests)


class TelegramSettings(BaseSettings):
    model_config = _cfg("TELEGRAM_")
    bot_token: SecretStr | None = None
    api_url: str | None = None  # self-hosted Bot API server
    webhook_secret: SecretStr | None = None


FEISHU_DOMAIN = "https://open.feishu.cn"  # Feishu, in mainland China
LARK_DOMAIN = "https://open.larksuite.com"  # Lark, everywhere else


class FeishuSettings(BaseSettings):
    """FEISHU_*: a Feishu/Lark custom app (bot/feishu/)."""

    model_config = _cfg("FEISHU_")
    app_id: str | None = None
    app_secret: SecretStr | None = None
    verification_token: SecretStr | None = None  # events and card callbacks over HTTP
    encrypt_key: SecretStr | None = None  # AES-256-CBC bodies and X-Lark-Signature
    domain: str = FEISHU_DOMAIN  # or LARK_DOMAIN, or "feishu" / "lark"
    api_url: str | None = None  # overrides the domain (tests: a fake on loopback)

    def base_url(self) -> str:
        """The Open API origin: FEISHU_API_URL, else the domain (`lark` and `feishu` as words)."""
        named = {"feishu": FEISHU_DOMAIN, "lark": LARK_DOMAIN}
        chosen = self.api_url or named.get(self.domain.strip().lower(), self.domain)
        return chosen.strip().rstrip("/")


class OutboxSettings(BaseSettings):
    """PERFBOT_OUTBOX_*: how the dispatcher retries and leases rows."""

    model_config = _cfg("PERFBOT_OUTBOX_")
    max_attempts: int = Field(6, ge=1)
    lease_seconds: float = Field(120.0, gt=0)  # a dead dispatcher's rows wait this long
    backoff_seconds: float = Field(30.0, ge=0)  # first retry; doubles per attempt
    backoff_max_seconds: float = Field(3600.0, ge=0)
    poll_seconds: float = Field(2.0, gt=0)  # how often an idle dispatcher looks again
    batch: int = Field(50, ge=1)


HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"  # a time of day, HH:MM[:SS]
# A nudge threshold: above 0, at most 120 (attainment's cap), in whole cents of a percent.
Percent = Annotated[Decimal, Field(gt=0, le=120, decimal_places=2)]


class NudgeSettings(BaseSettings):
    """PERFBOT_NUDGE_*: the at-risk sweep (R8)."""

    model_config = _cfg("PERFBOT_NUDGE_")
    threshold: Percent = Decimal(80)  # percent of pace
    thresholds: dict[str, Percent] = {}  # per metric, JSON: {"sales_amount": 85}
    min_elapsed: Decimal = Field(Decimal(20), ge=0, le=100)  # percent of the period
    every_weeks: int = Field(1, ge=1)  # at most one nudge per goal per this many weeks
    employee: bool = False  # also send the employee a softer nudge
    # Business days a goal waits for a confirmation or acknowledgement, or a target change
    # for HR, before the sweep's digest reminds whoever it waits on (once).
    remind_after_days: int = Field(3, ge=1)
    at: str = Field("09:30", pattern=HHMM)  # local time of the daily sweep in each branch
    holidays: Path | None = None  # YAML: branch name (or "all") -> list of dates


class SchedulerSettings(BaseSettings):
    """PERFBOT_SCHEDULER_*: job timing and fail-over."""

    model_config = _cfg("PERFBOT_SCHEDULER_")
    misfire_grace_seconds: int = Field(6 * 3600, ge=1)  # later than this, a missed run is skipped
    sync_minutes: int = Field(30, ge=1)
    directory_minutes: int = Field(60, ge=1)  # the organisation from the HR directory
    appeal_check_minutes: int = Field(60, ge=1)
    rating_check_minutes: int = Field(60, ge=1)  # rating cards and reminders (when due)
    period_close_at: str = Field("01:30", pattern=HHMM)  # UTC
    close_after_days: int = Field(10, ge=0)  # close a period this long after it ends; 0: never
    leader_poll_seconds: float = Field(2.0, gt=0)  # how often a follower tries to take over


class WebhookSettings(BaseSettings):
    """PERFBOT_WEBHOOK_*: deliver notices as JSON to an HTTP endpoint (bot/webhook/)."""

    model_config = _cfg("PERFBOT_WEBHOOK_")
    url: str | None = None
    token: SecretStr | None = None  # sent as a bearer token
    per_second: float = Field(30.0, gt=0)
    per_target_interval: float = Field(1.0, ge=0)
    timeout: float = Field(10.0, gt=0)


class AuditSettings(BaseSettings):
    """PERFBOT_AUDIT_*: the audit chain's key and the anchors of its head (store/audit.py)."""

    model_config = _cfg("PERFBOT_AUDIT_")
    # HMAC key of the chain's links; kept out of the database, so whoever can write to it
    # cannot re-hash an edited chain. Without it links are plain SHA-256 (doctor warns).
    key: SecretStr | None = None
    # An append-only file (outside the database) the scheduler writes the chain's head to;
    # `perfbot audit verify` checks the chain against its newest line.
    anchor_file: Path | None = None
    anchor_minutes: int = Field(60, ge=1)

    def key_bytes(self) -> bytes | None:
        """The key as bytes for HMAC, or None when none is configured."""
        return self.key.get_secret_value().encode() if self.key else None


class RetentionSettings(BaseSettings):
    """PERFBOT_RETENTION_*: how long raw source records are kept (store/retention.py)."""

    model_config = _cfg("PERFBOT_RETENTION_")
    # Days after which source records (metric_fact rows and their payloads, unmatched
    # records) are deleted by the scheduler, except those of open periods; None: kept.
    fact_days: int | None = Field(None, ge=1)
    at: str = Field("02:30", pattern=HHMM)  # UTC time of the daily run


class BackupSettings(BaseSettings):
    """PERFBOT_BACKUP_*: the scheduler's daily backup (`perfbot backup`); off without a dir."""

    model_config = _cfg("PERFBOT_BACKUP_")
    dir: Path | None = None  # where the backups go (another disk or host, ideally)
    keep: int = Field(7, ge=1)  # the newest this many stay; older ones are deleted
    at: str = Field("03:00", pattern=HHMM)  # UTC time of the daily run


class Settings(BaseSettings):
    """Everything perfbot reads from the environment; defaults run the demo on SQLite."""

    model_config = _cfg("PERFBOT_")
    database_url: str = Field(
        "sqlite:///perfbot.db",
        validation_alias=AliasChoices("DATABASE_URL", "PERFBOT_DATABASE_URL", "database_url"),
    )
    scoring: Path = BUNDLED / "scoring.yaml"  # PERFBOT_SCORING
    sources: Path | None = None  # PERFBOT_SOURCES: sources.yaml
    # PERFBOT_DIRECTORY: a YAML file with a `directory:` section (else sources.yaml's)
    directory: Path | None = None
    praise_by_anyone: bool = False
    praise_daily_allowance: int = 5
    recognition_channel: str | None = None
    appeal_remind_days: int = 2
    appeal_escalate_days: int = 5
    # PERFBOT_CLOSE_MIN_COVERAGE: percent of everyone's scorecard weight that must have data
    # before a period may close (handlers/closing/preview.py)
    close_min_coverage: Decimal = Field(Decimal(80), ge=0, le=100)
    # Business days after a period closes in which its figures may still be appealed.
    appeal_window_days: int = Field(10, ge=0)
    # Business days before a period ends (today counts) to send the rating card / remind
    # managers who haven't rated everyone; 0: never.
    rating_card_days: int = Field(5, ge=0)
    rating_remind_days: int = Field(2, ge=0)
    log_level: str = "INFO"
    # PERFBOT_LOG_FORMAT: json for one JSON object per line (bot/logs.py), else text
    log_format: Literal["text", "json"] = "text"
    # PERFBOT_METRICS_PORT: the scheduler (and a server with no HTTP of its own, Telegram
    # polling) serves GET /metrics on this port; None: not served.
    metrics_port: int | None = Field(None, ge=1, le=65535)
    # PERFBOT_NOW: start the clock at this ISO time (demos, tests, replaying a month end)
    now: datetime | None = None
    slack: SlackSettings = Field(default_factory=SlackSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    feishu: FeishuSettings = Field(default_factory=FeishuSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    nudge: NudgeSettings = Field(default_factory=NudgeSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    backup: BackupSettings = Field(default_factory=BackupSettings)

    @field_validator("now", mode="before")
    @classmethod
    def _iso_now(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_now(value) if value.strip() else None
        return value
