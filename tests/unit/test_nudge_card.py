"""The nudge cards and the nudge week, on plain values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from handlers.cards import Button
from handlers.nudges.card import employee_card, manager_digest
from handlers.nudges.sweep_calendar import SweepPolicy, bucket_of
from handlers.nudges.sweep_findings import Finding

NOW = datetime(2026, 11, 20, 2, tzinfo=UTC)


def finding(**kw: object) -> Finding:
    base: dict[str, object] = dict(
        goal_id=3, employee_id=5, name="Ana Li", manager_id=2, metric="sales_amount",
        label="Sales", unit="CNY", direction="higher", actual=Decimal(620000),
        target=Decimal(1500000), expected=Decimal(1000000), ratio=Decimal("62.00"),
        period_key="2026-11", ends_on="2026-11-30", bucket="2026-W47", behind_since=None,
        decision="nudge",
    )  # fmt: skip
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


class Ident:
    platform, platform_user_id, username = "slack", "U42", None


def test_one_digest_names_each_person_once_worst_goal_first_with_a_snooze_each() -> None:
    f = finding()
    tickets = finding(goal_id=4, metric="tickets", label="Tickets", unit="",
                      actual=Decimal(30), expected=Decimal(40), ratio=Decimal(75))  # fmt: skip
    zhou = finding(goal_id=9, employee_id=6, name="Zhou Yue", ratio=Decimal("47.8"),
                   actual=Decimal(478), expected=Decimal(1000), target=Decimal(2000))  # fmt: skip
    card = manager_digest([[tickets, f], [zhou]], [], {5: [Ident()]}, today=NOW)
    assert card.title == "2 people on your team are behind pace"
    assert card.lines[0] == (
        "• Zhou Yue is at 47.8% of pace on Sales: 478 of the 1,000 expected by today."
    )  # the full (display) name, never the first word
    ana = card.lines.index(
        "• Ana Li is at 62% of pace on Sales: 620,000 of the 1,000,000 expected by today."
    )
    assert card.lines[ana + 1] == "Also behind: Tickets at 75%."
    assert card.lines[ana + 2] == "880,000 to go to reach the 1,500,000 CNY target by 30 Nov."
    assert [(b.action, b.value) for b in card.buttons] == [
        ("sc", "6"), ("nd:msg", "6"), ("nd:snzp", "6"),
        ("sc", "5"), ("nd:msg", "5"), ("nd:snzp", "5"),
    ]  # fmt: skip
    assert card.buttons[4].label == "Message Ana Li"
    assert card.buttons[4].chat == (("slack", "U42", ""),) and card.buttons[1].chat == ()
    assert [b.label for b in card.buttons if b.action == "nd:snzp"] == [
        "Snooze Zhou Yue 1 week", "Snooze Ana Li 1 week"
    ]  # fmt: skip


def test_lower_is_better_and_behind_since_and_the_softer_card() -> None:
    since = datetime(2026, 11, 12, tzinfo=UTC)
    bugs = finding(metric="bug_rate", label="Bug rate", unit="%", direction="lower",
                   actual=Decimal("7.5"), target=Decimal(5), expected=None,
                   ratio=Decimal("66.67"), behind_since=since)  # fmt: skip
    card = manager_digest([[bugs]], [], {}, today=NOW)
    assert card.title == "Ana Li is behind pace on Bug rate"
    assert card.lines[0] == "• Ana Li is at 66.7% on Bug rate: 7.5% against a target of at most 5%."
    assert card.lines[-1] == "Behind pace since 12 Nov."
    own = employee_card([finding()])
    assert own.title == "You're behind pace on Sales"
    assert own.lines == (
        "You're at 62% of pace: 620,000 of the 1,000,000 expected by today.",
        "There's time to catch up: 880,000 to go by 30 Nov. Your manager can help.",
    )
    assert [b.action for b in own.buttons] == ["sc"]


def test_a_digest_of_reminders_only() -> None:
    confirm = Button("Confirm #7", "gl:cf", "7", "primary")
    card = manager_digest([], [("Confirm Ana Li's target on Sales.", (confirm,))], {}, today=NOW)
    assert card.title == "Waiting for you"
    assert card.lines == ("• Confirm Ana Li's target on Sales.",)
    assert card.buttons == (confirm,) and card.footnote == ""


def test_nudge_weeks_and_holidays_by_branch() -> None:
    assert bucket_of(date(2026, 11, 16)) == bucket_of(date(2026, 11, 22)) == "2026-W47"
    assert bucket_of(date(2026, 11, 23)) == "2026-W48"
    assert bucket_of(date(2027, 1, 1)) == "2026-W53"  # ISO years, not calendar years
    two = {bucket_of(date(2026, 11, 2) + (date(2026, 1, 8) - date(2026, 1, 1)) * w, 2)
           for w in range(4)}  # fmt: skip
    assert len(two) == 2  # four weeks, two blocks of two
    policy = SweepPolicy(holidays={"all": [date(2026, 12, 25)], "Berlin": [date(2026, 10, 3)]})
    assert policy.holidays_for("Berlin") == {date(2026, 12, 25), date(2026, 10, 3)}
    assert policy.holidays_for("Singapore") == {date(2026, 12, 25)}
