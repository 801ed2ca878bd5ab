"""Can perfbot reach what it talks to: each chat platform with its token, each source with
its credentials (one cheap request each)?"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path

from bot.cli import texts as st
from bot.config import Settings
from bot.doctor.finding import FAIL, OK, WARN, Finding
from bot.doctor.run import Check, first_line
from bot.platforms import CREDENTIAL_CHECKS
from connectors.config import SourceConfig
from connectors.http import UnknownHost
from connectors.probe import probe


def chat_checks(settings: Settings) -> list[tuple[str, Check]]:
    """One check per platform that has a credential hook (bot/platforms.py)."""
    return [(name, _chat(settings, name)) for name in CREDENTIAL_CHECKS]


def _chat(settings: Settings, name: str) -> Check:
    def check() -> Sequence[Finding]:
        found = asyncio.run(CREDENTIAL_CHECKS[name](settings))
        return [] if found is None else [found]

    return check


def no_chat(findings: Sequence[Finding]) -> list[Finding]:
    """A warning when no platform answered at all: then nobody gets a notice."""
    if any(f.check in CREDENTIAL_CHECKS for f in findings):
        return []
    return [Finding("chat", WARN, st.DOCTOR_NO_CHAT, st.DOCTOR_NO_CHAT_FIX)]


def source_check(config: SourceConfig, path: Path) -> Check:
    """The first page of the source's records, through connectors' HTTP client; `path` is
    the sources file, named in the fix when the source's host does not exist."""
    name = config.name

    def check() -> Sequence[Finding]:
        try:
            records = probe(config, os.environ)
        except UnknownHost as exc:  # a wrong URL: what to correct, not "is it reachable?"
            host, setting = exc.unresolved.host, exc.unresolved.setting
            what = st.DOCTOR_SOURCE_NO_HOST.format(name=name, host=host)
            fix = st.DOCTOR_SOURCE_NO_HOST_FIX.format(setting=setting, name=name, path=path)
            return [Finding(f"source:{name}", FAIL, what, fix)]
        except Exception as exc:  # a status, a refused connection, a token endpoint: the same
            what = st.DOCTOR_SOURCE_DOWN.format(name=name, error=first_line(exc))
            return [Finding(f"source:{name}", FAIL, what, st.DOCTOR_SOURCE_FIX.format(name=name))]
        what = st.DOCTOR_SOURCE_OK.format(name=name, records=records)
        return [Finding(f"source:{name}", OK, what)]

    return check
