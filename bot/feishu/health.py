"""Feishu's hook for `perfbot doctor`: do the app's credentials get a tenant token?"""

from __future__ import annotations

from bot.config import Settings
from bot.doctor.finding import FAIL, OK, Finding
from bot.feishu import PLATFORM
from bot.feishu import texts as strings
from bot.feishu.errors import ConfigError, FeishuError
from handlers.i18n import say

TIMEOUT = 10  # seconds, as the other platforms' checks


async def check_credentials(settings: Settings) -> Finding | None:
    """A tenant_access_token with FEISHU_APP_ID/SECRET; None when Feishu isn't configured."""
    s = settings.feishu
    if s.app_id is None or s.app_secret is None:
        return None
    from bot.feishu.api import FeishuApi  # the SDK only when configured

    try:
        api = FeishuApi(s)
    except ConfigError as exc:
        return Finding(PLATFORM, FAIL, f"{PLATFORM}: {say(exc)}", strings.DOCTOR_FIX)
    try:
        await api.check()
    except FeishuError as exc:
        what = strings.DOCTOR_FAILED.format(base=api.base_url, code=exc.code, msg=exc.msg)
        return Finding(PLATFORM, FAIL, what, strings.DOCTOR_FIX)
    finally:
        await api.close()
    return Finding(PLATFORM, OK, strings.DOCTOR_OK.format(base=api.base_url))
