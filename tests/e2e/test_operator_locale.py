"""`perfbot` speaks its operator's language: PERFBOT_LOCALE, else the shell's LC_ALL /
LC_MESSAGES / LANG (zh_CN.UTF-8 -> Simplified Chinese; C, POSIX and the unknown -> English),
for every command except the chat-serving `serve` and `scheduler`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.cli.operator_locale import operator_locale, speaks_operator

BAD_ORG = """\
branches:
  - {name: HQ, timezone: Asia/Shanghai, hq: true}
teams:
  - {name: Sales, branch: Nowhere}
employees: []
"""
# Nothing of the developer's shell (or the suite's PERFBOT_LOCALE=en) leaks into a run.
CLEAN = {
    "PERFBOT_LOCALE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None,
    "SLACK_BOT_TOKEN": None, "TELEGRAM_BOT_TOKEN": None, "FEISHU_APP_ID": None,
    "PERFBOT_SOURCES": None, "PERFBOT_SCORING": None,
}  # fmt: skip
CHINESE = [{"LANG": "zh_CN.UTF-8"}, {"PERFBOT_LOCALE": "zh-CN", "LANG": "C"}]
ENGLISH = [{"LANG": "C"}, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, {}]


@pytest.fixture
def db(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated, empty SQLite database."""
    path = tmp_path / "perfbot.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={**CLEAN, **env})
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    return result.exit_code, result.output


def bad_org(tmp_path: Path) -> str:
    path = tmp_path / "org.yaml"
    path.write_text(BAD_ORG, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("env", CHINESE, ids=["LANG", "PERFBOT_LOCALE"])
def test_a_chinese_operator_reads_chinese(env: dict[str, str], db: str, tmp_path: Path) -> None:
    code, out = run(env, "doctor", "--db", db, "--timeout", "10")
    assert code == 1  # no scheduler has ever led on a new database
    assert "数据库结构：已是最新" in out
    assert out.splitlines()[-1].endswith("项正常")
    assert "failed" not in out

    code, out = run(env, "org", "load", bad_org(tmp_path), "--dry-run", "--db", db)
    assert code == 1
    assert out.startswith(f"{tmp_path / 'org.yaml'}：1个问题，未载入任何内容：\n")

    code, out = run(env, "score", "--db", db)
    assert code == 1
    assert "错误：没有周期“2026-11”" in out

    code, out = run(env, "org", "list", "--db", db)
    assert (code, out) == (0, "还没有人员\n")


@pytest.mark.parametrize("env", ENGLISH, ids=["C", "LC_ALL=C", "unset"])
def test_an_english_or_c_locale_reads_english(env: dict[str, str], db: str, tmp_path: Path) -> None:
    code, out = run(env, "doctor", "--db", db, "--timeout", "10")
    assert code == 1
    assert "schema: up to date" in out
    assert out.splitlines()[-1].endswith(" ok")

    code, out = run(env, "org", "load", bad_org(tmp_path), "--dry-run", "--db", db)
    assert code == 1
    assert out.startswith(f"{tmp_path / 'org.yaml'}: 1 problem, nothing loaded:\n")

    code, out = run(env, "score", "--db", db)
    assert code == 1
    assert "Error: no period '2026-11'" in out


def test_a_bad_option_is_refused_in_the_operators_language() -> None:
    code, out = run({"LANG": "zh_CN.UTF-8"}, "report", "--locale", "xx")
    assert code == 2
    assert "perfbot 支持的语言：en, zh_CN" in out


@pytest.mark.parametrize(
    ("environ", "locale"),
    [
        ({"PERFBOT_LOCALE": "zh-CN", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"PERFBOT_LOCALE": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8"}, "zh_CN"),  # Simplified is the one Chinese catalogue
        ({"LC_MESSAGES": "zh_CN.GB18030", "LANG": "C"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # not spoken: English
        ({"LC_ALL": "", "LANG": "zh_CN"}, "zh_CN"),  # an empty variable is unset
        ({}, "en"),
    ],
)
def test_the_operators_locale(environ: dict[str, str], locale: str) -> None:
    assert operator_locale(environ) == locale


def test_the_chat_serving_commands_keep_each_persons_language() -> None:
    assert not speaks_operator("serve")
    assert not speaks_operator("scheduler")
    assert speaks_operator("doctor")
