"""The one registry: each command type to its use case and summary, each button to its handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handlers import commands as c
from handlers.appeals.accept import press_accept
from handlers.appeals.escalate import press_escalate
from handlers.appeals.file import file_appeal, press_new
from handlers.appeals.reject import press_reject
from handlers.appeals.talk import press_answer, press_ask
from handlers.cards import Reply
from handlers.closing.chat import calibrate_in_chat, press_close, show_period
from handlers.goals.ack import acknowledge_goal, press_acknowledge
from handlers.goals.company import set_company_goal
from handlers.goals.confirm import (
    adjust_form,
    confirm_goal,
    confirm_team_targets,
    submit_adjustment,
)
from handlers.goals.update import update_goal_progress
from handlers.goals.view import show_goals
from handlers.help import show_help
from handlers.kpi.decide import approve_target_change, reject_target_change
from handlers.kpi.request import request_target_change
from handlers.nudges.actions import message_person, snooze_nudges, snooze_person
from handlers.people.link_codes import request_link_code
from handlers.praise.give import give_praise
from handlers.ratings.comment import press_comments
from handlers.ratings.rate import press_page, press_rate, rate_person
from handlers.ratings.self_assess import write_self_assessment
from handlers.reports.team import show_team
from handlers.scores.explain import explain_figure, press_explain
from handlers.scores.home import show_home, show_person_score
from handlers.scores.view import show_score


def _never(cmd: object) -> bool:
    return False


@dataclass(frozen=True)
class Entry:
    name: str
    handler: Callable[..., Reply]
    # Whether this command is a quick read: no writes, no audit, no outside call, one or
    # two point lookups (see Dispatcher.quick).
    quick: Callable[[Any], bool] = _never
    # Whether the use case reads itself whether the actor is still active, in the statement
    # it makes anyway, and refuses a leaver (permissions.gone): the dispatcher's own read
    # is then skipped. One's own /score: one round trip instead of two (bench/README.md).
    checks_active: Callable[[Any], bool] = _never


COMMANDS: dict[type, Entry] = {
    c.Help: Entry("help", show_help, quick=lambda cmd: True),
    c.Goals: Entry("goals", show_goals),
    c.GoalAck: Entry("goals", acknowledge_goal),
    c.GoalUpdate: Entry("goals", update_goal_progress),
    c.CompanyGoal: Entry("goals", set_company_goal),
    # Someone else's score may be refused, and refusals are audited: a write.
    c.Score: Entry(
        "score",
        show_score,
        quick=lambda cmd: cmd.who is None,
        checks_active=lambda cmd: cmd.who is None,
    ),
    c.Explain: Entry("explain", explain_figure),
    c.Kpi: Entry("kpi", request_target_change),
    c.Team: Entry("team", show_team),
    c.Praise: Entry("praise", give_praise),
    c.Appeal: Entry("appeal", file_appeal),
    c.LinkCode: Entry("linkcode", request_link_code),
    c.PeriodPreview: Entry("period", show_period),
    c.Calibrate: Entry("period", calibrate_in_chat),
    c.Rate: Entry("rate", rate_person),
    c.SelfAssess: Entry("self", write_self_assessment),
}

ACTIONS: dict[str, Callable[..., Reply]] = {
    "gl:ack": press_acknowledge,
    "ex": press_explain,
    "ap:new": press_new,
    "ap:acc": press_accept,
    "ap:rej": press_reject,
    "ap:ask": press_ask,
    "ap:ans": press_answer,
    "ap:esc": press_escalate,
    "gl:cf": confirm_goal,
    "gl:cft": confirm_team_targets,
    "gl:adj": adjust_form,
    "gl:adjs": submit_adjustment,
    "kp:ok": approve_target_change,
    "kp:no": reject_target_change,
    "hm": show_home,
    "sc": show_person_score,
    "nd:snz": snooze_nudges,
    "nd:snzp": snooze_person,
    "nd:msg": message_person,
    "pd:cl": press_close,
    "rt": press_rate,
    "rt:pg": press_page,
    "rt:cm": press_comments,
}
