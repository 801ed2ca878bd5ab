"""Slack's hook for `perfbot doctor`: does the bot token work (auth.test)?"""

from __future__ import annotations

from bot.config import Settings
from bot.doctor.finding import FAIL, OK, Finding
from bot.serve import StartupError
from bot.slack import texts as strings
from bot.slack.client import make_client
from handlers.i18n import say

CHECK = "slack"
TIMEOUT = 10  # seconds per call (the client's default is 30)


async def check_credentials(settings: Settings) -> Finding | None:
    """auth.test with SLACK_BOT_TOKEN; None when Slack isn't configured."""
    from bot.slack.server import check_credentials as auth_test  # Bolt: only when asked

    s = settings.slack
    if s.bot_token is None:
        return None
    client = make_client(s.bot_token.get_secret_value(), s.api_url)
    client.timeout = TIMEOUT
    try:
        found = await auth_test(client)
    except StartupError as exc:  # the same words as `perfbot serve slack` refusing to start
        return Finding(CHECK, FAIL, f"{CHECK}: {say(exc)}", strings.DOCTOR_FIX)
    return Finding(
        CHECK, OK, strings.DOCTOR_OK.format(team=found.get("team"), user=found.get("user"))
    )
