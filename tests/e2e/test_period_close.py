"""A safe close (R9): the preview, calibration, cohorts, refusals (CLI, scheduler, chat) and
each person's result card, on the demo company."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from bot import scheduler_jobs as jobs
from bot.bootstrap import build
from bot.cli import main
from bot.config import BUNDLED
from bot.console.app import ConsoleSession
from handlers.closing.close import close_period
from handlers.closing.outcomes import period_results, person_result
from handlers.nudges.sweep_calendar import SweepPolicy
from store.models import AuditEvent, Calibration, Employee, IncentiveFlag, Outbox, Period, Score

HR_HQ, HR_SG, ANA = "zhao.min@acme.example", "cheryl.tan@acme.example", "ana.li@acme.example"


def run(rt, *args: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, [*args, "--db", rt.settings.database_url])
    return result.exit_code, result.output


def as_(rt, email: str) -> ConsoleSession:  # type: ignore[no-untyped-def]
    return ConsoleSession(rt.dispatcher, rt.uow, email)


def empty_period(rt, key: str = "2026-07") -> None:  # type: ignore[no-untyped-def]
    """A month with no data at all, as after importing an empty history."""
    with rt.uow() as uow:
        uow.session.add(
            Period(key=key, kind="month", starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 31))
        )
        uow.commit()


def status(rt, key: str) -> str:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return uow.session.scalar(select(Period.status).where(Period.key == key))


def outbox(rt, kind: str) -> list[Outbox]:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return list(uow.session.scalars(select(Outbox).where(Outbox.kind == kind)))


def audits(rt, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with rt.uow() as uow:
        return list(uow.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_closing_an_empty_period_is_refused_with_who_lacks_what(demo):
    empty_period(demo)
    code, out = run(demo, "period", "close", "2026-07")
    assert code == 1
    assert "Period 2026-07 was not closed: no scores" in out
    assert "Manager rating: 33 without data" in out and "Sales: 13 without data" in out
    assert status(demo, "2026-07") == "open"
    with demo.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(IncentiveFlag)) == 0
        pid = uow.session.scalar(select(Period.id).where(Period.key == "2026-07"))
        assert uow.session.scalar(select(func.count()).where(Score.period_id == pid)) == 0
    assert outbox(demo, "period.result") == []
    (refused,) = audits(demo, "period.close.refused")
    assert refused.actor == "cli" and refused.after["scored"] == 0


def test_a_running_period_is_not_closed(demo):
    code, out = run(demo, "period", "close", "2026-11")  # at NOW, 20 November
    assert code == 1 and "the period runs until 2026-11-30 in some branch" in out


def test_close_is_refused_below_the_coverage_threshold(demo, monkeypatch):
    monkeypatch.setenv("PERFBOT_NOW", "2026-12-02T02:00:00+00:00")  # November is over everywhere
    # 2026-11 has no ratings yet, and Sales SEA's revenue targets are still only proposed.
    monkeypatch.setenv("PERFBOT_CLOSE_MIN_COVERAGE", "80")
    code, out = run(demo, "period", "close", "2026-11")
    assert code == 1 and "only 76.7% of the scorecards' weight has data; closing needs 80%" in out
    assert "Manager rating: 33 without data (Ana Li" in out
    assert "Sales: 6 without data (Raj Kumar" in out
    monkeypatch.setenv("PERFBOT_CLOSE_MIN_COVERAGE", "75")
    assert run(demo, "period", "close", "2026-11")[0] == 0
    monkeypatch.setenv("PERFBOT_CLOSE_MIN_COVERAGE", "120")
    code, out = run(demo, "period", "preview", "2026-10")
    assert code == 1 and "close_min_coverage" in out  # a bad setting names itself


def test_the_scheduler_never_closes_an_empty_period_and_tells_hr_once_a_day(demo, clock):
    empty_period(demo)
    jobs.install(jobs.JobContext(demo, SweepPolicy(), None))
    try:
        outcome = jobs.run_job("period_close")
        assert "refused 2026-07 (HR told: 3)" in outcome and "closed 2026-10" in outcome
        assert jobs.run_job("period_close") == "refused 2026-07 (HR told: 0)"  # same day
        clock.now += timedelta(days=1)
        assert jobs.run_job("period_close") == "refused 2026-07 (HR told: 3)"
    finally:
        jobs.install(None)
    assert status(demo, "2026-07") == "open" and status(demo, "2026-10") == "closed"
    told = outbox(demo, "period.close_refused")
    assert len(told) == 6 and len({o.dedupe_key for o in told}) == 6
    card = told[0].payload
    assert card["title"] == "Period 2026-07 was not closed"
    assert any("no scores" in line for line in card["lines"])
    assert any("/period close 2026-07" in line for line in card["lines"])
    assert {a.actor for a in audits(demo, "period.close.refused")} == {"scheduler"}


def test_preview_as_text_and_json_changes_nothing(demo):
    code, out = run(demo, "period", "preview", "2026-10")
    assert code == 0
    assert "By scorecard:\n  Engineer: 7 of 7 scored, average" in out
    assert "By branch:" in out and "  Berlin: 7 of 7 scored" in out
    assert (
        "bonus (1):\n  Lin Xiu (Sales rep, 111.1): rank 1 of 13 in Sales rep; top 10% is rank 1"
        in out
    )
    assert "Weight with data: 100% (closing needs 80%)" in out
    code, out = run(demo, "period", "preview", "2026-11", "--json")
    data = json.loads(out)
    assert code == 0 and not data["closable"] and data["people"] == 33  # November still runs
    assert data["coverage"] == "76.7" and len(data["blockers"]) == 2
    assert {g["name"] for g in data["by_scorecard"]} == {
        "Engineer", "Production worker", "Sales rep", "Support agent",
    }  # fmt: skip
    assert {g["name"] for g in data["by_branch"]} == {"Berlin", "Shanghai HQ", "Singapore"}
    ana = next(m for m in data["missing"] if m["email"] == ANA)
    assert ana["dimensions"] == ["Manager rating"]
    row = next(r for r in data["results"] if r["email"] == ANA)
    bonus = row["outcomes"][0]
    assert bonus["cohort"] == ["Sales rep"] and bonus["of"] == 13 and bonus["cutoff"] == 1
    assert status(demo, "2026-10") == "open" and audits(demo, "period.close") == []
    assert run(demo, "period", "preview", "2099-01")[0] == 1


def test_calibration_keeps_both_values_is_audited_and_counts(demo):
    code, out = run(
        demo, "period", "calibrate", "2026-10", ANA, "112.5", "--reason", "the Q3 deal landed"
    )
    assert code == 0 and "Final result 112.5 (excellent)" in out
    with demo.uow() as uow:
        ana = uow.session.scalar(select(Employee).where(Employee.email == ANA))
        pid = uow.session.scalar(select(Period.id).where(Period.key == "2026-10"))
        cal = uow.session.scalar(select(Calibration).where(Calibration.employee_id == ana.id))
        computed = uow.session.scalar(
            select(Score.total).where(Score.employee_id == ana.id, Score.period_id == pid)
        )
    assert cal.final_total == Decimal("112.5") and cal.computed_total == computed != cal.final_total
    assert cal.by == "cli" and cal.reason == "the Q3 deal landed"
    (event,) = audits(demo, "score.calibrate")
    assert event.before == {"computed_total": str(computed), "final_total": str(computed)}
    assert event.after["final_total"] == "112.50" and event.after["reason"] == "the Q3 deal landed"
    # The final (calibrated) total ranks: Ana now leads the sales reps.
    report = close_period("2026-10", uow=demo.uow(), scoring=demo.scoring, actor="t")
    assert [(e, r) for e, r, _ in report.flags if r == "bonus"] == [(ANA, "bonus")]
    (card,) = [o.payload for o in outbox(demo, "period.result") if o.recipient_id == ana.id]
    assert card["lines"][:2] == [
        "Score 112.5 (excellent)",
        f"Calibrated by HR from {computed.normalize():f} to 112.5: the Q3 deal landed",
    ]
    code, out = run(demo, "period", "calibrate", "2026-10", ANA, "90", "--reason", "late")
    assert code == 1 and "is closed" in out


def test_calibration_bad_input_is_refused(demo):
    bad = [
        (("2026-10", ANA, "300"), "between 0 and 200"),
        (("2026-10", ANA, "lots"), "is not a number"),
        (("2026-10", "nobody@acme.example", "80"), "nobody is"),
        (("2099-01", ANA, "80"), "has not been set up"),
    ]
    for args, problem in bad:
        code, out = run(demo, "period", "calibrate", *args, "--reason", "why")
        assert code == 1 and problem in out, out
    code, out = run(demo, "period", "calibrate", "2026-10", ANA, "80", "--reason", "  ")
    assert code == 1 and "needs a reason" in out
    assert audits(demo, "score.calibrate") == []


def test_result_cards_name_the_cohort_and_the_rank(demo):
    report = close_period("2026-10", uow=demo.uow(), scoring=demo.scoring, actor="t")
    assert report.frozen == 33 and report.result_cards == 33 and report.hr_notified == 3
    cards = {o.recipient_id: o for o in outbox(demo, "period.result")}
    assert len(cards) == 33
    with demo.uow() as uow:
        ana = uow.session.scalar(select(Employee.id).where(Employee.email == ANA))
        lena = uow.session.scalar(
            select(Employee.id).where(Employee.email == "lena.fischer@acme.example")
        )
    lines = cards[ana].payload["lines"]
    assert lines[0].startswith("Score ") and lines[0].endswith("(excellent)")
    assert lines[1] == "bonus: no — rank 6 of 13 in Sales rep; top 10% is rank 1"
    assert lines[2].startswith("promotion candidate: no — 1st excellent month in a row; needs 3")
    engineer = cards[lena].payload["lines"][1]
    assert engineer.endswith("of 7 in Engineer; top 10% is nobody in a group this small")
    assert cards[ana].dedupe_key.startswith("result:") and f":{ana}:" in cards[ana].dedupe_key


def test_per_branch_cohorts_when_configured(demo, clock, tmp_path: Path):
    text = (BUNDLED / "scoring.yaml").read_text(encoding="utf-8")
    path = tmp_path / "scoring.yaml"
    path.write_text(
        text.replace("percent: 10, cohort: scorecard}", "percent: 20, cohort: scorecard_branch}")
    )
    rt = build(demo.settings.model_copy(update={"scoring": path}), clock=clock)
    try:
        with rt.uow() as uow:
            period = uow.session.scalar(select(Period).where(Period.key == "2026-10"))
            results = period_results(uow, period, rt.scoring.config)
        cohorts = {
            o.standing.cohort: o.standing.size for r in results for o in r.outcomes if o.standing
        }
        assert cohorts[("Sales rep", "Shanghai HQ")] + cohorts[("Sales rep", "Singapore")] == 13
        assert ("Engineer", "Berlin") in cohorts and ("Sales rep",) not in cohorts
        report = close_period("2026-10", uow=rt.uow(), scoring=rt.scoring, actor="t")
        reasons = [why for _, rule, why in report.flags if rule == "bonus"]
        assert any("in Sales rep · Singapore;" in why for why in reasons)
        assert any("in Sales rep · Shanghai HQ;" in why for why in reasons)
    finally:
        rt.engine.dispose()


def test_promotion_counts_only_closed_months_in_a_row(demo):
    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).where(Period.key == "2026-10"))
        open_before = [r for r in period_results(uow, period, demo.scoring.config)]
    assert not any(o.qualified for r in open_before for o in r.outcomes if o.rule != "bonus")
    for key in ("2026-08", "2026-09"):
        close_period(key, uow=demo.uow(), scoring=demo.scoring, actor="t")
    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).where(Period.key == "2026-10"))
        results = period_results(uow, period, demo.scoring.config)
    promoted = [o for r in results for o in r.outcomes if o.rule != "bonus" and o.qualified]
    assert promoted and all(
        o.reason == "3rd excellent month in a row" and o.run == 3 for o in promoted
    )


def test_one_persons_outcome_is_recomputed_against_the_frozen_cohort(demo):
    close_period("2026-10", uow=demo.uow(), scoring=demo.scoring, actor="t")
    with demo.uow() as uow:
        period = uow.session.scalar(select(Period).where(Period.key == "2026-10"))
        ana = uow.session.scalar(select(Employee.id).where(Employee.email == ANA))
        again = person_result(uow, period, ana, demo.scoring.config)
        everyone = {r.row.employee_id: r for r in period_results(uow, period, demo.scoring.config)}
    assert again == everyone[ana] and again.outcomes[0].standing.rank == 6


def test_hr_closes_from_chat_after_the_preview(demo):
    hr = as_(demo, HR_HQ)
    preview = hr.handle("/period")  # the oldest ended open month
    card = preview.cards[0]
    assert preview.ok and card.title == "Period 2026-08 · before close"
    preview = hr.handle("/period close 2026-10")
    (button,) = preview.cards[0].buttons
    assert button.action == "pd:cl" and button.label == "Close 2026-10"
    assert status(demo, "2026-10") == "open"  # the preview alone closes nothing
    done = hr.handle(f"press pd:cl {button.value}")
    assert done.ok and done.cards[0].title == "Period 2026-10 closed"
    assert "33 result cards" in done.cards[0].lines[0]
    results = [n for n in done.notices if n.card.title == "Your result · 2026-10"]
    assert len(results) == 33 and status(demo, "2026-10") == "closed"
    (closed,) = audits(demo, "period.close")
    assert closed.actor == HR_HQ
    again = hr.handle(f"press pd:cl {button.value}")
    assert not again.ok and "already closed" in again.cards[0].lines[0]
    shown = hr.handle("/period 2026-10").cards[0]
    assert shown.title == "Period 2026-10 · closed results" and shown.buttons == ()


def test_chat_close_of_an_empty_period_is_refused_with_the_reason(demo):
    empty_period(demo)
    hr = as_(demo, HR_HQ)
    card = hr.handle("/period 2026-07").cards[0]
    assert card.buttons == () and any(
        line.startswith("Close is refused: no scores") for line in card.lines
    )
    with demo.uow() as uow:
        pid = uow.session.scalar(select(Period.id).where(Period.key == "2026-07"))
    pressed = hr.handle(f"press pd:cl {pid}")  # a stale or forged button
    assert not pressed.ok and "no scores" in pressed.cards[0].lines[0]
    assert status(demo, "2026-07") == "open"
    assert [a.actor for a in audits(demo, "period.close.refused")] == [HR_HQ]


def test_non_hr_is_refused_and_audited(demo):
    with demo.uow() as uow:
        pid = uow.session.scalar(select(Period.id).where(Period.key == "2026-10"))
    for who, line in [
        (ANA, "/period"),
        ("chen.jing@acme.example", "/period close 2026-10"),
        ("chen.jing@acme.example", f"press pd:cl {pid}"),
        (HR_SG, f"press pd:cl {pid}"),  # branch HR previews, but close is company-wide
        ("chen.jing@acme.example", "/period calibrate @ana.li 2026-10 99 great"),
        (HR_SG, "/period calibrate ana.li@acme.example 2026-10 99 great"),  # not her branch
        (HR_HQ, "/period calibrate zhao.min@acme.example 2026-10 99 me"),  # never oneself
    ]:
        assert not as_(demo, who).handle(line).ok, (who, line)
    denied = audits(demo, "denied")
    assert [d.after["attempted"] for d in denied] == [
        "period.preview", "period.preview", "period.close", "period.close",
        "score.calibrate", "score.calibrate",
    ]  # fmt: skip
    assert status(demo, "2026-10") == "open"
    sg = as_(demo, HR_SG).handle("/period 2026-10").cards[0]
    assert sg.buttons == () and "  Berlin" not in "\n".join(sg.lines)


def test_hr_calibrates_from_chat(demo):
    hr = as_(demo, HR_HQ)
    reply = hr.handle("/period calibrate @ana.li 2026-10 99 closed the Q3 deal late")
    assert reply.ok and reply.cards[0].title == "Calibration · Ana Li · 2026-10"
    assert "Final result 99 (excellent)" in reply.cards[0].lines[0]
    again = hr.handle("/period calibrate ana.li@acme.example 2026-10 97.456 second look")
    assert again.ok and "Was calibrated to 99 before." in again.cards[0].lines[0]
    preview = "\n".join(hr.handle("/period 2026-10").cards[0].lines)
    assert (
        "Calibrated (1):\n  Ana Li: " in preview and "→ 97.46 (second look, by zhao.min" in preview
    )
    assert len(audits(demo, "score.calibrate")) == 2
    bad = hr.handle("/period calibrate @ana.li 2026-10 250 too much")
    assert not bad.ok and "between 0 and 200" in bad.cards[0].lines[0]
