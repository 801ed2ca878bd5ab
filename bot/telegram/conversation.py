"""Forms as short conversations: ask each input in turn, then submit them as a button press.

Kept in memory per (chat, person) with a time limit: a half-answered form is lost on a
restart and the person simply presses the button again (nothing was changed yet).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from bot.telegram import texts as st
from handlers.cards import Form, Input
from handlers.forms import chosen, off_the_list
from handlers.press import Press

Key = tuple[int, int]  # (chat id, user id)
MAX_ANSWER = 3000


@dataclass(frozen=True)
class Ask:
    """Send this question (with the problem of the previous answer, if any)."""

    title: str
    item: Input
    problem: str = ""


@dataclass(frozen=True)
class Submit:
    """Every input answered: run the form's action."""

    press: Press
    form: Form


@dataclass
class _State:
    form: Form
    todo: list[Input]
    answers: dict[str, str]
    problems: dict[str, str]
    expires: datetime


class Conversations:
    """The forms people are filling in right now."""

    def __init__(self, ttl: timedelta = timedelta(minutes=30), capacity: int = 10_000) -> None:
        self._ttl, self._capacity = ttl, capacity
        self._states: dict[Key, _State] = {}

    def begin(
        self,
        key: Key,
        form: Form,
        now: datetime,
        *,
        only: Collection[str] = (),
        answers: Mapping[str, str] | None = None,
        problems: Mapping[str, str] | None = None,
    ) -> Ask | Submit:
        """Start (or restart, for the inputs in `only`) a form; the first step to take."""
        todo = [i for i in form.inputs if not only or i.name in only]
        state = _State(form, todo, dict(answers or {}), dict(problems or {}), now + self._ttl)
        self._states.pop(key, None)
        if len(self._states) >= self._capacity:  # forget the oldest rather than grow forever
            self._states.pop(next(iter(self._states)))
        self._states[key] = state
        return self._next(key, state)

    def active(self, key: Key, now: datetime) -> bool:
        """True while a form waits for this person's answer in this chat."""
        state = self._states.get(key)
        if state is not None and state.expires <= now:
            del self._states[key]
            return False
        return state is not None

    def cancel(self, key: Key) -> bool:
        """Leave the form; False when there was none."""
        return self._states.pop(key, None) is not None

    def answer(self, key: Key, text: str, now: datetime) -> Ask | Submit | None:
        """Take one answer; None when no form is waiting."""
        if not self.active(key, now):
            return None
        state = self._states[key]
        state.expires = now + self._ttl
        item = state.todo[0]
        value, problem = _value(item, text)
        if problem:
            return Ask(state.form.title, item, problem)
        state.answers[item.name] = value
        state.todo.pop(0)
        return self._next(key, state)

    def _next(self, key: Key, state: _State) -> Ask | Submit:
        if not state.todo:
            del self._states[key]
            form = state.form
            return Submit(Press(form.action, form.value, dict(state.answers)), form)
        item = state.todo[0]
        return Ask(state.form.title, item, state.problems.pop(item.name, ""))


def _value(item: Input, text: str) -> tuple[str, str]:
    """The stored answer, or a problem to ask again with."""
    text = text.strip()
    if text.split("@", 1)[0].casefold() == "/skip":
        if item.required and not item.initial:
            return "", st.FORM_NEEDED
        return item.initial, ""
    if len(text) > MAX_ANSWER:
        return "", st.FORM_TOO_LONG.format(length=len(text), limit=MAX_ANSWER)
    if off_the_list(item, text):
        return "", st.FORM_OFF_THE_LIST.format(number=text, last=len(item.options))
    if item.kind == "choice":  # a number from the list is the option's value
        return chosen(item, text), ""
    if item.kind != "number":
        return text, ""
    number = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    try:
        ok = Decimal(number).is_finite()
    except InvalidOperation:
        ok = False
    shown = text if len(text) <= 30 else text[:29] + "…"
    return (number, "") if ok else ("", st.FORM_NOT_NUMBER.format(text=shown))
