"""The neutral command language: every command and every error path (each adapter's own
forms, such as Slack's `<@U…|name>` and Telegram's `/cmd@bot`, are tested with the adapter)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers import strings_en as S
from handlers.commands import (
    COMMAND_NAMES,
    Appeal,
    Cancel,
    Explain,
    GoalAck,
    Goals,
    GoalUpdate,
    Help,
    Invalid,
    Kpi,
    PeriodRef,
    PersonRef,
    Praise,
    Score,
    Start,
    Team,
    parse,
)

ANA_SLACK = PersonRef("chat", "U0G9QF9C6", "slack")
ANA_TG = PersonRef("handle", "alice_b")
ANA_MAIL = PersonRef("email", "ana@example.com")
NOV = PeriodRef("month", 2026, 11)
Q4 = PeriodRef("quarter", 2026, 4)
OCT = PeriodRef("month", 2026, 10)
D = Decimal

PARSES = [
    # Slash or not, any case.
    ("/goals", Goals()),
    ("goals", Goals()),
    ("/GOALS", Goals()),
    ("  /goals \n ", Goals()),
    ("/help perf", Help()),
    ("", Help()),
    ("/", Help()),
    # People: a chat user (as adapters write mentions), a handle, an e-mail.
    ("/goals <@slack:U0G9QF9C6>", Goals(ANA_SLACK)),
    ("/goals @alice_b", Goals(ANA_TG)),
    ("/goals @a", Goals(PersonRef("handle", "a"))),
    ("/goals @Alice_B", Goals(PersonRef("handle", "Alice_B"))),
    ("/goals <@telegram:12345>", Goals(PersonRef("chat", "12345", "telegram"))),
    ("/goals Ana@Example.com", Goals(ANA_MAIL)),
    # Periods, in any order with the person.
    ("/goals 2026-11", Goals(period=NOV)),
    ("/goals 2026-Q4", Goals(period=Q4)),
    ("/goals 2026-q4", Goals(period=Q4)),
    ("/goals ２０２６－Ｑ４", Goals(period=Q4)),
    ("/goals 2026", Goals(period=PeriodRef("year", 2026))),
    ("/goals last", Goals(period=PeriodRef("last"))),
    ("/goals current", Goals(period=PeriodRef("current"))),
    ("/goals This", Goals(period=PeriodRef("current"))),
    ("/goals @alice_b 2026-11", Goals(ANA_TG, NOV)),
    ("/goals 2026-11 @alice_b", Goals(ANA_TG, NOV)),
    # /goals update and ack.
    ("/goals update 12 80%", GoalUpdate(12, D(80), None, "")),
    ("/goals update 12 80", GoalUpdate(12, D(80), None, "")),
    ("/goals UPDATE #12 ８０％", GoalUpdate(12, D(80), None, "")),
    (
        "/goals update 12 12.5% two of eight shipped",
        GoalUpdate(12, D("12.5"), None, "two of eight shipped"),
    ),
    (
        "/goals update 3 0 https://crm.example.com/d/9",
        GoalUpdate(3, D(0), "https://crm.example.com/d/9", ""),
    ),
    (
        "/goals update 3 100 https://pm.example.com/t?a=1&b=2 done\nfinally",
        GoalUpdate(3, D(100), "https://pm.example.com/t?a=1&b=2", "done\nfinally"),
    ),
    (
        "/goals update 3 50 see <https://x.example.com>",
        GoalUpdate(3, D(50), None, "see <https://x.example.com>"),
    ),
    ("/goals ack", GoalAck(None)),
    ("/goals ack 7", GoalAck(7)),
    ("/goals ack 7 thanks", GoalAck(7)),
    # /score with what-if.
    ("/score", Score()),
    ("/score 2026-Q4 <@slack:U0G9QF9C6>", Score(ANA_SLACK, Q4)),
    ("/score 2026-11 @alice_b", Score(ANA_TG, NOV)),
    ("/score @alice_b 2026-11", Score(ANA_TG, NOV)),
    ("/score what-if sales 120k", Score(what_if=(("sales", D(120000)),))),
    (
        "/score @alice_b What-If Sales 1.2m csat 4.5 last",
        Score(ANA_TG, PeriodRef("last"), (("Sales", D(1200000)), ("csat", D("4.5")))),
    ),
    # A metric is kept as typed (a key, a label, a translated label): the use case resolves it.
    ("/score 假设 销售额 12万", Score(what_if=(("销售额", D(120000)),))),
    (
        '/score what-if "Customer  satisfaction" 4.5',
        Score(what_if=(("Customer satisfaction", D("4.5")),)),
    ),
    ("/score whatif margin -3", Score(what_if=(("margin", D(-3)),))),
    # /explain, metric anywhere among person and period.
    ("/explain sales", Explain("sales")),
    ("/explain Sales <@slack:U0G9QF9C6> 2026-11", Explain("Sales", ANA_SLACK, NOV)),
    ("/explain 销售额", Explain("销售额")),
    ("/解释 ｓａｌｅｓ＿ａｍｏｕｎｔ 2026-11", Explain("sales_amount", period=NOV)),
    ('/explain "Customer satisfaction" @alice_b', Explain("Customer satisfaction", ANA_TG)),
    ("/explain “Customer satisfaction” 2026-11", Explain("Customer satisfaction", period=NOV)),
    ("/explain 「客户 满意度」", Explain("客户 满意度")),
    ("/explain sales%", Explain("sales%")),
    ("/explain 2026-11 @alice_b bug_rate", Explain("bug_rate", ANA_TG, NOV)),
    # /praise keeps the text as typed; tags lowercased, deduplicated, in order.
    ("/praise @alice_b closed ACME", Praise(ANA_TG, "closed ACME", ())),
    (
        "/praise <@slack:U0G9QF9C6> closed #ACME with #TeamWork, #acme again",
        Praise(ANA_SLACK, "closed #ACME with #TeamWork, #acme again", ("acme", "teamwork")),
    ),
    ("/praise @alice_b, great job!", Praise(ANA_TG, "great job!", ())),
    (
        "/praise @alice_b thanks in <#C024BE7LR|general>",
        Praise(ANA_TG, "thanks in <#C024BE7LR|general>", ()),
    ),
    ("/praise @alice_b 帮了大忙 #团队", Praise(ANA_TG, "帮了大忙 #团队", ("团队",))),
    # /appeal: alone lists mine. The Slack and Telegram samples both send "/appeal Q3 review".
    ("/appeal", Appeal(None, "")),
    ("/appeal Q3 review", Appeal("Q3", "review")),
    ("/申诉 销售额 2026-11 两笔订单没有计入", Appeal("销售额", "两笔订单没有计入", NOV)),
    (
        '/appeal "Collection rate" the "late" invoice',
        Appeal("Collection rate", 'the "late" invoice'),
    ),
    ("/appeal sales two deals\nare missing", Appeal("sales", "two deals\nare missing")),
    # A period right after the metric; a reason may start with a number all the same.
    ("/appeal sales_amount 2026-11 D-7 is missing", Appeal("sales_amount", "D-7 is missing", NOV)),
    ("/appeal sales 2026-Q4 two deals", Appeal("sales", "two deals", Q4)),
    ("/appeal sales 2026q4 two deals", Appeal("sales", "two deals", Q4)),
    ("/appeal csat ２０２６－１１ wrong agent", Appeal("csat", "wrong agent", NOV)),
    ("/appeal sales 2 deals are missing", Appeal("sales", "2 deals are missing")),
    ("/appeal sales 30 of my deals", Appeal("sales", "30 of my deals")),
    ("/appeal sales 2026 deals are missing", Appeal("sales", "2026 deals are missing")),
    ("/appeal sales 2026-11-05 deal missing", Appeal("sales", "2026-11-05 deal missing")),
    ("/appeal sales last deal missing", Appeal("sales", "last deal missing")),
    ("/appeal manager_rating 2026-10 unfair", Appeal("manager_rating", "unfair", OCT)),
    # /kpi, with every number format.
    ("/kpi @alice_b sales 80000 market change", Kpi(ANA_TG, "sales", D(80000), "market change")),
    ("/调整目标 @alice_b 回款率 95 市场变化", Kpi(ANA_TG, "回款率", D(95), "市场变化")),
    ('/kpi "Collection rate" @alice_b 95 r', Kpi(ANA_TG, "Collection rate", D(95), "r")),
    ("/kpi <@slack:U0G9QF9C6> sales 80,000 market", Kpi(ANA_SLACK, "sales", D(80000), "market")),
    ("/kpi @alice_b sales 80k r", Kpi(ANA_TG, "sales", D(80000), "r")),
    ("/kpi @alice_b sales 80K r", Kpi(ANA_TG, "sales", D(80000), "r")),
    ("/kpi @alice_b sales 1.2m r", Kpi(ANA_TG, "sales", D(1200000), "r")),
    ("/kpi @alice_b sales 1M r", Kpi(ANA_TG, "sales", D(1000000), "r")),
    ("/kpi @alice_b sales 12万 r", Kpi(ANA_TG, "sales", D(120000), "r")),
    ("/kpi @alice_b sales 1.5亿 r", Kpi(ANA_TG, "sales", D(150000000), "r")),
    ("/kpi @alice_b sales ８００００ r", Kpi(ANA_TG, "sales", D(80000), "r")),
    ("/kpi @alice_b sales $1,250,000.50 r", Kpi(ANA_TG, "sales", D("1250000.50"), "r")),
    ("/kpi @alice_b bug_rate 0.5 r", Kpi(ANA_TG, "bug_rate", D("0.5"), "r")),
    ("/kpi @alice_b bug_rate 0 r", Kpi(ANA_TG, "bug_rate", D(0), "r")),
    ("/kpi sales @alice_b 80k r", Kpi(ANA_TG, "sales", D(80000), "r")),
    (
        "/kpi sales 80k <@telegram:12345> r s",
        Kpi(PersonRef("chat", "12345", "telegram"), "sales", D(80000), "r s"),
    ),
    ("/kpi ana@example.com sales 1 x", Kpi(ANA_MAIL, "sales", D(1), "x")),
    # /team, /help, /start, /cancel.
    ("/team", Team()),
    ("/team 2026-Q4", Team(Q4)),
    ("/help", Help()),
    ("/help score", Help("score")),
    ("/help /KPI", Help("kpi")),
    ("/help goals update", Help("goals")),
    ("/start", Start()),
    ("/start inv_4f2a-9", Start("inv_4f2a-9")),
    ("/cancel", Cancel()),
]


@pytest.mark.parametrize(("text", "expected"), PARSES, ids=[t for t, _ in PARSES])
def test_parses(text: str, expected: object) -> None:
    assert parse(text) == expected


def _unknown(name: str, suggestion: str | None) -> str:
    hint = S.HINT_DID_YOU_MEAN.format(name=suggestion) if suggestion else ""
    commands = ", ".join(f"/{c}" for c in COMMAND_NAMES)
    return S.ERR_UNKNOWN.format(name=name, suggestion=hint, commands=commands)


REJECTS = [
    # The problems the contract spells out word for word.
    ("/goals 2026-13", "goals", "'2026-13' is not a period: use 2026-11, 2026-Q4 or last"),
    ("/praise great", "praise", "who? mention a person as @name or an e-mail"),
    ("/kpi @ana sales 80000", "kpi", "a reason is required: /kpi @ana sales 80000 market change"),
    # Periods.
    ("/score 2026-Q5", "score", S.ERR_NOT_PERIOD.format(token="2026-Q5")),
    ("/score 2026-0", "score", S.ERR_NOT_PERIOD.format(token="2026-0")),
    ("/score 1800", "score", S.ERR_NOT_PERIOD.format(token="1800")),
    ("/score Q4", "score", S.ERR_NOT_PERIOD.format(token="Q4")),
    ("/goals 12", "goals", S.ERR_NOT_PERIOD.format(token="12")),
    ("/score 2026-11 last", "score", S.ERR_ONE_PERIOD.format(token="last")),
    ("/team foo", "team", S.ERR_NOT_PERIOD.format(token="foo")),
    ("/team 2026-11 2026-12", "team", S.ERR_ONE_PERIOD.format(token="2026-12")),
    # People.
    ("/goals @", "goals", S.ERR_WHO),
    ("/goals @-ana", "goals", S.ERR_WHO),
    ("/goals ana@example", "goals", S.ERR_WHO),
    ("/goals <@>", "goals", S.ERR_WHO),
    ("/goals <!subteam^S0614TZR7|@team>", "goals", S.ERR_WHO),
    ("/goals <@telegram:>", "goals", S.ERR_WHO),
    ("/goals <@chat:a b>", "goals", S.ERR_WHO),
    ("/goals @" + "a" * 65, "goals", S.ERR_WHO),
    (
        "/score @ana <@slack:U0G9QF9C6>",
        "score",
        S.ERR_ONE_PERSON.format(token="<@slack:U0G9QF9C6>"),
    ),
    ("/team @ana", "team", S.ERR_TEAM_WHO),
    ("/goals bogus", "goals", S.ERR_UNEXPECTED.format(token="bogus")),
    # /goals update and ack.
    ("/goals update", "goals", S.ERR_GOAL_ID_MISSING),
    ("/goals update x 5", "goals", S.ERR_GOAL_ID.format(token="x")),
    ("/goals update 0 5", "goals", S.ERR_GOAL_ID.format(token="0")),
    ("/goals update 12", "goals", S.ERR_PERCENT_MISSING),
    ("/goals update 12 101%", "goals", S.ERR_PERCENT.format(token="101%")),
    ("/goals update 12 -5", "goals", S.ERR_PERCENT.format(token="-5")),
    ("/goals update 12 lots", "goals", S.ERR_PERCENT.format(token="lots")),
    ("/goals ack all", "goals", S.ERR_GOAL_ID.format(token="all")),
    # /score.
    ("/score sales 1", "score", S.ERR_SCORE_UNEXPECTED.format(token="sales")),
    ("/score what-if", "score", S.ERR_WHAT_IF),
    ("/score what-if sales", "score", S.ERR_WHAT_IF),
    ("/score what-if 2026-11", "score", S.ERR_WHAT_IF),
    ("/score what-if sales 1 sales 2", "score", S.ERR_WHAT_IF_TWICE.format(token="sales")),
    ("/score what-if Sales 1 sales 2", "score", S.ERR_WHAT_IF_TWICE.format(token="sales")),
    ('/score what-if "" 2', "score", S.ERR_NOT_METRIC.format(token='""')),
    ("/score what-if sales lots", "score", S.ERR_NOT_NUMBER.format(token="lots")),
    ("/score what-if sales NaN", "score", S.ERR_NOT_FINITE.format(token="NaN")),
    # /explain.
    ("/explain", "explain", S.ERR_EXPLAIN_METRIC),
    ("/explain @ana 2026-11", "explain", S.ERR_EXPLAIN_METRIC),
    ("/explain sales csat", "explain", S.ERR_ONE_METRIC.format(token="csat")),
    ('/explain ""', "explain", S.ERR_NOT_METRIC.format(token='""')),
    # /praise.
    ("/praise", "praise", S.ERR_WHO),
    ("/praise @ana", "praise", S.ERR_PRAISE_TEXT),
    ("/praise <@slack:U0G9QF9C6>   \n ", "praise", S.ERR_PRAISE_TEXT),
    # /appeal.
    ("/appeal sales", "appeal", S.ERR_APPEAL_REASON),
    ("/appeal 2026 wrong", "appeal", S.ERR_NOT_METRIC.format(token="2026")),
    ("/appeal sales 2026-11", "appeal", S.ERR_APPEAL_REASON),
    ("/appeal sales 2026-13 wrong", "appeal", S.ERR_APPEAL_PERIOD.format(token="2026-13")),
    ("/appeal sales 2026-Q5 wrong", "appeal", S.ERR_APPEAL_PERIOD.format(token="2026-Q5")),
    ("/appeal sales 2026-0 wrong", "appeal", S.ERR_APPEAL_PERIOD.format(token="2026-0")),
    ("/appeal sales 1800-01 wrong", "appeal", S.ERR_APPEAL_PERIOD.format(token="1800-01")),
    # /kpi: each missing piece in turn, then bad numbers.
    ("/kpi", "kpi", S.ERR_WHO),
    ("/kpi sales 80000 market change", "kpi", S.ERR_WHO),
    ("/kpi @ana", "kpi", S.ERR_KPI_METRIC),
    ("/kpi @ana sales", "kpi", S.ERR_KPI_TARGET),
    ("/kpi @ana 80000 sales x", "kpi", S.ERR_NOT_METRIC.format(token="80000")),
    ("/kpi @ana @bob sales 1 x", "kpi", S.ERR_ONE_PERSON.format(token="@bob")),
    ("/kpi @ana sales -80000 x", "kpi", S.ERR_NEGATIVE.format(token="-80000")),
    ("/kpi @ana sales nan x", "kpi", S.ERR_NOT_FINITE.format(token="nan")),
    ("/kpi @ana sales inf x", "kpi", S.ERR_NOT_FINITE.format(token="inf")),
    ("/kpi @ana sales -Infinity x", "kpi", S.ERR_NOT_FINITE.format(token="-Infinity")),
    ("/kpi @ana sales 1e5 x", "kpi", S.ERR_NOT_NUMBER.format(token="1e5")),
    ("/kpi @ana sales 1,5 x", "kpi", S.ERR_NOT_NUMBER.format(token="1,5")),
    ("/kpi @ana sales 80kk x", "kpi", S.ERR_NOT_NUMBER.format(token="80kk")),
    ("/kpi @ana sales 1000000000000000 x", "kpi", S.ERR_TOO_LARGE.format(token="1000000000000000")),
    ("/kpi @ana sales 10亿亿 x", "kpi", S.ERR_NOT_NUMBER.format(token="10亿亿")),
    # /help and /start.
    ("/help scor", "help", _unknown("scor", "score")),
    ("/start a!b", "start", S.ERR_START_CODE),
]


@pytest.mark.parametrize(("text", "command", "problem"), REJECTS, ids=[t for t, *_ in REJECTS])
def test_rejects_with_specific_problem(text: str, command: str, problem: str) -> None:
    assert parse(text) == Invalid(command, problem, S.USAGE[command])


@pytest.mark.parametrize(
    ("text", "name", "suggestion"),
    [("/scor", "scor", "score"), ("/Gaols", "gaols", "goals"), ("xyzzy", "xyzzy", None)],
)
def test_unknown_command_gets_help_usage_and_a_suggestion(
    text: str, name: str, suggestion: str | None
) -> None:
    assert parse(text) == Invalid(name, _unknown(name, suggestion), S.USAGE["help"])
    if suggestion:
        assert f"did you mean /{suggestion}?" in _unknown(name, suggestion).lower()


def test_too_long_is_invalid_with_the_commands_usage() -> None:
    result = parse("/praise @ana " + "x" * 4000)
    assert isinstance(result, Invalid)
    assert (result.command, result.usage) == ("praise", S.USAGE["praise"])
    assert "4000" in result.problem


def test_exactly_the_limit_is_fine() -> None:
    text = "/praise @ana "
    assert isinstance(parse(text + "x" * (4000 - len(text))), Praise)


def test_every_public_command_has_usage_and_a_one_line_summary() -> None:
    assert COMMAND_NAMES == (
        "goals", "score", "explain", "praise", "appeal", "kpi", "team", "rate", "self", "period",
        "help",
    )  # fmt: skip
    for name in (*COMMAND_NAMES, "start", "cancel"):
        assert S.USAGE[name].startswith(f"/{name}") and "\n" not in S.USAGE[name]
        assert S.SUMMARY[name] and "\n" not in S.SUMMARY[name]


def test_long_tokens_are_shortened_in_problems() -> None:
    result = parse("/goals " + "9" * 200)
    assert isinstance(result, Invalid)
    assert len(result.problem) < 120 and "…" in result.problem


@pytest.mark.parametrize(
    "text, value",
    [
        ("/score @ana.li", "ana.li"),  # an e-mail's local part, as typed in the console
        ("/score @ana-b", "ana-b"),
    ],
)
def test_handles_name_people_by_username_or_email_local_part(text, value):
    assert parse(text) == Score(who=PersonRef("handle", value))


def test_an_at_sign_before_an_email_is_tolerated():
    assert parse("/score @ana.li@acme.example") == Score(
        who=PersonRef("email", "ana.li@acme.example")
    )
