"""What the health readings (store/queries/health.py) say about a running install: the
scheduler's heartbeat, the outbox, each source's last sync, and gaps in the organisation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.cli import texts as st
from bot.doctor.finding import FAIL, OK, WARN, Finding
from bot.doctor.run import ago, sample
from bot.metrics import FAILED_WINDOW
from bot.scheduler import BEAT_EVERY
from handlers.i18n import say
from store.queries.health import Few, HealthQueries

STALE_AFTER = timedelta(seconds=6 * BEAT_EVERY)  # a leader silent this long is gone
BACKLOG_AFTER = timedelta(minutes=10)  # a due notice waiting this long: nobody dispatches


def leader(h: HealthQueries, now: datetime) -> list[Finding]:
    """Is a scheduler leading, and did it say so lately?"""
    found = h.leader()
    if found is None:
        return [Finding("scheduler", FAIL, st.DOCTOR_LEADER_NONE, st.DOCTOR_LEADER_FIX)]
    silent = now - found.beat_at
    if silent > STALE_AFTER:
        what = st.DOCTOR_LEADER_STALE.format(holder=found.holder, ago=ago(silent.total_seconds()))
        return [Finding("scheduler", FAIL, what, st.DOCTOR_LEADER_FIX)]
    what = st.DOCTOR_LEADER_OK.format(holder=found.holder, ago=ago(silent.total_seconds()))
    return [Finding("scheduler", OK, what)]


def outbox(h: HealthQueries, now: datetime, platforms: Sequence[str]) -> list[Finding]:
    """The backlog (FAIL when a due notice has waited too long) and the failures."""
    box = h.outbox(platforms, now - FAILED_WINDOW)
    late = box.oldest_due_at is not None and now - box.oldest_due_at > BACKLOG_AFTER
    if late and box.oldest_due_at is not None:
        waited = ago((now - box.oldest_due_at).total_seconds())
        what = st.DOCTOR_OUTBOX_STUCK.format(pending=box.pending, ago=waited)
        found = [Finding("outbox", FAIL, what, st.DOCTOR_OUTBOX_STUCK_FIX)]
    else:
        found = [Finding("outbox", OK, st.DOCTOR_OUTBOX_OK.format(pending=box.pending))]
    recent = sum(box.failed_since.values())
    if recent:
        by = ", ".join(f"{p} {n}" for p, n in sorted(box.failed_since.items()))
        what = st.DOCTOR_FAILED_RECENT.format(count=recent, by=by)
        found.append(Finding("outbox:failed", FAIL, what, st.DOCTOR_FAILED_FIX))
    elif box.failed:
        what = st.DOCTOR_FAILED_OLD.format(count=box.failed)
        found.append(Finding("outbox:failed", WARN, what, st.DOCTOR_FAILED_FIX))
    return found


def syncs(h: HealthQueries, now: datetime, names: Sequence[str]) -> list[Finding]:
    """Each configured source's last sync: a success, a failure since, or never."""
    known, failures = {s.source: s for s in h.sources()}, h.sync_failures()
    found = []
    for name in names:
        s, bad = known.get(name), failures.get(name)
        check, fix = f"sync:{name}", st.DOCTOR_SYNC_FIX.format(name=name)
        success = s.last_success_at if s is not None else None
        if bad is not None and (success is None or bad.at > success):
            when = ago((now - bad.at).total_seconds())
            what = st.DOCTOR_SYNC_FAILED.format(name=name, ago=when, error=say(bad.error))
            found.append(Finding(check, FAIL, what, fix))
        elif s is None or success is None:
            found.append(Finding(check, WARN, st.DOCTOR_SYNC_NEVER.format(name=name), fix))
        else:
            when = ago((now - success).total_seconds())
            fetched = s.last.get("fetched", 0)
            what = st.DOCTOR_SYNC_OK.format(name=name, ago=when, fetched=fetched)
            found.append(Finding(check, OK, what))
    return found


def people(h: HealthQueries) -> list[Finding]:
    """People no chat can reach, and open periods without goals."""
    return [
        _gap("people", h.without_chat(), st.DOCTOR_NO_CHAT_ID, st.DOCTOR_NO_CHAT_ID_FIX,
             st.DOCTOR_PEOPLE_OK),
        _gap("periods", h.periods_without_goals(), st.DOCTOR_NO_GOALS, st.DOCTOR_NO_GOALS_FIX,
             st.DOCTOR_GOALS_OK),
    ]  # fmt: skip


def _gap(check: str, missing: Few, what: str, fix: str, ok: str) -> Finding:
    """WARN naming the first few of what is missing (`what` takes count and names), else OK."""
    if not missing.count:
        return Finding(check, OK, ok)
    names = sample(missing.names, missing.count)
    return Finding(check, WARN, what.format(count=missing.count, names=names), fix)


def scorecards(h: HealthQueries, configured: Sequence[str]) -> list[Finding]:
    """People on a scorecard that doesn't exist (FAIL: they can't be scored), people with
    none, and scorecards no one uses."""
    used = h.scorecards_in_use()
    missing = sorted(c for c in used if c is not None and c not in configured)
    found = []
    if missing:
        who = h.people_on(missing)
        what = st.DOCTOR_CARD_MISSING.format(
            count=who.count, cards=st.NAMES_SEP.join(missing), names=sample(who.names, who.count)
        )
        found.append(Finding("scorecards", FAIL, what, st.DOCTOR_CARD_MISSING_FIX))
    if None in used:
        who = h.people_on([None])
        what = st.DOCTOR_CARD_NONE.format(count=who.count, names=sample(who.names, who.count))
        found.append(Finding("scorecards", WARN, what, st.DOCTOR_CARD_NONE_FIX))
    unused = sorted(c for c in configured if c not in used)
    if unused:
        what = st.DOCTOR_CARD_UNUSED.format(cards=st.NAMES_SEP.join(unused))
        found.append(Finding("scorecards", WARN, what, st.DOCTOR_CARD_UNUSED_FIX))
    return found or [Finding("scorecards", OK, st.DOCTOR_CARDS_OK)]
