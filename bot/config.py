"""Configuration from the environment (and `.env`), one typed object with nested groups."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED = Path(__file__).parent / "defaults"


def _cfg(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=".env", extra="ignore")


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


class Settings(BaseSettings):
    """Everything perfbot reads from the environment; defaults run the demo on SQLite."""

    model_config = _cfg("PERFBOT_")
    database_url: str = Field(
        "sqlite:///perfbot.db",
        validation_alias=AliasChoices("DATABASE_URL", "PERFBOT_DATABASE_URL", "database_url"),
    )
    scoring: Path = BUNDLED / "scoring.yaml"  # PERFBOT_SCORING
    sources: Path | None = None  # PERFBOT_SOURCES: sources.yaml
    praise_by_anyone: bool = False
    praise_daily_allowance: int = 5
    recognition_channel: str | None = None
    appeal_remind_days: int = 2
    appeal_escalate_days: int = 5
    nudge_threshold: int = 80
    log_level: str = "INFO"
    slack: SlackSettings = Field(default_factory=SlackSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
