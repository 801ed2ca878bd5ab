"""Forms as conversations: each input asked in turn, checked, skipped, cancelled, expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.telegram import strings as st
from bot.telegram.conversation import Ask, Conversations, Submit
from handlers.cards import Form, Input

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
KEY = (424242, 424242)
FORM = Form(
    "Adjust #12",
    "gl:adj",
    "12",
    (
        Input("value", "New target", kind="number", initial="100000"),
        Input("reason", "Reason"),
        Input("note", "Note", required=False),
    ),
)


def test_inputs_are_asked_in_order_then_submitted_as_a_press():
    c = Conversations()
    first = c.begin(KEY, FORM, NOW)
    assert first == Ask("Adjust #12", FORM.inputs[0])
    assert c.answer(KEY, " 80,000 ", NOW) == Ask("Adjust #12", FORM.inputs[1])
    assert c.answer(KEY, "market change", NOW) == Ask("Adjust #12", FORM.inputs[2])
    done = c.answer(KEY, "/skip", NOW)
    assert isinstance(done, Submit) and done.form is FORM
    assert (done.press.action, done.press.value) == ("gl:adj", "12")
    assert dict(done.press.form) == {"value": "80000", "reason": "market change", "note": ""}
    assert not c.active(KEY, NOW)


def test_a_bad_number_is_asked_again_with_the_problem():
    c = Conversations()
    c.begin(KEY, FORM, NOW)
    again = c.answer(KEY, "lots", NOW)
    assert isinstance(again, Ask) and again.item.name == "value"
    assert again.problem == st.FORM_NOT_NUMBER.format(text="lots")
    for bad in ("NaN", "inf", "1e", ""):
        assert isinstance(c.answer(KEY, bad, NOW), Ask)
    assert c.answer(KEY, "１２０００", NOW).item.name == "reason"  # full-width digits


def test_skip_keeps_the_initial_value_or_is_refused_when_required():
    c = Conversations()
    c.begin(KEY, FORM, NOW)
    assert c.answer(KEY, "/skip@perf_test_bot", NOW).item.name == "reason"
    refused = c.answer(KEY, "/skip", NOW)
    assert refused.item.name == "reason" and refused.problem == st.FORM_NEEDED
    c.answer(KEY, "why", NOW)
    assert c.answer(KEY, "n", NOW).press.form["value"] == "100000"


def test_cancel_expiry_and_other_people_are_separate():
    c = Conversations(ttl=timedelta(minutes=30))
    c.begin(KEY, FORM, NOW)
    assert c.answer((424242, 1), "80k", NOW) is None  # someone else in the same chat
    assert c.active(KEY, NOW + timedelta(minutes=29))
    assert c.answer(KEY, "1", NOW + timedelta(minutes=29)).item.name == "reason"
    assert c.active(KEY, NOW + timedelta(minutes=58))  # each answer extends the time
    assert not c.active(KEY, NOW + timedelta(minutes=60))
    assert c.answer(KEY, "late", NOW + timedelta(minutes=60)) is None
    c.begin(KEY, FORM, NOW)
    assert c.cancel(KEY) and not c.cancel(KEY)


def test_restarting_asks_only_the_refused_inputs_with_their_problems():
    c = Conversations()
    step = c.begin(
        KEY,
        FORM,
        NOW,
        only=["reason"],
        answers={"value": "80000", "reason": "x", "note": ""},
        problems={"reason": "Say more than one letter."},
    )
    assert step == Ask("Adjust #12", FORM.inputs[1], "Say more than one letter.")
    done = c.answer(KEY, "the market shrank", NOW)
    assert dict(done.press.form) == {"value": "80000", "reason": "the market shrank", "note": ""}


def test_a_form_without_inputs_submits_at_once_and_answers_have_a_limit():
    assert isinstance(Conversations().begin(KEY, Form("Go", "x:y", "1", ()), NOW), Submit)
    c = Conversations()
    c.begin(KEY, FORM, NOW)
    c.answer(KEY, "1", NOW)
    too_long = c.answer(KEY, "r" * 5000, NOW)
    assert too_long.problem.startswith("That's too long (5000")


def test_capacity_forgets_the_oldest_conversation():
    c = Conversations(capacity=2)
    for user in (1, 2, 3):
        c.begin((user, user), FORM, NOW)
    assert not c.active((1, 1), NOW) and c.active((2, 2), NOW) and c.active((3, 3), NOW)


def test_a_choice_is_answered_by_its_number_or_name_and_words_pass_through():
    which = Input("metric", "Which", "choice", options=(("sales_amount", "Sales"), ("nps", "NPS")))
    form = Form("Appeal", "ap:new", "3", (which,))
    for answer, value in (
        ("2", "nps"),
        ("２", "nps"),
        ("sales", "sales_amount"),
        ("销售额", "销售额"),
    ):
        talk = Conversations()
        talk.begin(KEY, form, NOW)
        done = talk.answer(KEY, answer, NOW)
        assert isinstance(done, Submit) and done.press.form == {"metric": value}, answer
