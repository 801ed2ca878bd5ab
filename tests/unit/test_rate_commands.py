"""/rate and /self in the command language: every form, and bad input with its usage and hint."""

from __future__ import annotations

import pytest

from handlers import strings_en as S
from handlers.commands import Help, Invalid, PeriodRef, PersonRef, Rate, SelfAssess, parse

ANA = PersonRef("handle", "ana.li")
OCT = PeriodRef("month", 2026, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/rate", Rate()),
        ("/rate 2026-10", Rate(period=OCT)),
        ("/rate @ana.li 4", Rate(ANA, 4)),
        (
            "/rate @ana.li 4 strong quarter, two big deals",
            Rate(ANA, 4, "strong quarter, two big deals"),
        ),
        ("/rate @ana.li 2026-10 3 late", Rate(ANA, 3, "late", OCT)),
        ("/rate 2026-10 @ana.li 3", Rate(ANA, 3, "", OCT)),
        ("/rate @ana.li ４ great", Rate(ANA, 4, "great")),  # full-width digits
        ("/rate <@slack:U0G9QF9C6> 5", Rate(PersonRef("chat", "U0G9QF9C6", "slack"), 5)),
        ("/rate ana.li@acme.example 2", Rate(PersonRef("email", "ana.li@acme.example"), 2)),
        ("/rate @ana.li 9", Rate(ANA, 9)),  # the scale is configuration: the handler checks it
        ("/rate @ana.li 5 2026 was great", Rate(ANA, 5, "2026 was great")),
        ("/self", SelfAssess()),
        (
            "/self Closed ACME.\nMentored two new reps.",
            SelfAssess("Closed ACME.\nMentored two new reps."),
        ),
        ("/self 3 deals closed", SelfAssess("3 deals closed")),
    ],
)
def test_parses(text: str, expected: object) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("/rate @ana.li", S.ERR_RATE_MISSING),
        ("/rate 4", S.ERR_WHO),
        ("/rate 4 @ana.li", S.ERR_WHO),
        ("/rate @ana.li 4.5", S.ERR_RATE_WHOLE.format(token="4.5")),
        ("/rate @ana.li -1", S.ERR_RATE_WHOLE.format(token="-1")),
        ("/rate @ana.li 4/5", S.ERR_RATE_WHOLE.format(token="4/5")),
        ("/rate @ana.li four", S.ERR_RATE_SCORE.format(token="four")),
        ("/rate @ana.li @bo 3", S.ERR_ONE_PERSON.format(token="@bo")),
        ("/rate 2026-10 2026-11", S.ERR_ONE_PERIOD.format(token="2026-11")),
        ("/rate @ana.li 2026-13 3", S.ERR_NOT_PERIOD.format(token="2026-13")),
        ("/rate @ 3", S.ERR_WHO),
    ],
)
def test_bad_input_gets_the_usage_and_a_hint(text: str, hint: str) -> None:
    result = parse(text)
    assert isinstance(result, Invalid)
    assert (result.command, result.problem, result.usage) == ("rate", hint, S.USAGE["rate"])


def test_rate_and_self_are_in_help_and_suggested_for_typos() -> None:
    typo = parse("/rte @ana 4")
    assert isinstance(typo, Invalid) and "/rate" in typo.problem
    assert parse("/help self") == Help("self") and parse("/help rate") == Help("rate")
