"""[Ask for details] and [Answer]: a question to the employee, the answer back to the manager."""

from __future__ import annotations

import pytest

from tests.e2e.social_support import MANAGER, PEER, REPORT, World, only_notice_to, opened_id


@pytest.fixture
def world(demo):  # type: ignore[no-untyped-def]
    return World(demo)


def test_ask_and_answer_round_trip(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    form = world.run(MANAGER, f"press ap:ask:{appeal_id}").cards[0]
    assert form.title == f"Question to Ana Li about appeal #{appeal_id}"
    assert [i.name for i in form.form.inputs] == ["question"]
    empty = world.run(MANAGER, f"press ap:ask {appeal_id} question=")
    assert not empty.ok and empty.errors == (("question", "Type your question."),)
    asked = world.run(MANAGER, f"press ap:ask {appeal_id} 'question=Which deals exactly?'")
    assert asked.ok
    question = only_notice_to(world, asked, REPORT)
    assert question.lines == ("Chen Jing asks about your appeal on Sales:", "Which deals exactly?")
    assert [b.callback for b in question.buttons] == [f"ap:ans:{appeal_id}"]
    assert world.appeal(appeal_id).status == "needs_info"
    waiting = world.run(MANAGER, f"press ap:ask {appeal_id} 'question=Hello?'")
    assert not waiting.ok and "hasn't answered" in waiting.cards[0].lines[0]

    answer_form = world.run(REPORT, f"press ap:ans {appeal_id}").cards[0]
    assert answer_form.lines == ("Q (Chen Jing): Which deals exactly?",)
    answered = world.run(REPORT, f"press ap:ans {appeal_id} 'answer=D-77 and D-78, signed 18 Nov'")
    assert answered.ok
    card = only_notice_to(world, answered, MANAGER)
    assert card.title == f"Appeal #{appeal_id} · Ana Li answered your question"
    assert "Q (Chen Jing): Which deals exactly?" in card.lines
    assert "A (Ana Li): D-77 and D-78, signed 18 Nov" in card.lines
    assert {b.action for b in card.buttons} == {"ap:acc", "ap:rej", "ap:ask", "ap:esc"}
    assert world.appeal(appeal_id).status == "open"
    assert [e.action for e in world.audit("appeal.ask") + world.audit("appeal.answer")] == [
        "appeal.ask",
        "appeal.answer",
    ]
    # A second round gets notices of its own (dedupe keys are numbered per round).
    assert world.run(MANAGER, f"press ap:ask {appeal_id} 'question=Contract date?'").notices
    assert world.run(REPORT, f"press ap:ans {appeal_id} 'answer=18 Nov'").notices
    assert [r.dedupe_key for r in world.outbox(f"appeal:{appeal_id}:a%")] == [
        f"appeal:{appeal_id}:ask:1",
        f"appeal:{appeal_id}:answer:1",
        f"appeal:{appeal_id}:ask:2",
        f"appeal:{appeal_id}:answer:2",
    ]
    assert world.run(MANAGER, f"press ap:acc {appeal_id} value=1m").ok


def test_only_the_appellant_answers_and_only_when_asked(world):
    appeal_id = opened_id(world.run(REPORT, "/appeal sales missing deals"))
    early = world.run(REPORT, f"press ap:ans {appeal_id} answer=hi")
    assert early.cards[0].lines == ("Already handled: nothing changed.",)
    assert world.run(MANAGER, f"press ap:ask {appeal_id} question=which?").ok
    for who in (PEER, MANAGER):
        reply = world.run(who, f"press ap:ans {appeal_id} answer=sneaky")
        assert not reply.ok and reply.cards[0].title == "Not allowed"
    assert world.appeal(appeal_id).status == "needs_info"
    assert not world.run(REPORT, f"press ap:ask {appeal_id} question=self").ok
