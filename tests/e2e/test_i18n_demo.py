"""Issue 17, item 4: `perfbot demo --locale zh-CN` seeds the same company with Chinese names
and the console shows Chinese cards; the English demo stays as it was."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from store.db import make_engine
from store.models import Appeal, Branch, KpiAdjustment, Team


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.slow
def test_the_chinese_demo_in_one_command(db_url):
    code, out = run("demo", "--seed-only", "--locale", "zh-CN", "--db", db_url)
    assert code == 0 and "43 人" in out and "2026-10 已关闭" in out  # --locale: the summary too
    code, out = run(
        "console", "--db", db_url, "--as", "chen.jing@acme.example",
        "--run", "绩效 @ana.li", "--run", "/goals @ana.li", "--run", "/help",
    )  # fmt: skip
    assert code == 0, out
    assert "得分 · 李安娜 · " in out and "销售额（40%）" in out and "万" in out
    assert "目标 · 李安娜 · " in out and "¥" in out
    assert "perfbot 命令" in out and "（也可输入：绩效、得分）" in out
    # Teams, branches and the demo's own words are Chinese too (its team report, HR's card).
    code, out = run("console", "--db", db_url, "--as", "chen.jing@acme.example", "--run", "/team")
    assert "李安娜（华东销售）" in out and "Sales" not in out
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert set(conn.scalars(select(Branch.locale))) == {"zh_CN"}
        assert "上海总部" in set(conn.scalars(select(Branch.name)))
        assert next(iter(conn.scalars(select(KpiAdjustment.reason)))).startswith("杭州")
        assert next(iter(conn.scalars(select(Appeal.reason)))).startswith("月末")
    engine.dispose()
    # Seeding again in English brings the English company back, in the same teams.
    assert run("demo", "--seed-only", "--db", db_url)[0] == 0
    code, out = run("console", "--db", db_url, "--as", "chen.jing@acme.example",
                    "--run", "/score @ana.li")  # fmt: skip
    assert "Score · Ana Li · " in out
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert len(set(conn.scalars(select(Team.name)))) == 8
        assert set(conn.scalars(select(Branch.name))) == {"Shanghai HQ", "Singapore", "Berlin"}
    engine.dispose()


def test_an_unknown_locale_is_refused(db_url):
    code, out = run("console", "--db", db_url, "--as", "a@b.example", "--locale", "xx")
    assert code != 0 and "perfbot speaks en, zh_CN" in out


def _crm_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.demo import seed
    from connectors.strings import HTTP_STATUS
    from connectors.sync import SyncSummary
    from said import Said

    failed = SyncSummary(source="crm", errors=[Said(HTTP_STATUS, status=503)])
    monkeypatch.setattr(seed, "sync_demo", lambda *a: [failed])


def test_a_demo_whose_sources_fail_says_so_without_a_traceback(db_url, monkeypatch):
    _crm_fails(monkeypatch)
    code, out = run("demo", "--seed-only", "--db", db_url)
    assert code == 1 and "Traceback" not in out
    assert out.startswith("Error: the demo's sample sources did not sync: crm: "), out
    zh = CliRunner(env={"PERFBOT_LOCALE": "zh_CN"}).invoke(
        main, ["demo", "--seed-only", "--db", db_url], catch_exceptions=False
    )
    code, out = zh.exit_code, zh.output
    assert (
        code == 1 and out.startswith("错误：演示的示例数据源未能同步") and "crm：HTTP 503" in out
    ), out
