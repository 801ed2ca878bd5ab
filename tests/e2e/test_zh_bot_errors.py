"""Issue 17, bot/: what perfbot's own runtime says to an operator — the doctor's chat and
holiday lines, bad settings, `perfbot serve` refusing to start, an unknown console user —
reaches a Chinese operator in Chinese, and English stays word for word."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e import test_doctor, test_zh_errors
from tests.e2e.test_doctor import Install
from tests.e2e.test_zh_errors import english_sentences as sentences
from tests.e2e.test_zh_errors import run
from tests.fakes.telegram_bot_api import FakeBotApi

install, db = test_doctor.install, test_zh_errors.db  # the fixtures of those tests
COMMAND = re.compile(r"perfbot(?: [a-z]+)+")  # a command to type is no sentence


def english_sentences(out: str) -> list[str]:
    return sentences(COMMAND.sub("perfbot", out))


def about(lines: list[str], check: str) -> str:
    """The one line of a check (`slack`, `holidays`), whatever its status's word."""
    found = [x for x in lines if x.split(None, 1)[1].lower().startswith(check)]
    assert len(found) == 1, (check, lines)
    return found[0]


HOLIDAYS = "Berlin: [2026-02-30, 2026-10-03]\nShanghai: 2026-10-01\n"


def test_a_wrong_slack_token_is_told_in_chinese(install: Install) -> None:
    code, lines = install.doctor(SLACK_BOT_TOKEN="xoxb-wrong", PERFBOT_LOCALE="zh_CN")
    assert code == 1
    wrong = about(lines, "slack")
    assert wrong.startswith(
        "失败    slack: Slack 拒绝了 SLACK_BOT_TOKEN（auth.test：invalid_auth）"
    )
    assert not english_sentences(wrong), wrong


def test_telegram_lines_are_chinese(install: Install) -> None:
    with FakeBotApi() as api:
        env = {"TELEGRAM_API_URL": api.base_url, "PERFBOT_LOCALE": "zh_CN"}
        code, lines = install.doctor(TELEGRAM_BOT_TOKEN="999:wrong", **env)
        assert code == 1
        wrong = about(lines, "telegram")
        code, lines = install.doctor(TELEGRAM_BOT_TOKEN=api.token, **env)
    ok = about(lines, "telegram")
    assert code == 0 and not ok.startswith("失败"), lines
    for said in (wrong, ok):
        assert not english_sentences(said), said


def test_a_bad_holiday_file(install: Install) -> None:
    path = install.tmp / "holidays.yaml"
    path.write_text(HOLIDAYS)
    code, lines = install.doctor(PERFBOT_NUDGE_HOLIDAYS=str(path))
    en = about(lines, "holidays")
    assert (
        f"{path}: Berlin: entry 1 ('2026-02-30') is not a date (YYYY-MM-DD); "
        "Shanghai: expected a list of dates"
    ) in en
    code, lines = install.doctor(PERFBOT_NUDGE_HOLIDAYS=str(path), PERFBOT_LOCALE="zh_CN")
    zh = about(lines, "节假日")
    said = f"{path}：Berlin：第 1 项（'2026-02-30'）不是日期（YYYY-MM-DD）；Shanghai：应为日期列表"
    assert code == 1 and said in zh, zh
    assert not english_sentences(zh), zh


def test_bad_settings_are_told_in_chinese(install: Install, db: str) -> None:
    code, lines = install.doctor(PERFBOT_METRICS_PORT="ninety")
    assert lines[0].startswith(
        "FAIL  configuration: metrics_port: input should be a valid integer, "
        "unable to parse string as an integer"
    )
    code, lines = install.doctor(PERFBOT_METRICS_PORT="ninety", PERFBOT_LOCALE="zh_CN")
    assert code == 1 and "metrics_port：应为有效的整数：无法把该字符串解析为整数" in lines[0]
    assert not english_sentences(lines[0]), lines[0]
    code, zh = run("zh_CN", "outbox", "--db", db, env={"PERFBOT_OUTBOX_MAX_ATTEMPTS": "0"})
    assert code == 1 and "max_attempts：应大于或等于 1" in zh and not english_sentences(zh), zh
    code, en = run("en", "outbox", "--db", db, env={"PERFBOT_OUTBOX_MAX_ATTEMPTS": "0"})
    assert "max_attempts: input should be greater than or equal to 1" in en


def test_serve_slack_without_a_token_refuses_in_chinese(db: str) -> None:
    env = {"SLACK_SIGNING_SECRET": "s"}
    code, en = run("en", "serve", "slack", "--db", db, env=env)
    assert code == 1 and "SLACK_BOT_TOKEN is not set: see the README's Slack section" in en, en
    code, zh = run("zh_CN", "serve", "slack", "--db", db, env=env)
    assert code == 1 and "未设置 SLACK_BOT_TOKEN：请参阅 README 的 Slack 一节" in zh, zh
    assert not english_sentences(zh), zh
    code, zh = run("zh_CN", "serve", "slack", "--db", db, env={**env, "SLACK_BOT_TOKEN": "abc"})
    assert "SLACK_BOT_TOKEN 应以 'xox' 开头：令牌是否填错了？" in zh, zh


def test_an_unknown_console_user_is_told_in_chinese(demo_url: str) -> None:
    code, en = run("en", "console", "--as", "nobody@x.com", "--db", demo_url)
    assert "no active employee with e-mail 'nobody@x.com' (see: perfbot org list)" in en, en
    code, zh = run("zh_CN", "console", "--as", "nobody@x.com", "--db", demo_url)
    assert code == 1 and "没有邮箱为 'nobody@x.com' 的在职员工（参见：perfbot org list）" in zh, zh
    assert not english_sentences(zh), zh


def test_a_database_not_upgraded_is_told_in_chinese(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code, en = run("en", "outbox", "--db", url)
    assert code == 1 and "The database schema is empty, this perfbot needs " in en, en
    assert en.rstrip().endswith(". Run: perfbot db upgrade"), en
    code, zh = run("zh_CN", "serve", "slack", "--db", url)  # it runs in English: not its refusal
    assert code == 1 and "数据库结构为空，此版本的 perfbot 需要 " in zh, zh
    assert not english_sentences(zh), zh


def test_serve_feishu_without_its_token_refuses_in_chinese(db: str) -> None:
    code, en = run("en", "serve", "feishu", "--db", db)
    code, zh = run("zh_CN", "serve", "feishu", "--db", db)
    assert code == 1 and "时必须设置 FEISHU_VERIFICATION_TOKEN" in zh, zh
    assert not english_sentences(zh), zh
    assert "FEISHU_VERIFICATION_TOKEN must be set for --transport http" in en, en
