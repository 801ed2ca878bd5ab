"""Run the doctor's checks, each on a thread of its own with a time limit, so a host that
never answers costs its limit, never a hang."""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

from bot.cli import texts as st
from bot.doctor.finding import FAIL, Finding
from handlers.i18n import say

Check = Callable[[], Sequence[Finding]]


def bounded(name: str, check: Check, seconds: float) -> list[Finding]:
    """The check's findings, or one FAIL when it raises or overruns `seconds` (its thread
    is a daemon: the process may end while it still waits)."""
    answer: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            answer.put((True, list(check())))
        except Exception as exc:  # one broken check must not hide the others
            answer.put((False, exc))

    # In a copy of this context: the check words its findings in the language being spoken.
    speaking_here = contextvars.copy_context()
    threading.Thread(
        target=speaking_here.run, args=(work,), name=f"doctor-{name}", daemon=True
    ).start()
    try:
        ok, found = answer.get(timeout=seconds)
    except queue.Empty:
        what = st.DOCTOR_TIMEOUT.format(check=name, seconds=seconds)
        return [Finding(name, FAIL, what, st.DOCTOR_TIMEOUT_FIX)]
    if ok:
        return list(found)
    return [Finding(name, FAIL, st.DOCTOR_CRASHED.format(check=name, error=first_line(found)))]


def first_line(exc: BaseException) -> str:
    """An error in one line (drivers' messages run to several)."""
    text = say(exc).strip()  # a source's or a file's fault, in the operator's language
    return text.splitlines()[0] if text else type(exc).__name__


def ago(seconds: float) -> str:
    """A duration as people read it: 42 s, 12 min, 3 h, 2 days."""
    s = max(0, int(seconds))
    if s < 120:
        return st.AGO_SECONDS.format(n=s)
    if s < 7200:
        return st.AGO_MINUTES.format(n=s // 60)
    if s < 172800:
        return st.AGO_HOURS.format(n=s // 3600)
    return st.AGO_DAYS.format(n=s // 86400)


def sample(names: Sequence[str], count: int) -> str:
    """The first names, and how many more."""
    shown = st.NAMES_SEP.join(names)
    return (
        st.DOCTOR_AND_MORE.format(names=shown, more=count - len(names))
        if count > len(names)
        else shown
    )
