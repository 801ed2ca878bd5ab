"""`perfbot serve telegram` refuses to start without what it needs, saying what is missing."""

from __future__ import annotations

from click.testing import CliRunner

from bot.cli import main
from tests.fakes.telegram_bot_api import TOKEN


def serve(db_url: str, *args: str, **env: str) -> tuple[int, str]:
    clean = {"TELEGRAM_BOT_TOKEN": "", "TELEGRAM_WEBHOOK_SECRET": "", "TELEGRAM_API_URL": ""}
    result = CliRunner().invoke(
        main, ["serve", "telegram", "--db", db_url, *args], env={**clean, **env}
    )
    return result.exit_code, result.output


def test_no_token_is_refused_with_the_way_to_get_one(demo_url):
    code, out = serve(demo_url)
    assert code == 1 and "TELEGRAM_BOT_TOKEN is not set" in out and "@BotFather" in out


def test_a_webhook_needs_a_full_url_and_a_valid_secret(demo_url):
    code, out = serve(
        demo_url,
        "--webhook",
        "/just/a/path",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET="ok_secret",
    )
    assert code == 1 and "--webhook needs a full URL" in out
    code, out = serve(
        demo_url,
        "--webhook",
        "https://bot.example.com/hook",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET="has spaces!",
    )
    assert code == 1 and "TELEGRAM_WEBHOOK_SECRET must be set" in out


def test_an_unreachable_bot_api_is_reported_not_a_traceback(demo_url):
    code, out = serve(demo_url, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL="http://127.0.0.1:9")
    assert code == 1 and "can't reach the Telegram Bot API" in out and "Traceback" not in out
