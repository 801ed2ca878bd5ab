"""What a real month looks like in the demo: last month closed by HR (results, incentives,
everyone's result card), and a figure of it under appeal."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from handlers.appeals.file import file_appeal
from handlers.appeals.window import AppealWindow
from handlers.closing.close import close_period
from handlers.closing.preview import ClosePolicy
from handlers.commands import Appeal
from handlers.identity import actor_for
from handlers.periods import parse_period
from handlers.scores.compute import ScoringSetup
from store.models import Period
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
APPELLANT = "ana.li@acme.example"
REASON = {  # in the demo's language
    "en": "the Nanjing deal signed on the last day of the month is missing",
    "zh": "月末最后一天签下的南京订单没有计入",
}


def close_last_month(
    uow_factory: UowFactory, periods: Sequence[Period], setup: ScoringSetup, policy: ClosePolicy
) -> str | None:
    """Close the month before this one as HR would, once; its key if it was closed now. The
    months before it are closed first, as history (their cards count as delivered then):
    HR's next close is this month's, and a run of excellent months can qualify."""
    last = periods[-2] if len(periods) > 1 else None
    if last is None or last.status == "closed":
        return None
    for older in periods[:-2]:
        if older.status != "closed":
            closed = close_period(
                older.key, uow=uow_factory(), scoring=setup, actor="demo", policy=policy
            )
            with uow_factory() as uow:
                keys = [n.dedupe_key for n in closed.notices]
                uow.operator.delivered_back_then(keys, uow.clock())
                uow.commit()
    close_period(last.key, uow=uow_factory(), scoring=setup, actor="demo", policy=policy)
    return last.key


def appeal_last_month(
    uow_factory: UowFactory,
    period_key: str,
    setup: ScoringSetup,
    window: AppealWindow,
    locale: str | None = None,
) -> None:
    """Ana disputes last month's sales after the close, so her manager has a card to decide."""
    with uow_factory() as uow:
        ana = uow.org.employee_by_email(APPELLANT)
        if ana is None or uow.demo.any_appeal_of(ana.id):
            return
        actor = actor_for(ana, "demo")
    file_appeal(
        Appeal(
            "sales_amount",
            REASON["zh" if locale and locale.startswith("zh") else "en"],
            parse_period(period_key),
        ),
        uow=uow_factory(),
        actor=actor,
        scoring=setup,
        refetch=None,
        appeal_window=window,
    )
