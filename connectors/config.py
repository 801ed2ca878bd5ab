"""sources.yaml: pydantic models for each source, loaded with every error reported at once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from connectors import strings as cs
from connectors.auth import AuthConfig, NoAuthConfig
from connectors.mapping import PLACEHOLDER, MappingConfig, TimeFormat, normalise_mapping
from connectors.os_errors import os_reason
from connectors.paging import PaginationConfig
from connectors.presets import load_preset, preset_names
from connectors.validation import message
from said import Said, joined


def _http_base(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(Said(cs.NOT_HTTP))
    return value.rstrip("/")


BaseUrl = Annotated[str, AfterValidator(_http_base)]
"""An HTTP(S) base URL, without its trailing slash (sources and the directory)."""


class ConfigError(Exception):
    """Every problem found in a configuration file, each prefixed with the path of its key."""

    def __init__(self, errors: list[str], *, origin: str = "configuration") -> None:
        self.errors = errors
        n = len(errors)
        many = Said(cs.ONE_ERROR if n == 1 else cs.ERRORS, n=n)
        lines = joined("\n", errors, lead="  ")
        super().__init__(Said(cs.CONFIG_ERRORS, origin=origin, errors=many, lines=lines))


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
    )


# --- one source -----------------------------------------------------------------------------
class Endpoint(_Model):
    method: Literal["GET", "POST"] = "GET"
    path: str
    query: dict[str, Any] = {}
    body: dict[str, Any] | None = None


class FetchOne(_Model):
    method: Literal["GET"] = "GET"
    path: str
    query: dict[str, Any] = {}
    records_path: str = ""


class Incremental(_Model):
    field: str
    format: TimeFormat = "iso"
    initial: datetime = datetime(1970, 1, 1, tzinfo=UTC)
    lookback_seconds: int = Field(0, ge=0)

    @field_validator("initial")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class TimeoutsConfig(_Model):
    connect: float = Field(5.0, gt=0)
    read: float = Field(30.0, gt=0)


class RetryConfig(_Model):
    max_attempts: int = Field(6, ge=1, le=50)
    base_delay: float = Field(0.5, ge=0)
    max_delay: float = Field(30.0, ge=0)
    max_total_seconds: float = Field(120.0, gt=0)


class SourceConfig(_Model):
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    preset: str | None = None
    base_url: BaseUrl
    auth: AuthConfig = NoAuthConfig()
    endpoint: Endpoint
    pagination: PaginationConfig
    records_path: str = ""
    mapping: MappingConfig
    incremental: Incremental | None = None
    fetch_one: FetchOne | None = None
    vars: dict[str, str] = {}
    timezone: str = "UTC"
    timeouts: TimeoutsConfig = TimeoutsConfig()
    retry: RetryConfig = RetryConfig()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(Said(cs.UNKNOWN_TIME_ZONE, value=value)) from None
        return value


# --- loading --------------------------------------------------------------------------------
def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Preset defaults overridden key by key; lists and differently-typed blocks are replaced."""
    out = dict(base)
    for key, value in override.items():
        old = out.get(key)
        if (
            isinstance(old, dict)
            and isinstance(value, dict)
            and old.get("type") == value.get("type", old.get("type"))
        ):
            out[key] = deep_merge(old, value)
        else:
            out[key] = value
    return out


def format_errors(exc: ValidationError, data: Any, prefix: str) -> list[str]:
    """pydantic errors as "prefix.key[1].sub: message", one line per bad key."""
    found: dict[str, list[str]] = {}
    for err in exc.errors(include_url=False):
        path, node, loc = prefix, data, err["loc"]
        for i, part in enumerate(loc):
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                path, node = f"{path}[{part}]", node[part]
            elif isinstance(node, dict) and part in node:
                path, node = f"{path}.{part}", node[part]
            elif i == len(loc) - 1 and err["type"] == "missing":
                path = f"{path}.{part}"
            # anything else is a union branch pydantic names in the location, not a key
        found.setdefault(path, []).append(message(err))
    return [
        Said(cs.AT_KEY, path=path, message=joined("; ", list(dict.fromkeys(msgs))))
        for path, msgs in found.items()
    ]


def _cross_check(cfg: SourceConfig, where: str) -> list[str]:
    errors: list[str] = []
    known = set(cfg.vars) | {"base_url"} | ({"since"} if cfg.incremental else set())
    checks = [("endpoint", cfg.endpoint.model_dump(), known)]
    if cfg.fetch_one:
        checks.append(("fetch_one", cfg.fetch_one.model_dump(), set(cfg.vars) | {"base_url", "id"}))
    for key, template, allowed in checks:
        used = template_names(template)
        for name in sorted(used - allowed):
            hint = Said(cs.SET_INCREMENTAL if name == "since" else cs.DEFINE_UNDER_VARS)
            errors.append(Said(cs.UNKNOWN_PLACEHOLDER, where=where, key=key, name=name, hint=hint))
    if cfg.pagination.location == "body" and cfg.endpoint.method != "POST":
        errors.append(Said(cs.BODY_PAGING, where=where))
    return errors


def template_names(template: Any) -> set[str]:
    """Placeholder names used anywhere in a template (strings nested in dicts and lists)."""
    if isinstance(template, str):
        return set(PLACEHOLDER.findall(template))
    if isinstance(template, dict):
        template = list(template.values())
    if isinstance(template, list):
        return set().union(*(template_names(t) for t in template))
    return set()


def env_names(cfg: SourceConfig) -> list[tuple[str, str]]:
    """(key, environment variable) pairs of the secrets this source reads."""
    fields = cfg.auth.model_dump()
    return [(k, v) for k, v in fields.items() if k.endswith("_env") and v is not None]


def parse_sources(
    data: Any, *, environ: Mapping[str, str] | None = None, origin: str = "sources"
) -> list[SourceConfig]:
    """Validate parsed YAML; with `environ`, also check that every secret's variable is set."""
    errors: list[str] = []
    entries = data.get("sources") if isinstance(data, dict) else data
    if isinstance(data, dict):
        top = ("sources", "metrics", "directory")  # directory: connectors/directory/config.py
        errors += [Said(cs.UNKNOWN_TOP_KEY, key=k) for k in data if k not in top]
    if not isinstance(entries, list):
        raise ConfigError([*errors, Said(cs.NOT_A_SOURCE_LIST)], origin=origin)
    configs, seen = [], set()
    for i, entry in enumerate(entries):
        where = f"sources[{i}]"
        if not isinstance(entry, dict):
            errors.append(Said(cs.NOT_A_MAPPING, where=where))
            continue
        merged = normalise_mapping_in(entry)
        if "preset" in entry:
            if entry["preset"] not in preset_names():
                known = ", ".join(preset_names())
                preset = entry["preset"]
                errors.append(Said(cs.UNKNOWN_PRESET, where=where, preset=preset, known=known))
                continue
            merged = deep_merge(normalise_mapping_in(load_preset(entry["preset"])), merged)
        try:
            cfg = SourceConfig.model_validate(merged)
        except ValidationError as exc:
            errors += format_errors(exc, merged, where)
            continue
        errors += _cross_check(cfg, where)
        if cfg.name in seen:
            errors.append(Said(cs.DUPLICATE_SOURCE, where=where, name=cfg.name))
        seen.add(cfg.name)
        for key, env in env_names(cfg):
            if environ is not None and not environ.get(env):
                errors.append(Said(cs.SECRET_UNSET, where=where, key=key, env=env))
        configs.append(cfg)
    if errors:
        raise ConfigError(errors, origin=origin)
    return configs


def normalise_mapping_in(entry: dict[str, Any]) -> dict[str, Any]:
    """A copy of a source entry with its mapping shorthand expanded (so presets merge cleanly)."""
    if isinstance(entry.get("mapping"), dict):
        return {**entry, "mapping": normalise_mapping(entry["mapping"])}
    return dict(entry)


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file, turning I/O and syntax problems into a ConfigError."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError([Said(cs.CANNOT_READ, error=os_reason(exc))], origin=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Said(cs.LINE_AT, n=mark.line + 1) if mark else ""
        error = Said(cs.INVALID_YAML, where=where, error=str(exc))
        raise ConfigError([error], origin=str(path)) from None


def load_sources(
    path: str | Path, *, environ: Mapping[str, str] | None = None
) -> list[SourceConfig]:
    """Load and validate sources.yaml; raises one ConfigError listing every bad key."""
    return parse_sources(read_yaml(path), environ=environ, origin=str(path))


def sources_path(cli_value: str | None, environ: Mapping[str, str]) -> Path:
    """Where sources.yaml is: --config, else $PERFBOT_SOURCES, else ./sources.yaml."""
    return Path(cli_value or environ.get("PERFBOT_SOURCES") or "sources.yaml")
