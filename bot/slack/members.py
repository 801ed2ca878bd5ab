"""The Slack workspace's members for `perfbot org import slack`: users.list, paged by
cursor (Tier 2: a 429 waits its Retry-After), bots, apps and deactivated accounts left out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError

from bot import strings as bs
from bot.config import Settings
from bot.members import KnownAccount, Member, MembersError, Roster
from bot.slack import PLATFORM as PLATFORM  # the registry reads it here
from bot.slack import texts as st
from bot.slack.client import make_sync_client
from said import Said

PAGE = 200  # Slack's recommended page size for users.list
SLACKBOT = "USLACKBOT"  # Slackbot is listed without is_bot


def read_members(
    settings: Settings, *, chats: Sequence[str], known: Mapping[str, KnownAccount]
) -> Roster:
    """Every active human of the workspace with name, e-mail, title and time zone."""
    token = settings.slack.bot_token.get_secret_value() if settings.slack.bot_token else ""
    if not token:
        raise MembersError(Said(bs.SLACK_TOKEN_UNSET))
    client = make_sync_client(token, settings.slack.api_url, retries=5)
    members: list[Member] = []
    try:
        # SlackResponse iterates the pages itself, following response_metadata.next_cursor.
        for page in client.users_list(limit=PAGE):
            members += [_member(u, known) for u in page.get("members") or [] if _is_person(u)]
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc.response.status_code)
        scope = st.MEMBERS_SCOPE if error in ("missing_scope", "not_allowed_token_type") else ""
        raise MembersError(st.MEMBERS_FAILED.format(error=error) + scope) from None
    except OSError as exc:  # refused, reset, timed out after the retries
        raise MembersError(st.MEMBERS_FAILED.format(error=exc)) from None
    notes = list(st.MEMBERS_NOTES)
    if missing := sum(1 for m in members if not m.email):
        notes.append(st.MEMBERS_NO_EMAIL.format(count=missing))
    return Roster(PLATFORM, members, notes)


def _is_person(user: dict[str, Any]) -> bool:
    return not (
        user.get("deleted")
        or user.get("is_bot")
        or user.get("is_app_user")
        or user.get("id") == SLACKBOT
    )


def _member(user: dict[str, Any], known: Mapping[str, KnownAccount]) -> Member:
    profile = user.get("profile") or {}
    uid = str(user["id"])
    linked = known.get(uid)
    name = (
        profile.get("real_name")
        or user.get("real_name")
        or profile.get("display_name")
        or (linked.name if linked else None)
        or user.get("name")
        or uid
    )
    guest = user.get("is_restricted") or user.get("is_ultra_restricted")
    return Member(
        user_id=uid,
        name=str(name).strip(),
        email=profile.get("email") or (linked.email if linked else None),
        title=profile.get("title") or None,
        timezone=user.get("tz") or None,
        handle=user.get("name") or None,
        found_in=(st.MEMBERS_GUEST,) if guest else (),
    )
