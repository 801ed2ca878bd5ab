"""The `directory:` section (a file named by PERFBOT_DIRECTORY, or sources.yaml): where
the organisation comes from and how a directory's users become perfbot people."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connectors import strings as cs
from connectors.auth import AuthConfig, NoAuthConfig
from connectors.config import (
    BaseUrl,
    ConfigError,
    RetryConfig,
    TimeoutsConfig,
    format_errors,
    read_yaml,
)
from said import Said

Role = Literal["employee", "manager", "hr", "admin"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DirectoryBranch(_Model):
    name: str
    timezone: str
    hq: bool = False
    recognition_channel: str | None = None


class DirectoryConfig(_Model):
    preset: Literal["scim"] = "scim"  # SCIM 2.0 (RFC 7643/7644), the first preset
    base_url: BaseUrl
    auth: AuthConfig = NoAuthConfig()
    users_path: str = "/Users"
    groups_path: str = "/Groups"  # read only when `roles` maps a group
    page_size: int = Field(100, ge=1, le=1000)
    # branches people may belong to (time zones live here); branches only in the database stay
    branches: list[DirectoryBranch] = []
    # attributes: a name of the enterprise extension (department, division, costCenter,
    # organization, employeeNumber) or a dotted path in the user (title, userType, ...)
    team_attribute: str | None = "department"
    branch_attribute: str | None = None
    default_branch: str | None = None  # when the user has no branch attribute
    scorecard_attribute: str | None = None
    # the id source records name people by (mapping kind external_id), e.g. employeeNumber
    # or externalId; unset, the stored one stays (an IdP's own ids would break that match)
    external_id_attribute: str | None = None
    roles: dict[str, Role] = {}  # group displayName -> role; unmapped people: by their reports
    slack_ids: bool = False  # fill Slack user ids by e-mail (users.lookupByEmail)
    slack_lookups_per_run: int = Field(500, ge=0)
    timeouts: TimeoutsConfig = TimeoutsConfig()
    retry: RetryConfig = RetryConfig()

    @property
    def name(self) -> str:
        return f"directory ({self.preset})"


def parse_directory(
    data: Any, *, environ: Mapping[str, str] | None = None, origin: str = "directory"
) -> DirectoryConfig | None:
    """The `directory:` section of parsed YAML (None when there is none), every bad key
    reported at once; with `environ`, also check the token's variable is set."""
    section = data.get("directory") if isinstance(data, dict) else None
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError([Said(cs.DIRECTORY_NOT_MAPPING)], origin=origin)
    try:
        cfg = DirectoryConfig.model_validate(section)
    except ValidationError as exc:
        raise ConfigError(format_errors(exc, section, "directory"), origin=origin) from None
    secrets = [(k, v) for k, v in cfg.auth.model_dump().items() if k.endswith("_env") and v]
    missing: list[str] = [
        Said(cs.DIRECTORY_SECRET_UNSET, key=key, env=env)
        for key, env in secrets
        if environ is not None and not environ.get(env)
    ]
    if missing:
        raise ConfigError(missing, origin=origin)
    return cfg


def directory_path(directory: Path | None, sources: Path | None) -> Path | None:
    """The file holding the `directory:` section: PERFBOT_DIRECTORY, else PERFBOT_SOURCES."""
    return directory or sources


def load_directory(
    path: Path, *, environ: Mapping[str, str] | None = None
) -> DirectoryConfig | None:
    """The directory configured in a YAML file, or None when it has no `directory:`."""
    return parse_directory(read_yaml(path), environ=environ, origin=str(path))


def has_directory(path: Path | None) -> bool:
    """Whether a file has a readable `directory:` section (a broken one: no)."""
    if path is None:
        return False
    try:
        return load_directory(path) is not None
    except ConfigError:
        return False
