"""`perfbot person export | erase` on the demo company, end to end (GDPR Art. 15/17/20)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import JSON, String, Table, cast, func, or_, select
from sqlalchemy import Text as SqlText

from bot.cli import main
from store.models import AuditEvent, Base, ChatIdentity, Employee, Score, ScoreLine
from store.person_data import Person, employee_columns, personal_tables
from tests.conftest import NOW

ANA, NAME, BOSS = "ana.li@acme.example", "Ana Li", "chen.jing@acme.example"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _act(url: str, who: str, *commands: str) -> None:
    args = ["console", "--db", url, "--as", who]
    for c in commands:
        args += ["--run", c]
    code, out = run(*args)
    assert code == 0, out


def _lived_in(demo: Any, url: str, env: pytest.MonkeyPatch) -> int:
    """Ana writes and is written about; she has a Telegram account and used it."""
    env.setenv("PERFBOT_PRAISE_BY_ANYONE", "true")
    _act(
        url,
        ANA,
        "/self I closed the Nanjing deal for Ana Li's team",
        "/praise zhou.tao@acme.example thanks",
        "/appeal sales_amount the Nanjing deal is missing, says Ana Li",
    )
    _act(url, BOSS, f"/praise {ANA} great quarter, Ana Li", f"/rate {ANA} 4 steady month, Ana Li")
    with demo.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == ANA))
        ident = ChatIdentity(platform="telegram", platform_user_id="777001", username="ana_on_tg",
                             employee_id=ana.id, linked_at=NOW)  # fmt: skip
        uow.add(ident)
        uow.flush()
        uow.audit(actor="telegram:777001", action="link.account", entity="chat_identity",
                  entity_id=ident.id, after={"username": "ana_on_tg", "email": ANA})  # fmt: skip
        uow.commit()
        return ana.id


def test_every_table_naming_an_employee_is_exported() -> None:
    """A new table with an employee column can't be forgotten: the walk finds it."""
    naming = {t.name for t in Base.metadata.sorted_tables if employee_columns(t)}
    assert naming <= {t.name for t in personal_tables()}
    assert {"score_line", "metric_fact", "praise", "appeal", "chat_identity"} <= naming


def _rows_about(demo: Any, ana_id: int) -> dict[str, set[str]]:
    """Primary keys of every row whose employee column is Ana, table by table."""
    found: dict[str, set[str]] = {}
    with demo.uow() as uow:
        for t in Base.metadata.sorted_tables:
            cols = employee_columns(t)
            if not cols or t.name == "employee":
                continue
            pk = list(t.primary_key.columns)
            rows = uow.session.execute(select(*pk).where(or_(*(c == ana_id for c in cols))))
            found[t.name] = {"|".join(str(v) for v in r) for r in rows}
    return found


def test_export_holds_every_row_about_her(
    demo, demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana_id = _lived_in(demo, demo_url, monkeypatch)
    code, out = run("person", "export", ANA, "--out", str(tmp_path), "--db", demo_url, "--json")
    assert code == 0, out
    doc = json.loads((tmp_path / "person.json").read_text(encoding="utf-8"))
    assert doc["person"] == {"id": ana_id, "email": ANA, "name": NAME}
    tables = doc["tables"]
    for name, keys in _rows_about(demo, ana_id).items():
        pk = [c.name for c in Base.metadata.tables[name].primary_key.columns]
        got = {"|".join(str(r[c]) for c in pk) for r in tables[name]}
        assert keys <= got, f"{name}: rows about her missing from the export"
        with (tmp_path / f"{name}.csv").open(encoding="utf-8") as f:
            assert len(list(csv.DictReader(f))) == len(tables[name])
    assert tables["employee"][0]["email"] == ANA
    assert len(tables["metric_fact"]) > 100 and tables["score_line"], "facts and breakdown lines"
    assert {p["text"] for p in tables["praise"]} >= {"thanks", "great quarter, Ana Li"}
    assert [a["reason"] for a in tables["appeal"]] and tables["self_assessment"]
    actions = {e["action"] for e in tables["audit_event"]}
    assert {"appeal.open", "praise.give", "link.account", "org.create"} <= actions
    assert json.loads(out)["rows"]["audit_event"] == len(tables["audit_event"])
    code, out = run("person", "export", "nobody@acme.example", "--out", str(tmp_path), "--db",
                    demo_url)  # fmt: skip
    assert code == 1 and "no person with the e-mail nobody@acme.example" in out


def _text_columns() -> list[tuple[Table, Any]]:
    return [
        (t, c)
        for t in Base.metadata.sorted_tables
        for c in t.columns
        if isinstance(c.type, String | JSON)
    ]


def _mentions(demo: Any, *words: str) -> list[str]:
    """Every text or JSON column, of every table, that still holds one of `words`."""
    hits = []
    with demo.uow() as uow:
        for t, c in _text_columns():
            text = func.lower(cast(c, SqlText))
            where = or_(*(text.contains(w.lower()) for w in words))
            n = uow.session.scalar(select(func.count()).select_from(t).where(where))
            hits += [f"{t.name}.{c.name}: {n}"] if n else []
    return hits


def _scores(demo: Any) -> tuple[list[Any], list[Any]]:
    with demo.uow() as uow:
        s = uow.session.execute(
            select(
                Score.employee_id, Score.period_id, Score.total, Score.band, Score.frozen
            ).order_by(Score.employee_id, Score.period_id)
        ).all()
        lines = uow.session.execute(
            select(ScoreLine).order_by(ScoreLine.employee_id, ScoreLine.period_id, ScoreLine.pos)
        ).scalars()
        return s, [(x.employee_id, x.period_id, x.pos, x.actual, x.points) for x in lines]


def test_erase_leaves_none_of_her_data_and_the_chain_verifies(
    demo, demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana_id = _lived_in(demo, demo_url, monkeypatch)
    assert _mentions(demo, ANA, NAME), "she is there before"
    before = _scores(demo)
    code, out = run("person", "erase", ANA, "--yes", "--db", demo_url)
    assert code == 1 and "is active: deactivate them first, or pass --force" in out
    assert _scores(demo) == before and _mentions(demo, ANA, NAME), "nothing was half-written"
    monkeypatch.setenv("PERFBOT_AUDIT_KEY", "k" * 32)  # the erasure is a keyed link
    monkeypatch.setenv("PERFBOT_AUDIT_ANCHOR_FILE", str(tmp_path / "anchors.jsonl"))
    assert run("audit", "anchor", "--db", demo_url)[0] == 0
    code, out = run("person", "erase", ANA, "--force", "--yes", "--db", demo_url, "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["pseudonym"] == f"erased-{ana_id}" and report["warnings"] == []
    assert _mentions(demo, ANA, NAME, "telegram:777001", "ana_on_tg") == []
    assert _scores(demo) == before, "every score and breakdown line as it was"
    with demo.uow() as uow:
        ana = uow.session.get(Employee, ana_id)
        assert (ana.name, ana.email, ana.active) == (
            f"erased-{ana_id}",
            f"erased-{ana_id}@erased.invalid",
            False,
        )
        assert (
            uow.session.scalar(select(func.count()).where(ChatIdentity.employee_id == ana_id)) == 0
        )
        erase = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.erase")
        ).one()
        assert erase.after["events"] == report["audit_events"] and erase.actor == "cli"
        cleared = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.id.in_(report["audit_events"]))
        ).all()
        assert all(e.erased and e.before is None and e.after is None for e in cleared)
        assert {e.actor for e in cleared} >= {f"erased-{ana_id}", BOSS}, (
            "others' acts keep their actor"
        )
    code, out = run("audit", "verify", "--db", demo_url)
    assert code == 0 and f"{len(report['audit_events'])} with erased content" in out, out
    assert "head matches the anchor" in out
    code, out = run("person", "erase", ANA, "--yes", "--db", demo_url)
    assert code == 1 and "no person" in out


def test_her_name_is_matched_as_words_and_only_when_nobody_else_bears_it() -> None:
    ana = Person(5, ANA, NAME, (ANA,))
    assert ana.pattern().search("thanks, ana li!") and not ana.pattern().search("Ana Lin")
    namesake = Person(5, ANA, NAME, (ANA,), name_is_hers=False)
    assert not namesake.pattern().search("Ana Li") and namesake.pattern().search(f"<{ANA}>")
