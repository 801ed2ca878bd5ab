"""The one registry: each command type to its use case and summary, each button to its handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers import commands as c
from handlers.cards import Reply
from handlers.goal_ack import acknowledge_goal, press_acknowledge
from handlers.help import show_help
from handlers.home import show_home, show_person_score
from handlers.view_goals import show_goals
from handlers.view_score import show_score


@dataclass(frozen=True)
class Entry:
    name: str
    handler: Callable[..., Reply]


COMMANDS: dict[type, Entry] = {
    c.Help: Entry("help", show_help),
    c.Goals: Entry("goals", show_goals),
    c.GoalAck: Entry("goals", acknowledge_goal),
    c.Score: Entry("score", show_score),
}

ACTIONS: dict[str, Callable[..., Reply]] = {
    "gl:ack": press_acknowledge,
    "hm": show_home,
    "sc": show_person_score,
}
