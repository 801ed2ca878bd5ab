"""click's own words in the operator's language: with zh_CN, `perfbot`'s usage lines, errors
and every --help are Chinese, with no English click word left; in English, click's output
is as click writes it."""

from __future__ import annotations

import re
import unicodedata

import click
import pytest
from click.testing import CliRunner

from bot.cli import click_language as cl
from bot.cli import main
from bot.cli.common import Shell
from handlers.i18n import current

# Nothing of the developer's shell (or the suite's PERFBOT_LOCALE=en) leaks into a run.
CLEAN = {"PERFBOT_LOCALE": None, "LC_ALL": None, "LC_MESSAGES": None}
CHINESE = {**CLEAN, "LANG": "zh_CN.UTF-8"}
ENGLISH = {**CLEAN, "LANG": "C"}
# click's English, none of which a Chinese operator should meet.
CLICK_ENGLISH = re.compile(
    r"Usage|Options|Commands|OPTIONS|COMMAND|ARGS|Show this|Error|Try '|Missing|No such|"
    r"Invalid|is not one of|Did you mean|default:|required|does not exist"
)
HELP_PAGES = [
    [name, *([sub] if sub else [])]
    for name, cmd in sorted(main.commands.items())
    for sub in [None, *sorted(getattr(cmd, "commands", {}))]
]


def run(env: dict[str, str | None], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, prog_name="perfbot")
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    return result.exit_code, result.output


def test_chinese_root_help() -> None:
    code, out = run(CHINESE, "--help")
    assert code == 0
    assert out.startswith("用法：perfbot [选项] 命令 [参数]...\n\n  perfbot：在 Slack、Telegram")
    assert "\n选项：\n  -h, --help  显示此帮助并退出。\n\n命令：\n" in out
    assert "  score      用一条基于集合的语句计算每位员工在某个周期的得分。\n" in out
    assert not CLICK_ENGLISH.search(out)


def test_chinese_score_help() -> None:
    code, out = run(CHINESE, "score", "--help")
    assert (code, out) == (
        0,
        "用法：perfbot score [选项]\n\n"
        "  用一条基于集合的语句计算每位员工在某个周期的得分。有人无法评分时以状态 1 退\n"
        "  出，并列出其姓名和原因。\n\n"
        "选项：\n"
        "  --period TEXT  周期，例如 2026-11（默认：本月）。\n"
        "  --db TEXT      数据库 URL（默认：$DATABASE_URL 或 sqlite:///perfbot.db）。\n"
        "  --json         每个得分及其明细。\n"
        "  -h, --help     显示此帮助并退出。\n",
    )


@pytest.mark.parametrize("args", HELP_PAGES, ids=" ".join)
def test_every_help_page_is_chinese_and_fits(args: list[str]) -> None:
    code, out = run(CHINESE, *args, "--help")
    assert code == 0
    assert not CLICK_ENGLISH.search(out), out
    text = out.split("\n\n")[1]  # the command's own help, translated
    assert any(unicodedata.east_asian_width(c) == "W" for c in text), text
    assert max(_columns(line) for line in out.splitlines()) <= 80, out  # CliRunner's width


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["goals", "load"], "错误：缺少参数 'FILE'。"),
        (["score", "--bogus"], "错误：没有选项 '--bogus'。"),
        (["score", "--jso"], "错误：没有选项 '--jso'。您是不是要找 '--json'？"),
        (["report", "--format", "xls"],
         "错误：'--format' 的值无效：'xls' 不在可选值 'csv', 'png', 'md' 之中。"),
        (["goals", "load", "/nowhere.yaml"],
         "错误：'FILE' 的值无效：文件 '/nowhere.yaml' 不存在。"),
        (["doctor", "--timeout", "abc"], "错误：'--timeout' 的值无效：'abc' 不是有效的数字。"),
        (["scor"], "错误：没有命令 'scor'。 您是不是要找 'doctor', 'score'？"),
    ],
    ids=["missing argument", "unknown option", "did you mean", "bad choice", "no such file",
         "not a number", "unknown command"],
)  # fmt: skip
def test_chinese_usage_errors(args: list[str], error: str) -> None:
    code, out = run(CHINESE, *args)
    assert code == 2
    assert out.endswith(f"\n\n{error}\n")
    command = " ".join(["perfbot", *[a for a in args[:2] if a.isalpha() and a != "scor"]])
    assert out.startswith(f"用法：{command} [选项]")
    assert f"运行 '{command} --help' 查看帮助。\n" in out
    assert not CLICK_ENGLISH.search(out)


def test_an_option_without_its_value() -> None:
    assert run(CHINESE, "score", "--period") == (2, "错误：选项 '--period' 需要 1 个值。\n")


def test_english_is_clicks_own() -> None:
    code, out = run(ENGLISH, "score", "--help")
    assert (code, out) == (
        0,
        "Usage: perfbot score [OPTIONS]\n\n"
        "  Compute every employee's score for a period, in one set-based statement. Exits\n"
        "  1 when anyone could not be scored, naming them and why.\n\n"
        "Options:\n"
        "  --period TEXT  Period key such as 2026-11 (default: the current month).\n"
        "  --db TEXT      Database URL (default: $DATABASE_URL or sqlite:///perfbot.db).\n"
        "  --json         Every score with its breakdown.\n"
        "  -h, --help     Show this message and exit.\n",
    )
    assert run(ENGLISH, "score", "--jso") == (
        2,
        "Usage: perfbot score [OPTIONS]\nTry 'perfbot score --help' for help.\n\n"
        "Error: No such option '--jso'. Did you mean '--json'?\n",
    )
    assert run(ENGLISH, "score", "--period") == (
        2,
        "Error: Option '--period' requires an argument.\n",
    )
    assert run(ENGLISH, "goals", "load")[1].endswith("\n\nError: Missing argument 'FILE'.\n")
    assert run(ENGLISH, "report", "--format", "xls")[1].endswith(
        "\n\nError: Invalid value for '--format': 'xls' is not one of 'csv', 'png', 'md'.\n"
    )
    code, out = run(ENGLISH, "--help")
    assert out.startswith("Usage: perfbot [OPTIONS] COMMAND [ARGS]...\n")
    assert "\nCommands:\n  audit      The tamper-evident audit log.\n" in out
    assert "  console    Type commands as an employee; see the cards and the notices...\n" in out


def test_english_after_chinese_in_one_process() -> None:
    """click builds each command's --help option once: a Chinese run leaves no Chinese."""
    run(CHINESE, "score", "--help")
    _, out = run(ENGLISH, "score", "--help")
    assert out.endswith("  -h, --help     Show this message and exit.\n")


def test_chat_serving_commands_run_in_english_but_help_the_operator() -> None:
    @click.group(cls=Shell)
    def root() -> None:
        pass

    for name in ("serve", "doctor"):
        root.add_command(cl.command(name, help="Schema migrations.")(lambda: click.echo(current())))
    runner = CliRunner()
    assert runner.invoke(root, ["serve"], env=CHINESE).output == "en\n"
    assert runner.invoke(root, ["doctor"], env=CHINESE).output == "zh_CN\n"
    assert "数据库结构迁移。" in runner.invoke(root, ["serve", "--help"], env=CHINESE).output


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
