"""The at-risk sweep on a crafted population, checked against scoring.pace in plain Python."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from handlers.nudges.sweep import run_sweep
from handlers.nudges.sweep_calendar import SweepPolicy, bucket_of
from store.models import AuditEvent, Goal, NudgeState, Outbox, Team
from tests.integration.sweep.population import NOW, Org, period, reference

HOLIDAYS = {"Berlin": {date(2026, 11, 20)}, "Singapore": {date(2026, 11, 9)}}
POLICY = SweepPolicy(
    thresholds={"tickets_solved": Decimal("85.5")},
    holidays=HOLIDAYS,  # type: ignore[arg-type]
)
D = date(2026, 11, 3)  # a day early in the month, for facts


@pytest.fixture
def org(runtime, clock) -> Org:  # type: ignore[no-untyped-def]
    clock.now = NOW
    with runtime.uow() as uow:
        o = Org(uow)
        o.period_id = period(uow)
        for name, tz in [
            ("Shanghai HQ", "Asia/Shanghai"),
            ("Berlin", "Europe/Berlin"),
            ("Singapore", "Asia/Singapore"),
            ("Kiribati", "Pacific/Kiritimati"),
        ]:
            o.branch(name, tz)
        o.person("Chen Jing", "Shanghai HQ", role="manager")
        sh = [("behind", "400000"), ("ahead", "900000"), ("on leave", "100000"),
              ("leave other day", "100000"), ("recovered", "800000"), ("nudged", "300000"),
              ("snoozed", "300000"), ("edge in", "571392.85"), ("edge out", "571392.86"),
              ("on pace", "571428.57")]  # fmt: skip
        for who, sales in sh:
            name = who.title()
            o.person(name, "Shanghai HQ", "Chen Jing")
            o.goal(who, name, "sales_amount", "1000000")
            o.fact(name, "sales_amount", sales, D)
        o.person("Zero Sales", "Shanghai HQ", "Chen Jing")
        o.goal("zero", "Zero Sales", "sales_amount", "1000000")
        o.fact("On Leave", "leave_days", "1", date(2026, 11, 20))
        o.fact("Leave Other Day", "leave_days", "1", date(2026, 11, 19))
        o.state("recovered", behind_since=NOW - timedelta(days=9), last_bucket="2026-W46")
        o.state("nudged", behind_since=NOW - timedelta(days=2), last_bucket="2026-W47")
        o.state("snoozed", snoozed_until=NOW + timedelta(days=3))
        # Other metrics: a custom threshold, lower-is-better, averages, proposed, inactive.
        o.goal("tickets", "Behind", "tickets_solved", "100")
        o.fact("Behind", "tickets_solved", "60", D)  # 60 / 71.43 = 84% < 85.5
        o.goal("defects bad", "Ahead", "defect_rate", "2", direction="lower")
        o.fact("Ahead", "defects", "30", D)
        o.fact("Ahead", "output_units", "1000", D)  # 3% vs 2% -> 66.67
        o.goal("defects ok", "Nudged", "defect_rate", "2.5", direction="lower")
        o.fact("Nudged", "defects", "24", D)
        o.fact("Nudged", "output_units", "1000", D)  # 2.4% vs 2.5% -> 104
        o.goal("deals", "Behind", "deals_won", "10")  # counts facts: 1 of 7.14 expected
        o.goal("csat", "Behind", "csat", "90")  # an average: never prorated
        o.fact("Behind", "csat_bad", "9", D)
        o.goal("proposed", "Ahead", "sales_amount", "9000000", status="proposed")
        o.person("Gone", "Shanghai HQ", "Chen Jing", active=False)
        o.goal("inactive", "Gone", "sales_amount", "1000000")
        # No manager at all, and a team manager standing in for a missing line manager.
        o.person("Loner", "Shanghai HQ")
        o.goal("loner", "Loner", "sales_amount", "1000000")
        o.person("Team Boss", "Shanghai HQ", role="manager")
        team = Team(name="T", branch_id=o.branches["Shanghai HQ"], manager_id=o.people["Team Boss"])
        uow.session.add(team)
        uow.session.flush()
        o.person("Team Member", "Shanghai HQ", team_id=team.id)
        o.goal("team member", "Team Member", "sales_amount", "1000000")
        # Branches: a holiday today, a holiday earlier (fewer business days), a weekend.
        o.person("Berta", "Berlin", "Chen Jing")
        o.goal("berlin", "Berta", "sales_amount", "1000000")
        o.person("Sam", "Singapore", "Chen Jing")
        o.goal("singapore", "Sam", "sales_amount", "1000000")
        o.fact("Sam", "sales_amount", "560000", D)  # 560k / 700k (14 of 20 days) = 80% exactly
        o.person("Kai", "Kiribati", "Chen Jing")
        o.goal("weekend", "Kai", "sales_amount", "1000000")
        uow.commit()
    return o


def by_goal(report):  # type: ignore[no-untyped-def]
    return {f.goal_id: f for f in report.findings}


def test_dry_run_matches_the_python_reference_and_writes_nothing(runtime, org):
    report = run_sweep(uow=runtime.uow(), scoring=runtime.scoring, policy=POLICY, dry_run=True)
    g, got = org.goals, by_goal(report)
    decisions = {k: got[i].decision for k, i in g.items() if i in got}
    assert decisions == {
        "behind": "nudge",
        "leave other day": "nudge",
        "nudged": "already nudged",
        "snoozed": "snoozed",
        "edge in": "nudge",
        "zero": "nudge",
        "tickets": "nudge",
        "deals": "nudge",
        "defects bad": "nudge",
        "recovered": "recovered",
        "loner": "no manager",
        "team member": "nudge",
    }
    specs = {s.name: s for s in runtime.scoring.specs}
    with runtime.uow() as uow:
        want = reference(
            uow, specs, HOLIDAYS, NOW, POLICY.threshold, dict(POLICY.thresholds), Decimal("0.2")
        )
    behind = {f.goal_id: f.ratio for f in report.findings if f.decision != "recovered"}
    assert behind == want
    assert got[g["behind"]].ratio == Decimal("56.00") and got[g["zero"]].ratio == Decimal("0.00")
    assert got[g["behind"]].expected == Decimal("714285.71")
    assert got[g["defects bad"]].ratio == Decimal("66.67")
    assert got[g["team member"]].manager_id == org.people["Team Boss"]
    assert {(s.branch, s.reason) for s in report.skipped} == {
        ("Berlin", "holiday"),
        ("Kiribati", "weekend"),
    }
    with runtime.uow() as uow:
        for model in (Outbox, AuditEvent):
            assert uow.session.scalar(select(func.count()).select_from(model)) == 0
        assert uow.session.get(NudgeState, g["recovered"]).behind_since is not None


def test_sweep_queues_one_nudge_per_goal_per_week_and_tracks_recovery(runtime, org, clock):
    g, p = org.goals, org.people
    report = run_sweep(uow=runtime.uow(), scoring=runtime.scoring, policy=POLICY)
    assert report.count("nudge") == 8
    with runtime.uow() as uow:
        rows = {r.recipient_id: r for r in uow.session.scalars(select(Outbox))}
        # Eight goals of six people behind: one digest for each of their two managers.
        assert set(rows) == {p["Chen Jing"], p["Team Boss"]}
        card = rows[p["Chen Jing"]]
        assert card.kind == "nudge" and card.dedupe_key.startswith(f"digest:{p['Chen Jing']}:")
        lines = card.payload["lines"]
        assert card.payload["title"] == "5 people on your team are behind pace"
        assert sum(line.startswith("• ") for line in lines) == 5
        i = lines.index(
            "• Behind is at 14% of pace on Deals won: 1 of the 7.14 expected by today."
        )  # her worst goal first, the others in one line
        assert lines[i + 1] == "Also behind: Sales at 56% · Tickets solved at 84%."
        snoozed = {b["value"] for b in card.payload["buttons"] if b["action"] == "nd:snzp"}
        assert snoozed == {str(p[n]) for n in ("Behind", "Leave Other Day", "Edge In",
                                               "Zero Sales", "Ahead")}  # fmt: skip
        state = uow.session.get(NudgeState, g["behind"])
        assert state.behind_since == NOW and state.last_bucket == "2026-W47"
        assert uow.session.get(NudgeState, g["recovered"]).behind_since is None
        audit = uow.session.scalar(select(AuditEvent).where(AuditEvent.action == "sweep.run"))
        assert audit is not None and audit.after["nudged"] == 8
    again = run_sweep(uow=runtime.uow(), scoring=runtime.scoring, policy=POLICY)
    assert again.count("nudge") == 0 and again.count("already nudged") == 9
    clock.now = NOW + timedelta(days=7)  # next Friday, still behind: nudged again
    nxt = run_sweep(uow=runtime.uow(), scoring=runtime.scoring, policy=POLICY, dry_run=True)
    assert {f.goal_id for f in nxt.findings if f.decision == "nudge"} >= {g["behind"], g["nudged"]}
    assert g["recovered"] not in by_goal(nxt)  # recovered and still ahead: left alone


def test_recovered_then_behind_again_is_a_new_episode(runtime, org, clock):
    g = org.goals

    def sweep_on(days: int):  # type: ignore[no-untyped-def]
        clock.now = NOW + timedelta(days=days)
        return by_goal(run_sweep(uow=runtime.uow(), scoring=runtime.scoring, policy=POLICY))

    def set_target(value: int) -> None:
        with runtime.uow() as uow:
            uow.session.execute(
                Goal.__table__.update().where(Goal.id == g["behind"]).values(target=value)
            )
            uow.commit()

    assert sweep_on(3)[g["behind"]].decision == "nudge"  # Monday 23 Nov, week 48
    set_target(500_000)  # ...then the target is cut: back on pace
    assert sweep_on(4)[g["behind"]].decision == "recovered"
    set_target(2_000_000)  # ...and raised again: behind again, the same week
    assert sweep_on(5)[g["behind"]].decision == "already nudged"
    f = sweep_on(10)[g["behind"]]  # the next week: a new episode, nudged
    assert f.decision == "nudge" and f.behind_since == NOW + timedelta(days=5)
    with runtime.uow() as uow:
        rows = uow.session.scalars(
            select(Outbox).where(Outbox.recipient_id == org.people["Chen Jing"])
        ).all()
    named = [r.dedupe_key.split(":")[2] for r in rows if "• Behind is" in str(r.payload)]
    assert sorted(named) == ["2026-11-23", "2026-11-30"]  # weeks 48 and 49


def test_snooze_button_stops_nudges_and_employee_gets_a_softer_one(runtime, org, clock):
    from handlers.identity import actor_by_email
    from handlers.press import Press

    g = org.goals
    with runtime.uow() as uow:
        chen = actor_by_email(uow, "chen.jing@x.example")
        ana = actor_by_email(uow, "behind@x.example")
    refused = runtime.dispatcher.press(ana, Press("nd:snz", str(g["behind"])))
    assert refused.ok is False
    reply = runtime.dispatcher.press(chen, Press("nd:snz", str(g["behind"])))
    assert reply.ok and "No nudges about Behind's" in reply.cards[0].lines[0]
    whole = runtime.dispatcher.press(chen, Press("nd:snzp", str(org.people["Ahead"])))
    assert whole.ok and whole.cards[0].lines == ("No nudges about Ahead until 2026-11-27.",)
    policy = SweepPolicy(holidays=HOLIDAYS, nudge_employee=True)  # type: ignore[arg-type]
    report = run_sweep(uow=runtime.uow(), scoring=runtime.scoring, policy=policy)
    assert by_goal(report)[g["behind"]].decision == "snoozed"
    assert by_goal(report)[g["defects bad"]].decision == "snoozed"
    with runtime.uow() as uow:
        own = uow.session.scalar(
            select(Outbox).where(
                Outbox.dedupe_key.like(f"nudge-self:{org.people['Zero Sales']}:2026-11-20:%")
            )
        )
        assert own is not None and own.recipient_id == org.people["Zero Sales"]
        assert own.payload["title"] == "You're behind pace on Sales"
    msg = runtime.dispatcher.press(chen, Press("nd:msg", str(org.people["Behind"])))
    assert msg.cards[0].lines == ("E-mail: behind@x.example",)


def test_cards_name_people_by_their_display_name(runtime, org):
    from store.models import Employee

    with runtime.uow() as uow:
        uow.session.get(Employee, org.people["Zero Sales"]).display_name = "Zero S."
        uow.commit()
    run_sweep(uow=runtime.uow(), scoring=runtime.scoring, policy=POLICY)
    with runtime.uow() as uow:
        card = uow.session.scalar(
            select(Outbox).where(Outbox.recipient_id == org.people["Chen Jing"])
        )
        assert card.payload["lines"][0].startswith("• Zero S. is at 0% of pace on Sales")
        labels = [b["label"] for b in card.payload["buttons"]]
        assert "Message Zero S." in labels and "Snooze Zero S. 1 week" in labels


def test_randomised_population_agrees_with_scoring_pace(runtime, clock):
    clock.now = NOW
    rnd = random.Random(20261120)
    with runtime.uow() as uow:
        o = Org(uow)
        o.period_id = period(uow)
        o.branch("HQ", "Asia/Shanghai")
        o.person("Boss", "HQ")
        for i in range(150):
            who = f"P{i}"
            o.person(who, "HQ", "Boss")
            target = Decimal(rnd.randint(1, 10**7)) / [1, 100, 10000][rnd.randint(0, 2)]
            o.goal(f"s{i}", who, rnd.choice(["sales_amount", "tickets_solved"]), str(target))
            for _ in range(rnd.randint(0, 3)):
                o.fact(who, rnd.choice(["sales_amount", "tickets_solved"]),
                       str(Decimal(rnd.randint(0, 10**8)) / 10000 * Decimal(target) / 1000),
                       date(2026, 11, rnd.randint(1, 25)))  # fmt: skip
            o.goal(f"d{i}", who, "defect_rate", str(Decimal(rnd.randint(0, 500)) / 100), "lower")
            if rnd.random() < 0.8:
                o.fact(who, "defects", str(rnd.randint(0, 40)), D)
                o.fact(who, "output_units", str(rnd.randint(0, 1000)), D)
        uow.commit()
    policy = SweepPolicy(threshold=Decimal("97.35"), thresholds={"defect_rate": Decimal(90)})
    report = run_sweep(uow=runtime.uow(), scoring=runtime.scoring, policy=policy, dry_run=True)
    specs = {s.name: s for s in runtime.scoring.specs}
    with runtime.uow() as uow:
        want = reference(uow, specs, {}, NOW, Decimal("97.35"), {"defect_rate": Decimal(90)},
                         Decimal("0.2"))  # fmt: skip
    assert len(want) > 40
    assert {f.goal_id: f.ratio for f in report.findings} == want


def test_nudge_weeks(runtime):
    assert bucket_of(date(2026, 11, 20)) == "2026-W47"
    assert bucket_of(date(2027, 1, 1)) == "2026-W53"
    blocks = {bucket_of(date(2026, 11, 2) + timedelta(days=d), 2) for d in range(14)}
    assert len(blocks) in (1, 2) and all(b.startswith("2026-W") for b in blocks)
