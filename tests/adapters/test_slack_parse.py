"""Slack payloads (recorded samples) to neutral inputs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bot.slack import parse
from bot.slack.render import FORM_OPEN, SUBMIT_CALLBACK
from handlers.commands import Goals, GoalUpdate, Help, Kpi, PeriodRef, PersonRef, Praise, Score
from handlers.commands import parse as parse_command

PAYLOADS = Path(__file__).parent / "payloads"
FORM = "application/x-www-form-urlencoded"


def sample(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes().strip()


def as_form(payload: dict) -> bytes:  # type: ignore[type-arg]
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_slash_command_sample():
    cmd = parse.classify(sample("slack_slash_command.txt"), FORM)
    assert cmd == parse.SlashCommand(
        user_id="U2147483697",
        text="/appeal Q3 review",
        channel_id="C2147483705",
        trigger_id="13345224609.738474920.8088930838d88f008e0",
        response_url="https://hooks.slack.com/commands/T111/1234/5678",
    )


def test_perf_with_no_text_is_help_for_the_parser():
    body = urlencode({"command": "/perf", "text": "", "user_id": "U1"}).encode()
    cmd = parse.classify(body, FORM)
    assert isinstance(cmd, parse.SlashCommand) and parse_command(cmd.text) == Help()


ANA = PersonRef("chat", "U0G9QF9C6", "slack")
ANA_MAIL = PersonRef("email", "ana@example.com")


def _command(command: str, text: str) -> object:
    """What the command parser makes of a slash command as Slack sends it."""
    sc = parse.slash_command({"command": command, "text": text, "user_id": "U1"})
    return parse_command(sc.text)


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("/perf", "goals", Goals()),
        ("/perf", "help kpi", Help("kpi")),
        ("/PERF", "score", Score()),
        ("/goals", "<@U0G9QF9C6>", Goals(ANA)),
        ("/goals", "<@U0G9QF9C6|alice>", Goals(ANA)),
        ("/perf", "score 2026-Q4 <@U0G9QF9C6|alice>", Score(ANA, PeriodRef("quarter", 2026, 4))),
        ("/goals", "<mailto:ana@example.com|ana@example.com>", Goals(ANA_MAIL)),
        (
            "/kpi",
            "<mailto:ana@example.com|ana@example.com> sales 1 x",
            Kpi(ANA_MAIL, "sales", Decimal(1), "x"),
        ),
        (
            "/praise",
            "<@U0G9QF9C6|alice> thanks, <@W123ABC|bob> too",
            Praise(ANA, "thanks, <@slack:W123ABC> too", ()),
        ),
        (
            "/goals",
            "update 3 100 <https://pm.example.com/t?a=1&amp;b=2|ticket> done",
            GoalUpdate(3, Decimal(100), "https://pm.example.com/t?a=1&b=2", "done"),
        ),
        (
            "/goals",
            "update 3 100 https://pm.example.com/t?a=1&amp;b=2 done",
            GoalUpdate(3, Decimal(100), "https://pm.example.com/t?a=1&b=2", "done"),
        ),
    ],
)
def test_mentions_links_and_perf_become_the_neutral_language(command, text, expected):
    assert _command(command, text) == expected


def test_slack_wrappers_are_gone_from_the_text_handlers_see():
    sc = parse.slash_command({"command": "/perf", "text": "score <@U1|ana>", "user_id": "U1"})
    assert sc.text == "score <@slack:U1>"
    assert parse.neutral_text("<#C024BE7LR|general> <!here>") == "#general @here"


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("<#C024BE7LR|general>", "#general"),
        ("<#C024BE7LR>", "#C024BE7LR"),
        ("<!channel> <!everyone|everyone>", "@channel @everyone"),
        ("<!subteam^SAZ94GDB8|@sales-team>", "@sales-team"),
        ("<!subteam^SAZ94GDB8>", "@SAZ94GDB8"),
        ("<!date^1392734382^{date_short}|Feb 18, 2014 &amp; later>", "Feb 18, 2014 & later"),
        ("<!date^1392734382^{date}>", "<!date^1392734382^{date}>"),
        ("<!unknown>", "<!unknown>"),
    ],
)
def test_channels_groups_and_dates_read_as_typed(sent, typed):
    """Slack's formatting reference: https://api.slack.com/reference/surfaces/formatting"""
    assert parse.neutral_text(sent) == typed


def test_block_actions_sample():
    data = json.loads(sample("slack_block_actions.json"))
    bp = parse.classify(as_form(data), FORM)
    assert isinstance(bp, parse.ButtonPress)
    assert (bp.user_id, bp.action_id, bp.press.action, bp.press.value) == (
        "U2147483697",
        "appeal_open",
        "appeal_open",
        "appeal-42",
    )
    assert (bp.container, bp.channel_id, bp.message_ts, bp.ephemeral) == (
        "message",
        "D111",
        "1700000000.000200",
        False,
    )
    assert bp.trigger_id == "111.222.trigger" and len(bp.blocks) == 2
    assert bp.response_url == "https://hooks.slack.com/actions/T111/1234/abcd"


@pytest.mark.parametrize(
    "action_id, value, action",
    [
        ("gl:ack:12", "12", "gl:ack"),
        ("ex:sales_amount.5.4", "sales_amount.5.4", "ex"),
        ("hm", "", "hm"),
        ("ap:acc:7", "8", "ap:acc:7"),  # value not the suffix: the id is the action
        (f"{FORM_OPEN}:0a1b2c", '{"title":"x"}', FORM_OPEN),
    ],
)
def test_action_ids_are_button_callbacks(action_id, value, action):
    press = parse.press_for(action_id, value)
    assert press.action == action and press.value == value


def test_view_submission_sample_of_another_app_is_left_to_bolt():
    data = json.loads(sample("slack_view_submission.json"))
    assert parse.classify(as_form(data), FORM) == parse.Other("view_submission")


def test_our_view_submission_carries_action_value_form_and_origin():
    data = json.loads(sample("slack_view_submission.json"))
    origin = parse.ButtonPress("U1", "ap:rej:4", parse.press_for("ap:rej:4", "4"), "t", "message",
                               "D111", "1700.1", True, "https://hooks/x")  # fmt: skip
    data["view"]["callback_id"] = SUBMIT_CALLBACK
    data["view"]["private_metadata"] = parse.form_metadata("ap:rej", "4", origin)
    sub = parse.classify(as_form(data), FORM)
    assert isinstance(sub, parse.FormSubmission)
    assert sub.press.action == "ap:rej" and sub.press.value == "4"
    assert sub.press.form == {"reason": "My Q3 rating ignored the migration project"}
    assert sub.origin == {
        "c": "D111",
        "t": "1700.1",
        "e": True,
        "u": "https://hooks/x",
        "i": "ap:rej:4",
    }


def test_app_home_opened_sample():
    found = parse.classify(sample("slack_app_home_opened.json"), "application/json")
    assert found == parse.HomeOpened(user_id="U061F7AUR", event_id="Ev0HOME0001")


@pytest.mark.parametrize(
    "body",
    [
        b"payload=%7B",
        b"\xff",
        b"[]",
        b'{"type": "block_actions", "user": {"id": "U1"}, "actions": [{}]}',
        b'{"type": "block_actions", "user": "U1", "actions": [{"action_id": "x"}]}',
        b'{"type": "event_callback", "event": {"type": "app_home_opened"}, "event_id": "E"}',
        b'{"type": "event_callback", "event": {"type": "message"}}',
        b'{"type": "nope"}',
        b"command=%2Fscore",
    ],
)
def test_malformed(body):
    assert isinstance(parse.classify(body, FORM), parse.Malformed)


def test_metadata_too_long_drops_the_origin():
    long = parse.ButtonPress("U1", "a", parse.press_for("a", ""), "t", "message", "C", "1", True,
                             "https://x/" + "y" * 4000)  # fmt: skip
    meta = json.loads(parse.form_metadata("ap:rej", "4", long))
    assert meta == {"a": "ap:rej", "v": "4", "o": {}}


def test_text_is_unescaped_once_on_the_way_in():
    # What Slack sends when someone types: praise @ana for Li & Sons <big> deal
    sent = "praise <@U1|ana> for Li &amp; Sons &lt;big&gt; deal"
    assert parse.neutral_text(sent) == "praise <@slack:U1> for Li & Sons <big> deal"
    # ...and when someone types "&amp;" literally: it stays as typed, not "&"
    assert parse.neutral_text("R&amp;amp;D") == "R&amp;D"
    assert parse.neutral_text("<https://x.example/?a=1&amp;b=2|label>") == (
        "https://x.example/?a=1&b=2"
    )


def test_a_static_select_submits_its_selected_options_value():
    data = json.loads(sample("slack_view_submission.json"))
    data["view"]["callback_id"] = SUBMIT_CALLBACK
    data["view"]["private_metadata"] = parse.form_metadata("ap:new", "3", None)
    picked = {
        "text": {"type": "plain_text", "text": "销售额", "emoji": True},
        "value": "sales_amount",
    }
    data["view"]["state"]["values"]["metric"] = {
        "v": {"type": "static_select", "selected_option": picked}
    }
    data["view"]["state"]["values"]["other"] = {
        "v": {"type": "static_select", "selected_option": None}
    }
    sub = parse.classify(as_form(data), FORM)
    assert isinstance(sub, parse.FormSubmission)
    assert sub.press.form["metric"] == "sales_amount" and sub.press.form["other"] == ""
