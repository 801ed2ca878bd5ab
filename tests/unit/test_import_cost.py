"""`perfbot` starts without the chat SDKs: each loads when its platform is used (issue 18).

Lark's package imports its whole Open API (about two seconds); Slack's and Telegram's a few
hundred milliseconds more. Every command paid them on start-up when the platform
registry imported each platform's deliverer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.member_readers import READERS
from bot.platforms import CREDENTIAL_CHECKS, PLATFORMS, build_deliverers

SDKS = ("lark_oapi", "slack_sdk", "slack_bolt", "telegram")
PLATFORM_SETTINGS = ("SLACK_", "TELEGRAM_", "FEISHU_")


def loaded_after(code: str, cwd: Path) -> list[str]:
    """The chat SDKs in sys.modules once `code` ran in a fresh interpreter (in `cwd`, away
    from any `.env` configuring a platform)."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {k: v for k, v in os.environ.items() if not k.startswith(PLATFORM_SETTINGS)}
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
        cwd=cwd,
    ).stdout
    modules = json.loads(out.splitlines()[-1])
    return [sdk for sdk in SDKS if sdk in modules]


def test_importing_the_cli_loads_no_chat_sdk(tmp_path: Path):
    assert loaded_after("import bot.cli", tmp_path) == []


def test_an_unconfigured_feishu_loads_no_lark_sdk(tmp_path: Path):
    # `perfbot serve slack` builds every configured deliverer: Feishu's says None unloaded.
    code = (
        "from bot.config import Settings\n"
        "from bot.platforms import build_deliverers\n"
        "build_deliverers(Settings(_env_file=None), lambda: None)\n"
    )
    assert "lark_oapi" not in loaded_after(code, tmp_path)


def test_the_registries_still_name_every_platform():
    assert list(PLATFORMS) == ["slack", "telegram", "feishu", "webhook"]
    assert list(CREDENTIAL_CHECKS) == ["slack", "telegram", "feishu"]
    assert sorted(READERS) == ["feishu", "slack", "telegram"]
    assert [p.PLATFORM for p in PLATFORMS.values()] == list(PLATFORMS)


def test_deferred_platforms_still_make_their_deliverers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in [k for k in os.environ if k.startswith(PLATFORM_SETTINGS)]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("FEISHU_APP_ID", "cli_a1")
    monkeypatch.setenv("FEISHU_APP_SECRET", "s3cret")
    found = build_deliverers(Settings(_env_file=None), lambda: None)  # type: ignore[arg-type,return-value]
    assert [d.platform for d in found] == ["telegram", "feishu"]
