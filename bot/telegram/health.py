"""Telegram's hook for `perfbot doctor`: does the bot token work (getMe)?"""

from __future__ import annotations

from telegram.error import InvalidToken, TelegramError

from bot.config import Settings
from bot.doctor.finding import FAIL, OK, Finding
from bot.telegram import texts as strings
from bot.telegram.build import make_bot

CHECK = "telegram"


async def check_credentials(settings: Settings) -> Finding | None:
    """getMe with TELEGRAM_BOT_TOKEN; None when Telegram isn't configured."""
    if settings.telegram.bot_token is None:
        return None
    bot = make_bot(settings.telegram)
    try:
        async with bot:  # initialize() asks getMe; leaving closes the HTTP client
            username = bot.username
    except InvalidToken:
        return Finding(CHECK, FAIL, f"{CHECK}: {strings.TOKEN_REJECTED}", strings.DOCTOR_FIX)
    except TelegramError as exc:
        what = f"{CHECK}: {strings.UNREACHABLE.format(error=exc)}"
        return Finding(CHECK, FAIL, what, strings.DOCTOR_FIX)
    return Finding(CHECK, OK, strings.DOCTOR_OK.format(username=username))
