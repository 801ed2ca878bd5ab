"""Issue 17: what connectors, scoring, store and the org-file checks say reaches a Chinese
operator in Chinese (said/ carries the msgid to the edge), and English stays word for word."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import text

from bot.cli import main
from store.db import make_engine, session_factory
from store.schema import current_and_head, upgrade
from store.uow import UnitOfWork
from tests.conftest import FrozenClock
from tests.fakes.ports import free_port
from tests.integration.connectors.fake_scim import TOKEN as SCIM_TOKEN
from tests.integration.connectors.fake_scim import FakeScim
from tests.integration.connectors.fakes import FakeVendor
from tests.integration.connectors.sync_support import seed_people
from tests.integration.connectors.test_directory_sync import company
from tests.integration.connectors.test_directory_sync import config as directory_config
from tests.integration.connectors.test_history_import import DIRTY, MAPPING
from tests.integration.connectors.vendor_data import ENV
from tests.integration.store.test_audit_chain import tamper

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


def run(locale: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    environ = {**CLEAN, **(env or {}), "PERFBOT_LOCALE": locale}
    result = CliRunner().invoke(main, list(args), env=environ)
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


def test_a_source_that_fails_is_told_in_chinese_by_sync(db: str, tmp_path: Path) -> None:
    port = free_port()  # nothing listens there: every attempt is refused
    path = tmp_path / "sources.yaml"
    crm = {"name": "crm", "preset": "hubspot_deals", "base_url": f"http://127.0.0.1:{port}",
           "vars": {"portal": "1"}, "retry": {"max_attempts": 2, "base_delay": 0.01}}  # fmt: skip
    path.write_text(yaml.safe_dump({"sources": [crm]}))
    code, zh = run("zh_CN", "sync", "--config", str(path), "--db", db, env=ENV)
    assert code == 1
    (row,) = [x for x in zh.splitlines() if x.startswith("crm ")]
    assert "crm：POST /crm/v3/objects/deals/search：尝试 2 次、用时 " in row
    assert "秒后放弃（尝试次数已用完）；最后一次故障：连接错误（ConnectError：" in row
    assert not english_sentences(row), row

    code, en = run("en", "sync", "--config", str(path), "--db", db, env=ENV)
    assert code == 1
    assert "crm: POST /crm/v3/objects/deals/search: gave up after 2 attempts in " in en
    assert "s (attempts exhausted); last fault: connection error (ConnectError: " in en

    code, zh = run("zh_CN", "sync", "nope", "--config", str(path), "--db", db, env=ENV)
    assert code == 1 and "错误：配置中没有名为 'nope' 的数据源" in zh

    # the failed run, as stored, said again by the doctor in the operator's language
    env = {**ENV, "PERFBOT_SOURCES": str(path)}
    code, zh = run("zh_CN", "doctor", "--db", db, "--timeout", "10", env=env)
    (failed,) = [x for x in zh.splitlines() if "同步 crm" in x]
    assert "：crm：POST /crm/v3/objects/deals/search：尝试 2 次、用时 " in failed, failed
    assert not english_sentences(failed.split(" -> ")[0]), failed  # the fix is a command
    code, en = run("en", "doctor", "--db", db, "--timeout", "10", env=env)
    (failed,) = [x for x in en.splitlines() if "sync crm" in x]
    assert "crm: POST /crm/v3/objects/deals/search: gave up after 2 attempts in " in failed


BAD_SOURCES = """\
sources:
  - {name: crm, preset: hubspot_dealz}
  - {name: x, preset: zendesk_csat, base_url: "https://a.example", endpoint: {path: "/x/{nope}"}}
  - {name: x, preset: zendesk_csat, base_url: "https://a.example"}
  - 5
extra: 1
"""


def test_a_sources_file_with_problems_is_told_in_chinese(db: str, tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(BAD_SOURCES, encoding="utf-8")
    code, zh = run("zh_CN", "sync", "--config", str(path), "--db", db)
    assert code == 2
    assert zh.startswith(f"{path}：9 个错误\n  第 6 行：extra：未知的顶层键\n")
    assert "  第 3 行：sources[1].endpoint：占位符 {nope} 未定义（请在 vars 下定义它）" in zh
    assert "  第 4 行：sources[2].auth.password_env：未设置环境变量 ZENDESK_API_TOKEN" in zh
    assert not english_sentences(zh), zh

    code, en = run("en", "sync", "--config", str(path), "--db", db)
    assert code == 2
    assert en.startswith(f"{path}: 9 errors\n  line 6: extra: unknown top-level key\n")
    assert "  line 4: sources[2].name: duplicate source name 'x'\n" in en
    assert en.endswith("  line 5: sources[3]: should be a mapping\n")


BAD_SCORING = """\
scorecards:
  sales_rep:
    formula: "total ** 2"
    dimensions:
      - {metric: revenue, weight: 60, direction: up}
      - {metric: revenue, weight: 30, kind: vibe, public: maybe}
      - {metric: bogus_metric, weight: abc}
bands:
  - {name: good, min: 10}
  - {name: good, min: 20}
incentives:
  - {name: bonus, rule: lottery}
  - {name: star, rule: consecutive_band, band: great, periods: 2}
extra: 1
"""


def test_a_scoring_file_with_problems_is_told_in_chinese(db: str, tmp_path: Path) -> None:
    path = tmp_path / "scoring.yaml"
    path.write_text(BAD_SCORING, encoding="utf-8")
    env = {"PERFBOT_SCORING": str(path)}
    code, zh = run("zh_CN", "score", "--db", db, env=env)
    assert code == 1
    assert zh.startswith(f"错误：{path}：10个问题，未执行任何操作：\n")
    assert "  - 第 3 行：scorecards.sales_rep.formula：不允许使用 '**'；请使用 + - * /\n" in zh
    assert "  - 第 8 行：bands：最低等级的 min 必须为 0（或更小），这样每个分数都有等级\n" in zh
    assert not english_sentences(zh), zh

    code, en = run("en", "score", "--db", db, env=env)
    assert code == 1
    assert (
        "  - line 12: incentives[0].rule: unknown rule 'lottery'; expected top_percent or"
        " consecutive_band\n"
    ) in en
    assert (
        "  - line 7: scorecards.sales_rep.dimensions[2].weight: must be a number, got 'abc'" in en
    )


GOOD_ORG = """\
branches:
  - {name: HQ, timezone: Asia/Shanghai, hq: true}
teams:
  - {name: Sales, branch: HQ, manager: boss@x.com}
employees:
  - {email: boss@x.com, team: Sales, role: manager}
  - {email: a@x.com, team: Sales, manager: boss@x.com}
  - {email: b@x.com, team: Sales, manager: boss@x.com}
"""


def test_a_broken_audit_chain_is_told_in_chinese(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(GOOD_ORG, encoding="utf-8")
    assert run("en", "org", "load", str(org), "--db", db)[0] == 0
    monkeypatch.setenv("PERFBOT_AUDIT_ANCHOR_FILE", str(tmp_path / "anchors.jsonl"))
    assert run("en", "audit", "anchor", "--db", db)[0] == 0
    engine = make_engine(db)
    with engine.connect() as conn:
        newest = conn.execute(text("SELECT max(id) FROM audit_event")).scalar()
    tamper(engine, f"DELETE FROM audit_event WHERE id = {newest}")
    code, zh = run("zh_CN", "audit", "verify", "--db", db)
    assert code == 1
    assert f"事件 {newest}（于 " in zh and "锚定的链头）缺失：最新的事件已被删除" in zh
    assert not english_sentences(zh), zh
    code, en = run("en", "audit", "verify", "--db", db)
    assert f"event {newest}, the head anchored at " in en
    assert "is missing: the newest events were deleted" in en

    tamper(engine, "UPDATE audit_event SET after = NULL WHERE id = 2")
    code, zh = run("zh_CN", "audit", "verify", "--db", db)
    assert code == 1 and "内容在写入后被修改" in zh and not english_sentences(zh), zh
    code, en = run("en", "audit", "verify", "--db", db)
    assert "BROKEN at event 2" in en and "content edited after it was written" in en


def test_a_directory_sync_is_told_in_chinese(db: str, tmp_path: Path) -> None:
    env = {"SCIM_TOKEN": SCIM_TOKEN}
    with FakeScim() as scim:
        company(scim)
        path = str(directory_config(tmp_path, scim))
        code, zh = run("zh_CN", "org", "sync", "--config", path, "--db", db, "--dry-run", env=env)
        assert code == 0, zh
        assert zh.startswith("目录中共 6 个用户：将新建 10 人、将更新 0 人、未变 0 人")
        assert "  - SCIM 用户 u6（svc-backup）：没有邮箱" in zh
        assert not english_sentences(zh), zh
        code, en = run("en", "org", "sync", "--config", path, "--db", db, "--dry-run", env=env)
        assert en.startswith("6 directory users: would be created 10, would be updated 0")
        assert "  - SCIM user u6 (svc-backup): no e-mail" in en

        scim.set("u3", manager="u42")
        code, zh = run("zh_CN", "org", "sync", "--config", path, "--db", db, env=env)
        assert code == 1
        assert "  - SCIM 用户 u3：员工 ana.li@acme.example：未知的经理 'u42'\n" in zh
        scim.fail("/Users", 404)
        code, zh = run("zh_CN", "org", "sync", "--config", path, "--db", db, env=env)
        assert code == 1 and "：HTTP 404：" in zh, zh


BAD_GOALS = """\
goals:
  - {key: rev, title: Revenue, metric: revenu, teams: [Sales, Salez], split: fair}
  - {key: rev, title: Again, teams: [], direction: up, places: 9}
  - nope
"""


def test_a_goals_file_with_problems_is_told_in_chinese(db: str, tmp_path: Path) -> None:
    org, goals = tmp_path / "org.yaml", tmp_path / "goals.yaml"
    org.write_text(GOOD_ORG, encoding="utf-8")
    goals.write_text(BAD_GOALS, encoding="utf-8")
    assert run("en", "org", "load", str(org), "--db", db)[0] == 0
    code, zh = run("zh_CN", "goals", "load", str(goals), "--db", db)
    assert code == 1
    assert "  - period：缺失（例如 2026-11）\n" in zh
    assert "  - 第 2 行：目标 rev：未知的团队 'Salez'（是否想写 'Sales'？）\n" in zh
    assert "  - 第 3 行：目标 rev：places 必须是不超过 6 的整数\n" in zh
    assert not english_sentences(zh), zh
    code, en = run("en", "goals", "load", str(goals), "--db", db)
    assert "  - line 2: goal rev: unknown team 'Salez' (did you mean 'Sales'?)\n" in en
    assert "  - line 3: duplicate goal key 'rev'\n" in en
    assert "  - goals[2]: each goal must be a mapping\n" in en


def test_rejected_history_rows_are_told_in_chinese(demo_url: str, tmp_path: Path) -> None:
    data, mapping = tmp_path / "sales-2026.csv", tmp_path / "map.yaml"
    data.write_text(DIRTY, encoding="utf-8")
    mapping.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    args = ("import", str(data), "--mapping", str(mapping), "--db", demo_url, "--dry-run")
    code, zh = run("zh_CN", *args)
    assert code == 1
    assert "金额：不是数字：'12abc'" in zh and "与第 2 行重复" in zh
    assert "未知的员工 nobody@acme.example" in zh and "日期：不存在这个日期：'2026-11-31'" in zh
    assert "日期 2025-01-05 不在任何周期内" in zh
    assert not english_sentences(zh), zh
    code, en = run("en", *args)
    assert "  row 5: 金额: not a number: '12abc'" in en
    assert "date 2025-01-05 is outside every period" in en


def test_a_source_entry_pydantic_refuses_is_told_in_chinese(db: str, tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - {name: a, base_url: 'ftp://x', endpoint: {path: /x}, mapping: {},"
        " bogus: 1, timezone: Mars/X}\n",
        encoding="utf-8",
    )
    code, zh = run("zh_CN", "sync", "--config", str(path), "--db", db)
    assert code == 2
    assert "  第 2 行：sources[0].base_url：应以 http:// 或 https:// 开头\n" in zh
    assert "  第 2 行：sources[0].mapping.date：缺少必填项\n" in zh
    assert "  第 2 行：sources[0].bogus：不允许此键\n" in zh
    assert not english_sentences(zh), zh
    code, en = run("en", "sync", "--config", str(path), "--db", db)
    assert "  line 2: sources[0].mapping.date: field required\n" in en
    assert "  line 2: sources[0].timezone: unknown time zone 'Mars/X'\n" in en
    assert "  line 2: sources[0].bogus: extra inputs are not permitted\n" in en


def test_records_set_aside_are_told_in_chinese_and_old_ones_as_they_were_stored(
    db: str, tmp_path: Path
) -> None:
    seed_people(UnitOfWork(session_factory(make_engine(db)), FrozenClock()), skip_ids=("104",))
    path = tmp_path / "sources.yaml"
    vendor = FakeVendor().start()
    try:
        crm = {"name": "crm", "preset": "hubspot_deals", "base_url": vendor.url,
               "pagination": {"size": 10}, "vars": {"portal": "4242"}}  # fmt: skip
        path.write_text(yaml.safe_dump({"sources": [crm]}))
        assert run("en", "sync", "--config", str(path), "--db", db, env=ENV)[0] == 0
    finally:
        vendor.stop()
    args = ("unmatched", "crm", "-n", "100", "--db", db)
    code, zh = run("zh_CN", *args)
    assert code == 0 and zh.startswith("数据源  记录  指标          原因\n")
    assert "crm     9013  *             properties.hubspot_owner_id 处没有员工\n" in zh
    assert "crm     9007  *             properties.amount 处没有数值\n" in zh
    assert "crm     9003  sales_amount  没有外部 ID 为 104 的员工\n" in zh
    assert not english_sentences(zh), zh
    code, en = run("en", *args)
    assert code == 0 and en.startswith("source  record  metric        reason\n")
    assert "crm     9013    *             no employee at properties.hubspot_owner_id\n" in en
    assert "crm     9007    *             no value at properties.amount\n" in en
    assert "crm     9003    sales_amount  no employee with external id 104\n" in en
    code, out = run("zh_CN", *args, "--json")  # machine output: one language for scripts
    reasons = {r["record_id"]: r["reason"] for r in json.loads(out)}
    assert reasons["9013"] == "no employee at properties.hubspot_owner_id"

    # a reason stored before its words were kept, and one whose words changed since: as stored
    with make_engine(db).begin() as conn:
        conn.execute(
            text("UPDATE unmatched_record SET reason_said = NULL WHERE record_id = '9007'")
        )
        conn.execute(
            text("UPDATE unmatched_record SET reason_said = :gone WHERE record_id = '9013'"),
            {"gone": json.dumps({"msgid": "{gone}", "params": {}})},
        )
    code, zh = run("zh_CN", *args)
    assert "crm     9007  *             no value at properties.amount\n" in zh
    assert "crm     9013  *             no employee at properties.hubspot_owner_id\n" in zh
    assert "crm     9003  sales_amount  没有外部 ID 为 104 的员工\n" in zh


def test_a_database_schema_behind_is_told_in_chinese(tmp_path: Path) -> None:
    empty, old = f"sqlite:///{tmp_path}/empty.db", f"sqlite:///{tmp_path}/old.db"
    upgrade(make_engine(old), "0001")
    (head,) = current_and_head(make_engine(old))[1]
    code, zh = run("zh_CN", "score", "--db", empty)
    assert code == 1
    assert zh == f"错误：数据库结构为空，此版本的 perfbot 需要 {head}。请运行：perfbot db upgrade\n"
    code, zh = run("zh_CN", "org", "list", "--db", old)
    assert code == 1
    assert (
        zh == f"错误：数据库结构处于 0001，此版本的 perfbot 需要 {head}。"
        "请运行：perfbot db upgrade\n"
    )
    code, en = run("en", "org", "list", "--db", old)
    assert en == (
        f"Error: The database schema is at 0001, this perfbot needs {head}. "
        "Run: perfbot db upgrade\n"
    )
