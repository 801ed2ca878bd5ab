"""Issue 17: what connectors, scoring, store and the org-file checks say reaches a Chinese
operator in Chinese (said/ carries the msgid to the edge), and English stays word for word."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main

CLEAN = {
    "PERFBOT_LOCALE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None,
    "SLACK_BOT_TOKEN": None, "TELEGRAM_BOT_TOKEN": None, "FEISHU_APP_ID": None,
    "PERFBOT_SOURCES": None, "PERFBOT_SCORING": None,
}  # fmt: skip
# Three English words in a row: a sentence left untranslated (a name or a key is one word).
SENTENCE = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")

BAD_ORG = """\
branches:
  - {name: HQ, timezone: Asia/Shanghai, hq: true, locale: xx}
  - {name: Berlin, timezone: Europe/Berlyn}
  - {timezone: UTC}
teams:
  - {name: Sales, branch: Nowhere, manager: boss@x.com, parent: Salez}
  - {name: Sales, branch: HQ}
  - {name: Ops, branch: HQ, manager: nobody@x.com, parent: Ops2}
  - {name: Ops2, branch: HQ, parent: Ops}
employees:
  - {email: boss@x.com, team: Sales, role: chief, manager: boss@x.com, active: maybe,
     mobile: 8613800138000}
  - {email: not-an-email}
  - {email: a@x.com, team: Salse, manager: b@x.com, scorecard: nope, chat: {slack: U1, icq: 5},
     slack_id: U2}
  - {email: b@x.com, manager: a@x.com, branch: Mars, chat: {telegram: [1, 2]}, external_id: E1}
  - {email: c@x.com, branch: HQ, manager: bosss@x.com, external_id: E1, active: false}
  - {email: d@x.com, branch: HQ, manager: c@x.com}
  - {email: d@x.com, branch: HQ, chat: 5}
extra: 1
"""


def english_sentences(out: str) -> list[str]:
    return SENTENCE.findall(out)


def run(locale: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={**CLEAN, "PERFBOT_LOCALE": locale})
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    return result.exit_code, result.output


@pytest.fixture
def db(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "perfbot.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def test_org_file_problems_are_chinese_for_a_chinese_operator(db: str, tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(BAD_ORG, encoding="utf-8")
    code, zh = run("zh_CN", "org", "load", str(org), "--dry-run", "--db", db)
    assert code == 1
    assert "  - 第 6 行：团队 Sales：未知的上级团队 'Salez'（是否想写 'Sales'？）" in zh
    assert "  - 汇报关系中存在循环：a@x.com -> b@x.com -> a@x.com" in zh
    assert len(zh.splitlines()) == 26 and not english_sentences(zh), zh

    code, en = run("en", "org", "load", str(org), "--dry-run", "--db", db)
    assert code == 1
    assert "  - line 6: team Sales: unknown parent team 'Salez' (did you mean 'Sales'?)" in en
    assert (
        "  - line 11: boss@x.com: mobile 8613800138000 is not an international number such as"
        " '+8613800138000' (+, country code, number) (quote it: YAML reads +86… as a number)"
    ) in en
    assert "  - employee d@x.com: manager c@x.com is marked active: false; name a new manager" in en


def test_org_file_problems_stay_english_in_json(db: str, tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(BAD_ORG, encoding="utf-8")
    code, out = run("zh_CN", "org", "load", str(org), "--dry-run", "--json", "--db", db)
    assert code == 1
    assert '"extra: unknown section"' in out  # machine output: one language for scripts
