"""Sync the organisation from the HR directory (`perfbot org sync`, the scheduler's
`directory` job): read the directory, fill Slack ids by e-mail, then load it as `org load`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import slack
from bot import strings as st
from bot.config import Settings
from bot.platform_names import CHAT_PLATFORMS
from bot.runtime import Runtime
from connectors.config import ConfigError
from connectors.directory.config import (
    DirectoryConfig,
    directory_path,
    has_directory,
    load_directory,
)
from connectors.directory.scim import DirectoryRead, ScimDirectory
from handlers.people.directory_sync import DirectorySyncReport, sync_directory
from said import Said, joined


@dataclass
class DirectoryRun:
    report: DirectorySyncReport
    read: DirectoryRead
    problems: list[str] = field(default_factory=list)  # chat lookups that stopped early


def configured(settings: Settings) -> bool:
    """Whether a directory is configured (the scheduler then runs the `directory` job): a
    PERFBOT_DIRECTORY file, even a broken one (the job then reports it), or sources.yaml's."""
    return settings.directory is not None or has_directory(settings.sources)


def directory_config(settings: Settings, environ: Mapping[str, str]) -> DirectoryConfig:
    """The checked `directory:` section; ConfigError naming every problem, or its absence."""
    path = directory_path(settings.directory, settings.sources)
    cfg = load_directory(path, environ=environ) if path is not None else None
    if cfg is None:
        where = str(path) if path else "PERFBOT_DIRECTORY"
        raise ConfigError([Said(st.DIR_NO_SECTION)], origin=where)
    return cfg


def run_directory_sync(
    rt: Runtime,
    *,
    dry_run: bool = False,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **client_options: Any,
) -> DirectoryRun:
    """Read the whole directory, then validate and apply it in one commit (none on a dry
    run). Raises ConfigError, SourceError (the directory failed after retries) or
    OrgFileError (what it holds doesn't validate): nothing is changed then."""
    environ = os.environ if environ is None else environ
    settings = rt.settings
    if config is not None:
        settings = settings.model_copy(update={"directory": config})
    cfg = directory_config(settings, environ)
    with ScimDirectory.from_config(cfg, environ, **client_options) as directory:
        read = directory.read()
    lookup = None
    if cfg.slack_ids:
        token = settings.slack.bot_token
        if token is None:
            raise ConfigError([Said(st.DIR_NO_SLACK_TOKEN)], origin="directory")
        from bot.slack.lookup import SlackEmailLookup  # the Slack SDK only when asked for

        lookup = SlackEmailLookup(
            token.get_secret_value(), settings.slack.api_url, limit=cfg.slack_lookups_per_run
        )
    report = sync_directory(
        read.people,
        uow=rt.uow,
        actor=f"directory:{cfg.preset}",
        platforms=CHAT_PLATFORMS,
        branches=[b.model_dump() for b in cfg.branches],
        roles_from_directory=bool(cfg.roles),
        chat_platform=slack.PLATFORM if lookup else None,
        chat_lookup=lookup,
        dry_run=dry_run,
    )
    return DirectoryRun(report, read, lookup.problems if lookup else [])


def summary(run: DirectoryRun) -> dict[str, Any]:
    """What a run did, for `--json` and the job ledger."""
    r, load = run.report, run.report.load
    return {
        "ok": True,
        "dry_run": r.dry_run,
        "users": run.read.users,
        "groups": run.read.groups,
        "created": load.created,
        "updated": load.updated,
        "unchanged": load.unchanged,
        "deactivated": r.deactivated,
        "reactivated": r.reactivated,
        "not_in_directory": load.not_in_file,
        "skipped": run.read.skipped,
        "chat_ids_found": r.chat_ids_found,
        "looked_up": r.looked_up,
        "problems": run.problems,
    }


def text(run: DirectoryRun) -> str:
    """One line for people (and the scheduler's log, in English), plus who was deactivated:
    a Said, which `perfbot org sync` says in the operator's language."""
    r, load = run.report, run.report.load
    dry = r.dry_run
    parts: list[str] = [
        Said(st.DIR_WOULD_CREATE if dry else st.DIR_CREATED, n=len(load.created)),
        Said(st.DIR_WOULD_UPDATE if dry else st.DIR_UPDATED, n=len(load.updated)),
        Said(st.DIR_UNCHANGED, n=load.unchanged),
    ]
    for says, who in (
        (st.DIR_WOULD_DEACTIVATE if dry else st.DIR_DEACTIVATED, r.deactivated),
        (st.DIR_WOULD_REACTIVATE if dry else st.DIR_REACTIVATED, r.reactivated),
    ):
        if who:
            parts.append(Said(says, n=len(who), who=", ".join(who)))
    if r.looked_up:
        parts.append(Said(st.DIR_SLACK_IDS, found=len(r.chat_ids_found), asked=r.looked_up))
    line = Said(st.DIR_LINE, users=run.read.users, parts=joined(", ", parts))
    notes = [*run.read.skipped, *run.problems]
    if load.not_in_file:
        notes.append(Said(st.DIR_NOT_IN, n=len(load.not_in_file)))
    return joined("\n", [line, joined("\n", notes, lead="  - ")]) if notes else line
