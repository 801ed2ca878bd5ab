"""The Slack app manifest declares every command, the scopes the code's API calls need, the
event and the interactivity URL."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.slack.server import EVENTS_PATH
from handlers.commands import COMMAND_NAMES

SLACK = Path(__file__).parents[2] / "bot" / "slack"
MANIFEST = yaml.safe_load((SLACK / "manifest.yaml").read_text(encoding="utf-8"))
# Web API method (as slack_sdk names it) -> the bot scope it needs (None: no scope).
SCOPE = {
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "conversations_open": "im:write",
    "conversations_history": "im:history",
    "users_info": "users:read",
    "users_list": "users:read",  # perfbot org import slack
    "users_lookupByEmail": "users:read.email",
    "files_upload_v2": "files:write",
    "views_open": None,
    "views_push": None,
    "views_publish": None,
    "auth_test": None,
    "apps_connections_open": None,  # Socket Mode: the app-level token's connections:write
}


def test_every_command_is_a_slash_command_and_so_is_perf():
    commands = {c["command"]: c for c in MANIFEST["features"]["slash_commands"]}
    assert set(commands) == {"/perf", *(f"/{name}" for name in COMMAND_NAMES)}
    for c in commands.values():
        assert c["url"].endswith(EVENTS_PATH) and c["should_escape"] is True
        assert len(c["description"]) <= 100


def test_events_and_interactivity_point_at_the_app():
    settings = MANIFEST["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert settings["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith(EVENTS_PATH)
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True


def test_the_scopes_cover_every_web_api_call_in_the_code():
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    code = "\n".join(p.read_text(encoding="utf-8") for p in SLACK.glob("*.py"))
    used = set(re.findall(r"client\.([a-z]+_[A-Za-z0-9_]+)\(", code))
    used -= {"send_socket_mode_response"}  # the Socket Mode client's ack, no Web API method
    assert used, "no Web API calls found"
    unknown = used - set(SCOPE)
    assert not unknown, f"add these methods' scopes to SCOPE and the manifest: {unknown}"
    needed = {SCOPE[m] for m in used if SCOPE[m]} | {"commands"}
    assert needed <= scopes, needed - scopes
