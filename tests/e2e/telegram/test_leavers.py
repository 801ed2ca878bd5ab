"""A leaver on Telegram: her next message and her next button press are refused; her
manager's appeal queue is untouched, her own appeal goes to HR."""

from __future__ import annotations

from sqlalchemy import select

from handlers import strings_en as t
from handlers.people.leavers import deactivate_people
from store.models import Appeal, Employee
from tests.e2e.telegram.conftest import ANA, buttons, texts


def test_a_deactivated_person_is_refused_from_the_next_request(tg):
    tg.link(ANA)
    [score] = tg.say(ANA, "/score")
    assert "Score · Ana Li" in score.params["text"]
    metric = next(d for _, d in buttons(score) if d.startswith("ex:")).split(":")[1].split(".")[0]
    assert "opened" in texts(tg.say(ANA, f"/appeal {metric} two closed deals are missing"))[0]
    with tg.rt.uow() as uow:
        deactivate_people(uow, ["ana.li@acme.example"], actor="cli")
        uow.commit()
    said = texts(tg.say(ANA, "/score"))
    assert said and "Score" not in said[0] and t.UNLINKED_TITLE in said[0]
    pressed = tg.press(ANA, "gl:ack:1")
    assert not any("Acknowledged" in x for x in texts(pressed))
    with tg.rt.uow() as uow:
        appeal = uow.session.scalar(select(Appeal))
        hr = uow.session.scalar(select(Employee.email).where(Employee.id == appeal.handler_id))
    assert hr == "zhao.min@acme.example"
