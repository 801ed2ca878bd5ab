"""A form's choice input: its options survive the outbox's JSON, an answer picks a value by
the value itself, its number or its label, and anything else is left for the use case."""

from __future__ import annotations

from bot.plain_text import render
from handlers.cards import Card, Form, Input
from handlers.forms import chosen, off_the_list

WHICH = Input(
    "metric", "哪项数据", "choice", options=(("sales_amount", "销售额"), ("nps", "Customer NPS"))
)


def test_options_survive_the_cards_dict_and_older_rows_read_without_them():
    card = Card("申诉", form=Form("申诉", "ap:new", "3", (WHICH, Input("reason", "原因"))))
    stored = card.to_dict()
    assert stored["form"]["inputs"][0]["options"] == [
        ["sales_amount", "销售额"],
        ["nps", "Customer NPS"],
    ]
    assert "options" not in stored["form"]["inputs"][1]  # a text input's dict is as before
    assert Card.from_dict(stored) == card


def test_an_answer_picks_by_value_number_or_label():
    assert chosen(WHICH, "nps") == "nps"
    assert chosen(WHICH, " 1 ") == "sales_amount"
    assert chosen(WHICH, "２") == "nps"  # a full-width digit
    assert chosen(WHICH, "销售额") == "sales_amount"
    assert chosen(WHICH, "customer nps") == "nps"


def test_other_words_are_left_for_the_use_case_to_resolve():
    assert chosen(WHICH, "3") == "3"  # past the list
    assert chosen(WHICH, "Sales") == "Sales"  # an English label the resolver knows
    assert chosen(WHICH, "") == ""
    assert chosen(Input("n", "Amount", "number"), "1") == "1"  # not a choice


def test_the_console_lists_the_options_numbered():
    text = render(Card("申诉", form=Form("申诉", "ap:new", "3", (WHICH,))))
    assert text.endswith("  metric=1  销售额\n  metric=2  Customer NPS")


def test_a_number_no_option_has_is_off_the_list():
    assert off_the_list(WHICH, "3") and off_the_list(WHICH, " ３ ") and off_the_list(WHICH, "0")
    assert not off_the_list(WHICH, "2") and not off_the_list(WHICH, "nps")
    assert not off_the_list(WHICH, "Sales") and not off_the_list(WHICH, "")
    numbered = Input("m", "Which", "choice", options=(("7", "Seven"),))
    assert not off_the_list(numbered, "7")  # a value that is itself a number
    assert not off_the_list(Input("n", "Amount", "number"), "9")  # not a choice
