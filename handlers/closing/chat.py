"""`/period` in chat: HR previews a period's results, calibrates someone's, and closes it
with the [Close] button on the preview (HR at headquarters or an admin: close is company-wide)."""

from __future__ import annotations

from handlers import strings as t
from handlers.actor import Actor
from handlers.cards import Card, Reply
from handlers.closing.calibrate import CalibrationError, calibrate
from handlers.closing.card import preview_card
from handlers.closing.close import PeriodStateError, close_period
from handlers.closing.preview import ClosePolicy, preview_in
from handlers.commands import Calibrate, PeriodPreview, PeriodRef
from handlers.common import Refused, actor_today, period_for
from handlers.format import plural
from handlers.i18n import say
from handlers.identity import find_person
from handlers.permissions import deny, hr_covers, visible_ids
from handlers.press import Press
from handlers.scores.compute import ScoringSetup
from store.models import Period
from store.uow import UnitOfWork


def show_period(
    cmd: PeriodPreview,
    *,
    uow: UnitOfWork,
    actor: Actor,
    scoring: ScoringSetup,
    close_policy: ClosePolicy,
) -> Reply:
    """The preview card; it changes nothing (the fresh scoring it shows is rolled back)."""
    with uow:
        if actor.role not in ("hr", "admin"):
            return deny("period.preview", None, t.CLOSE_NOT_ALLOWED)
        period = _period(uow, actor, cmd.period)
        if isinstance(period, Refused):
            return period.reply
        ids = None if _may_close(uow, actor) else visible_ids(uow, actor)
        preview = preview_in(uow, period, scoring, close_policy, ids)
        card = preview_card(preview, may_close=_may_close(uow, actor))
    return Reply(cards=(card,))


def press_close(
    press: Press,
    *,
    uow: UnitOfWork,
    actor: Actor,
    scoring: ScoringSetup,
    close_policy: ClosePolicy,
) -> Reply:
    """[Close P] on the preview: the same checks as every close; a refusal says why."""
    with uow:
        if not _may_close(uow, actor):
            why = t.CLOSE_NOT_HQ if actor.role == "hr" else t.CLOSE_NOT_ALLOWED
            return deny("period.close", None, why)
        period = uow.get(Period, press.int_value() or 0)
        if period is None:
            return Reply.say(t.STALE_TITLE, t.UNKNOWN_ACTION, ok=False)
        key = period.key
    try:
        report = close_period(key, uow=uow, scoring=scoring, actor=actor.email, policy=close_policy)
    except PeriodStateError as exc:
        return Reply.say(t.CLOSE_REFUSED_TITLE.format(period=key), *say(exc).splitlines(), ok=False)
    text = t.CLOSE_DONE.format(
        frozen=plural(report.frozen, t.SCORES),
        flags=plural(len(report.flags), t.INCENTIVE_DECISIONS),
        cards=plural(report.result_cards, t.RESULT_CARDS),
        hr=plural(report.hr_notified, t.HR_NOTICES),
    )
    card = Card(t.CLOSE_DONE_TITLE.format(period=key), (text,))
    return Reply(cards=(card,), notices=tuple(report.notices))


def calibrate_in_chat(
    cmd: Calibrate, *, uow: UnitOfWork, actor: Actor, scoring: ScoringSetup
) -> Reply:
    """`/period calibrate @who [period] <score> <reason>`: HR covering the person, or admin."""
    with uow:
        if actor.role not in ("hr", "admin"):
            return deny("score.calibrate", None, t.CLOSE_NOT_ALLOWED)
        person = find_person(uow, cmd.who)
        if person is None or not person.scorecard:
            return Reply.say(
                t.UNKNOWN_PERSON_TITLE, t.CAL_NO_PERSON.format(who=cmd.who.value), ok=False
            )
        if person.id == actor.employee_id or not (
            actor.role == "admin" or hr_covers(uow, actor, person)
        ):
            return deny("score.calibrate", person, t.CAL_NOT_ALLOWED)
        period = _period(uow, actor, cmd.period)
        if isinstance(period, Refused):
            return period.reply
        title = t.CAL_TITLE.format(name=person.name, period=period.key)
        try:
            done = calibrate(
                uow, period=period, person=person, total=cmd.total, reason=cmd.reason,
                by=actor.email, config=scoring.config,
            )  # fmt: skip
        except CalibrationError as exc:
            return Reply.say(title, say(exc), ok=False)
        uow.commit()
    return Reply.say(title, done.text())


def _may_close(uow: UnitOfWork, actor: Actor) -> bool:
    if actor.role == "admin":
        return True
    return actor.role == "hr" and uow.org.branch_is_hq(actor.branch_id)


def _period(uow: UnitOfWork, actor: Actor, ref: PeriodRef | None) -> Period | Refused:
    """The named period; by default the oldest that has ended and is still open (the next
    to close), else the current one."""
    if ref is not None:
        return period_for(uow, actor, ref)
    due = uow.closing.next_to_close(actor_today(uow, actor))
    return due if due is not None else period_for(uow, actor, None)
